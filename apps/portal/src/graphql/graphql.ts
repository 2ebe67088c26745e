import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env';

/**
 * Typed GraphQL documents: the types come from schema.graphql through
 * graphql-env.d.ts (`npm run portal:codegen` after the schema changes).
 * DateTime arrives as an ISO string; fragments are not masked, so a
 * component reads the fields its query selected.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
