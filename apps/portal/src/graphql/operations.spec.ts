import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DocumentNode,
  GraphQLInputType,
  Kind,
  OperationDefinitionNode,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  validate,
} from 'graphql';
import { ComplexityEstimatorArgs, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import * as ops from './operations';

// The API's own limits (apps/api/src/graphql/limits.plugin.ts and graphql.options.ts).
const MAX_COMPLEXITY = 5_000;
const schema = buildSchema(readFileSync(path.join(__dirname, '../../../../schema.graphql'), 'utf8'));

function pageEstimator({ args, childComplexity }: ComplexityEstimatorArgs): number | void {
  const first = typeof args.first === 'number' ? args.first : undefined;
  if (first !== undefined) return 1 + childComplexity * Math.max(1, first);
}

const operations = Object.entries(ops).flatMap(([name, value]) => {
  const doc = value as unknown as DocumentNode;
  const op = doc?.definitions?.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op ? [[name, doc, op] as const] : [];
});

/** A valid value of an input type, so the cost estimate can coerce the variables. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, sample(f.type)]));
  }
  return { ID: '00000000-0000-4000-8000-000000000000', Int: 1, Float: 1, Boolean: true, DateTime: '2030-01-01T00:00:00Z' }[named.name] ?? 'USD';
}

/** The largest `first` the portal sends with each operation. */
const FIRST: Record<string, number> = {
  Orders: ops.PAGE.orders,
  Earnings: ops.PAGE.earnings,
  RoutingOutcomes: ops.PAGE.outcomes,
  Members: ops.PAGE.members,
};

describe('portal operations against schema.graphql', () => {
  it('defines the operations the portal uses', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it.each(operations.map(([name, doc, op]) => [name, doc, op] as const))('%s validates against the served schema', (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });

  it.each(operations.map(([name, doc, op]) => [name, doc, op] as const))('%s stays under the API cost limit', (_name, doc, op) => {
    const first = FIRST[op.name?.value ?? ''];
    const takesFirst = op.variableDefinitions?.some((v) => v.variable.name.value === 'first');
    if (takesFirst) expect(first).toBeDefined();
    const variables: Record<string, unknown> = {};
    for (const v of op.variableDefinitions ?? []) {
      const n = v.variable.name.value;
      variables[n] = n === 'first' ? first : n === 'months' ? 36 : sample(typeFromAST(schema, v.type as never) as GraphQLInputType);
    }
    const cost = getComplexity({ schema, query: doc, variables, estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })] });
    expect(cost).toBeLessThanOrEqual(MAX_COMPLEXITY);
  });
});
