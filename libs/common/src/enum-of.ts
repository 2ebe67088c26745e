/**
 * A list of string values as the object NestJS's registerEnumType takes, so a
 * GraphQL enum is registered from the one list that declares its concept (its
 * values and their order) instead of a TypeScript enum that repeats them.
 */
export function enumOf<const V extends string>(values: readonly V[]): { readonly [K in V]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { readonly [K in V]: K };
}
