import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  DocumentNode,
  GraphQLInputType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  specifiedRules,
  typeFromAST,
  validate,
} from 'graphql';
import { DOCUMENT_LIMITS, documentLimits } from './document-limits';
import { getComplexity } from 'graphql-query-complexity';
import { MAX_COMPLEXITY, MAX_HEAVY_PER_REQUEST, checkCost, estimateRequest, heavyEstimator, mayRunHeavy } from './limits.plugin';

const ROOT = path.resolve(__dirname, '../../../..');
const schema: GraphQLSchema = buildSchema(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));

/** Where the portal keeps its documents: every *operations.ts file there. */
const PORTAL_GRAPHQL = path.join(ROOT, 'apps/portal/src/graphql');
const portalOperationFiles = (): string[] => readdirSync(PORTAL_GRAPHQL).filter((f) => f.endsWith('operations.ts'));

/** The portal's documents, read as text: each operation with the fragments it spreads, from every operations file. */
function portalOperations(): { name: string; doc: DocumentNode; op: OperationDefinitionNode }[] {
  const source = portalOperationFiles()
    .map((f) => readFileSync(path.join(PORTAL_GRAPHQL, f), 'utf8'))
    .join('\n');
  const bodies = [...source.matchAll(/graphql\(\s*`([^`]*)`/g)].map((m) => m[1]);
  const fragments = new Map<string, string>();
  for (const b of bodies) {
    const name = /^\s*fragment (\w+)/.exec(b)?.[1];
    if (name) fragments.set(name, b);
  }
  const spreads = (text: string) => [...text.matchAll(/\.\.\.(\w+)/g)].map((m) => m[1]);
  return bodies
    .filter((b) => !/^\s*fragment /.test(b))
    .map((b) => {
      const used = new Set<string>();
      const pending = spreads(b);
      for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
        const fragment = fragments.get(name);
        if (used.has(name) || fragment === undefined) continue;
        used.add(name);
        pending.push(...spreads(fragment));
      }
      const doc = parse([b, ...[...used].map((n) => fragments.get(n))].join('\n'));
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (!op) throw new Error(`no operation in ${b}`);
      return { name: op.name?.value ?? '?', doc, op };
    });
}

/** A valid value of an input type, so the estimate can coerce the variables. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) return Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, sample(f.type)]));
  return { ID: '00000000-0000-4000-8000-000000000000', Int: 1, Float: 1, Boolean: true, DateTime: '2030-01-01T00:00:00Z' }[named.name] ?? 'USD';
}

/** The largest page the portal asks for (PAGE in operations.ts). */
const PORTAL_FIRST = 50;

const rules = [...specifiedRules, ...documentLimits().validationRules];
const shapeErrors = (query: string) => validate(schema, parse(query, { maxTokens: DOCUMENT_LIMITS.maxTokens }), rules).map((e) => e.message);
const estimate = (query: string, variables: Record<string, unknown> = {}) => estimateRequest(schema, parse(query), undefined, variables);
const aliases = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
const ID = '"00000000-0000-4000-8000-000000000000"';

describe('the portal and introspection under the document limits', () => {
  const operations = portalOperations();

  it('reads every portal operation, of every operations file', () => {
    expect(portalOperationFiles().sort()).toEqual(['disputes-operations.ts', 'operations.ts', 'scale-operations.ts', 'supplier-operations.ts']);
    expect(operations.map((o) => o.name)).toEqual(expect.arrayContaining(['RelationshipsPage', 'Disputes', 'OrderVoices']));
    expect(operations.length).toBeGreaterThanOrEqual(40);
  });

  /** Variables as the portal sends them at most: its page size, three years, a sample of each input type. */
  const sampleVariables = (op: OperationDefinitionNode) => {
    const variables: Record<string, unknown> = {};
    for (const v of op.variableDefinitions ?? []) {
      const n = v.variable.name.value;
      variables[n] = n === 'first' ? PORTAL_FIRST : n === 'months' ? 36 : sample(typeFromAST(schema, v.type as never) as GraphQLInputType);
    }
    return variables;
  };

  it.each(operations.map((o) => [o.name, o] as const))('%s passes the shape rules and the cost limit', (_name, { doc, op }) => {
    expect(validate(schema, doc, rules).map((e) => e.message)).toEqual([]);
    const cost = estimateRequest(schema, doc, op.name?.value, sampleVariables(op));
    expect(cost.cost).toBeLessThanOrEqual(MAX_COMPLEXITY);
    expect(cost.heavy).toBeLessThanOrEqual(1);
  });

  it('skips the heavy walk only where it could find nothing: every portal operation, and a heavy field behind a fragment', () => {
    const heavyWalk = (doc: DocumentNode, op: OperationDefinitionNode) =>
      getComplexity({ schema, query: doc, operationName: op.name?.value, variables: sampleVariables(op), estimators: [heavyEstimator] });
    const skipped = operations.filter(({ doc }) => !mayRunHeavy(doc));
    expect(skipped.length).toBeGreaterThan(20);
    for (const { doc, op } of skipped) expect([op.name?.value, heavyWalk(doc, op)]).toEqual([op.name?.value, 0]);
    const hidden = parse(`query Q { ...Health } fragment Health on Query { a: relationshipHealth(memberId: ${ID}) { score } }`);
    expect(mayRunHeavy(hidden)).toBe(true);
    expect(estimateRequest(schema, hidden, 'Q', {}).heavy).toBe(1);
    expect(estimate(`{ network { id } }`).heavy).toBe(0);
  });

  it('lets the standard introspection query through, and refuses introspection nested beyond it', () => {
    expect(shapeErrors(getIntrospectionQuery())).toEqual([]);
    expect(() => checkCost(estimate(getIntrospectionQuery()))).not.toThrow();
    const nested = `{ __schema { types { ${'fields { type { ofType { '.repeat(4)}name${' } } }'.repeat(4)} } } }`;
    // graphql-js's own MaxIntrospectionDepth rule, and the cost estimate behind it.
    expect(shapeErrors(nested)).toEqual(['Maximum introspection depth exceeded']);
    expect(() => checkCost(estimate(nested))).toThrow(/too expensive/);
  });
});

describe('document shape', () => {
  it('refuses too many aliases, directives and too much depth, each once per fragment however often spread', () => {
    expect(shapeErrors(aliases(31, 'network { id }'))).toEqual(['Aliases limit of 30 exceeded, found 31.']);
    expect(shapeErrors(aliases(30, 'network { id }'))).toEqual([]);
    expect(shapeErrors(`{ network { ${'id @include(if: true) '.repeat(21)} } }`)).toEqual(['Directives limit of 20 exceeded, found 21.']);
    const deep = `{ me ${'{ referredBy '.repeat(15)}{ id }${' }'.repeat(15)} }`;
    expect(shapeErrors(deep)).toEqual(['Query depth limit of 13 exceeded, found 17.']);
  });

  it('walks a chain of fragments spread twice per level once per fragment', () => {
    const levels = Array.from({ length: 25 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const started = process.hrtime.bigint();
    expect(shapeErrors(`{ ...F0 } ${levels} fragment F25 on Query { __typename }`)).toEqual([]);
    expect(() => estimate(`{ ...F0 } ${levels} fragment F25 on Query { __typename }`)).toThrow(/more than 5000 selections/);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  it('reports a fragment cycle as a validation error, not a stack overflow', () => {
    expect(shapeErrors('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toContain('Cannot spread fragment "A" within itself via "B".');
  });

  it('refuses a document of more tokens than the limit while parsing', () => {
    expect(() => parse(`{ ${'__typename '.repeat(DOCUMENT_LIMITS.maxTokens)} }`, { maxTokens: DOCUMENT_LIMITS.maxTokens })).toThrow(
      /contains more tha[nt] 3000 tokens/,
    );
  });
});

describe('the cost model', () => {
  it('counts a list without first as its default page, and fixed lists at their maximum', () => {
    // orders: 20 by default; routing: 100 rows; supplier: 1 + capabilities: 20 of 1 + id.
    const routing = 'orders { edges { node { routing { supplier { capabilities { id } } } } } }';
    expect(estimate(`{ ${routing} }`).cost).toBe(1 + 20 * (1 + (1 + (1 + 100 * (1 + (1 + 20 * 1))))));
    const paged = 'orders(first: 1) { edges { node { routing { supplier { capabilities { id } } } } } }';
    expect(estimate(`{ ${paged} }`).cost).toBe(1 + 1 * (1 + (1 + (1 + 100 * (1 + (1 + 20 * 1))))));
    expect(estimate('{ orders(first: 0) { totalCount } }').cost).toBe(1);
  });

  it('refuses the alias attacks of issue 11 by cost', () => {
    const routing = 'orders { edges { node { routing { supplier { capabilities { id } } } } } }';
    expect(() => checkCost(estimate(aliases(1, routing)))).not.toThrow();
    expect(() => checkCost(estimate(aliases(3, routing)))).toThrow(/too expensive: cost 132183/);
    expect(() => checkCost(estimate(aliases(11, `relationshipHealth(memberId: ${ID}) { score }`)))).toThrow(
      `Query computes too much at once: 11 health or insight computations, limit ${MAX_HEAVY_PER_REQUEST}`,
    );
    expect(() => checkCost(estimate(aliases(10, `relationshipHealth(memberId: ${ID}) { score }`)))).not.toThrow();
  });

  it('multiplies heavy fields inside lists', () => {
    expect(estimate(aliases(2, 'networkInsight { months }')).heavy).toBe(2);
  });

  it("reports a malformed variable as the caller's input", () => {
    expect(() => estimateRequest(schema, parse('query Q($n: Int) { orders(first: $n) { totalCount } }'), 'Q', { n: 'x' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });

  it('estimates a document once when its variables cannot change the cost, and again each time they can', () => {
    const capabilities = 'supplier { capabilities { id } }';
    const page = parse(`query Q($n: Int, $id: ID!) { orders(first: $n) { edges { node { id } } } member(id: $id) { id } }`);
    expect(estimateRequest(schema, page, 'Q', { n: 1, id: ID }).cost).toBe(1 + 1 * (1 + (1 + 1)) + 2);
    expect(estimateRequest(schema, page, 'Q', { n: 50, id: ID }).cost).toBe(1 + 50 * (1 + (1 + 1)) + 2);
    const skipped = parse(`query S($deep: Boolean!) { orders(first: 1) { edges { node { id routing @include(if: $deep) { ${capabilities} } } } } }`);
    const deep = estimateRequest(schema, skipped, 'S', { deep: true }).cost;
    expect(estimateRequest(schema, skipped, 'S', { deep: false }).cost).toBeLessThan(deep);
    expect(estimateRequest(schema, skipped, 'S', { deep: true }).cost).toBe(deep);
    // A variable no estimate reads: later requests reuse the first estimate, and leave a malformed value to execution.
    const member = parse('query M($id: ID!) { member(id: $id) { id } }');
    const first = estimateRequest(schema, member, 'M', { id: ID });
    expect(estimateRequest(schema, member, 'M', { id: { no: 1 } })).toBe(first);
    // The same text parsed again is another document: estimated afresh, and a malformed variable refused there.
    expect(() => estimateRequest(schema, parse('query M($id: ID!) { member(id: $id) { id } }'), 'M', { id: { no: 1 } })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
