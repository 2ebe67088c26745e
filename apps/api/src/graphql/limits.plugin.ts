import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { ASTNode, DocumentNode, GraphQLError, GraphQLSchema, Kind, getNamedType, getNullableType, isCompositeType, isListType, visit } from 'graphql';
import { ComplexityEstimator, ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import { graphqlDuration, graphqlOperationLabels, graphqlRequests } from '@tandem/observability';
import { DEFAULT_LIST_ITEMS, FIELD_COSTS, FieldCost, PAGED_DEFAULT_ITEMS } from './field-costs';

/**
 * The most a request may cost (field-costs.ts); limits.plugin.spec.ts keeps every portal operation under it.
 * An operator's full page of 100 orders with their routing explanations (about 61,000) must pass.
 */
export const MAX_COMPLEXITY = 100_000;

/** Fields that compute on read (FIELD_COSTS `heavy`) one request may run, lists multiplied out. */
export const MAX_HEAVY_PER_REQUEST = 10;

/**
 * Selections the estimate may visit. A fragment spread twice at each of 25
 * levels would otherwise be walked 2^25 times; stopping here keeps the
 * refusal in the millisecond range.
 */
export const MAX_ESTIMATED_NODES = 5_000;

const NODE_LIMIT_MESSAGE = 'Query exceeds the maximum allowed number of nodes.';

function costOf(type: string, field: string): FieldCost | undefined {
  return FIELD_COSTS[`${type}.${field}`];
}

/** How many items a field's selection is resolved for. */
function itemsOf({ field, args, type }: ComplexityEstimatorArgs): number {
  const listed = costOf(type.name, field.name);
  if (field.args.some((a) => a.name === 'first')) {
    return typeof args.first === 'number' ? Math.max(0, args.first) : (listed?.items ?? PAGED_DEFAULT_ITEMS);
  }
  // A connection's edges are the page already counted on the field that took `first`.
  if (type.name.endsWith('Connection')) return 1;
  if (isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type))) {
    return listed?.items ?? DEFAULT_LIST_ITEMS;
  }
  return 1;
}

/** A field costs its weight plus its selection once per item it returns. */
export const costEstimator: ComplexityEstimator = (a) => (costOf(a.type.name, a.field.name)?.weight ?? 1) + a.childComplexity * itemsOf(a);

/** Counts the heavy fields a request would run, lists multiplied out. */
export const heavyEstimator: ComplexityEstimator = (a) => (costOf(a.type.name, a.field.name)?.heavy ? 1 : 0) + a.childComplexity * itemsOf(a);

/** The names of the heavy fields (FIELD_COSTS), whatever their type. */
const HEAVY_FIELD_NAMES = new Set(
  Object.entries(FIELD_COSTS)
    .filter(([, c]) => c.heavy)
    .map(([key]) => key.slice(key.indexOf('.') + 1)),
);

export interface RequestCost {
  cost: number;
  heavy: number;
}

/** What the estimate learns once per parsed document (Apollo's document store hands out the same one for the same text). */
interface DocumentFacts {
  /** It selects a field named like a heavy one somewhere. */
  mayRunHeavy: boolean;
  /**
   * Its estimate can change with the variables: one is given to a `first`
   * (itemsOf) or to a directive (@include / @skip drop selections).
   */
  costReadsVariables: boolean;
  /** The estimate by operation name, once known, when it cannot change with the variables. */
  costs: Map<string, RequestCost>;
}
const documentFacts = new WeakMap<DocumentNode, DocumentFacts>();

function factsOf(query: DocumentNode): DocumentFacts {
  let facts = documentFacts.get(query);
  if (!facts) {
    let heavy = false;
    let readsVariables = false;
    visit(query, {
      Field(node) {
        if (HEAVY_FIELD_NAMES.has(node.name.value)) heavy = true;
      },
      Variable(_node, _key, parent, _path, ancestors) {
        // ancestors stop before the parent: an argument's value has the argument as its parent.
        const where = [...ancestors, parent].filter((a): a is ASTNode => !!a && !Array.isArray(a) && 'kind' in (a as object));
        if (where.some((a) => a.kind === Kind.DIRECTIVE || (a.kind === Kind.ARGUMENT && a.name.value === 'first'))) readsVariables = true;
      },
    });
    facts = { mayRunHeavy: heavy, costReadsVariables: readsVariables, costs: new Map() };
    documentFacts.set(query, facts);
  }
  return facts;
}

/**
 * Whether the document selects a field named like a heavy one anywhere. Most
 * documents do not, and then the second walk of the estimate (the heavy count)
 * is skipped: it could only find 0.
 */
export function mayRunHeavy(query: DocumentNode): boolean {
  return factsOf(query).mayRunHeavy;
}

/** Throws a GraphQLError with the contract's code when the document cannot be estimated. */
export function estimateRequest(
  schema: GraphQLSchema,
  query: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): RequestCost {
  const facts = factsOf(query);
  const known = facts.costReadsVariables ? undefined : facts.costs.get(operationName ?? '');
  if (known) return known;
  const run = (estimator: ComplexityEstimator) =>
    getComplexity({ schema, query, operationName: operationName ?? undefined, variables, estimators: [estimator], maxQueryNodes: MAX_ESTIMATED_NODES });
  try {
    const estimate = { cost: run(costEstimator), heavy: facts.mayRunHeavy ? run(heavyEstimator) : 0 };
    // Later requests of the same document skip the walk; execution still coerces their variables.
    if (!facts.costReadsVariables) facts.costs.set(operationName ?? '', estimate);
    return estimate;
  } catch (e) {
    const message = (e as Error).message;
    if (message === NODE_LIMIT_MESSAGE) {
      throw new GraphQLError(`Query is too large: more than ${MAX_ESTIMATED_NODES} selections once fragments are spread`, {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
      });
    }
    // Estimating coerces the variables first; a malformed one is the caller's input.
    throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
}

/**
 * Refuses a request that costs too much; nothing has run yet. HTTP 400, as for
 * the estimator's own refusals: Apollo answers an error thrown at this stage
 * without a status with 500, which would blame the server for the caller's query.
 */
export function checkCost({ cost, heavy }: RequestCost): void {
  if (cost > MAX_COMPLEXITY) {
    throw new GraphQLError(`Query is too expensive: cost ${cost}, limit ${MAX_COMPLEXITY}`, {
      extensions: { code: 'BAD_USER_INPUT', cost, limit: MAX_COMPLEXITY, http: { status: 400 } },
    });
  }
  if (heavy > MAX_HEAVY_PER_REQUEST) {
    throw new GraphQLError(`Query computes too much at once: ${heavy} health or insight computations, limit ${MAX_HEAVY_PER_REQUEST}`, {
      extensions: { code: 'BAD_USER_INPUT', heavy, limit: MAX_HEAVY_PER_REQUEST, http: { status: 400 } },
    });
  }
}

interface Ctx {
  caller: unknown;
}

/**
 * Cost limit, the production rule that only a key may introspect, and metrics.
 * The document's shape is bounded before this runs (document-limits.ts).
 */
export function limitsPlugin(opts: { production: boolean }): ApolloServerPlugin<Ctx> {
  let schema: GraphQLSchema;
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          schema = apiSchema;
        },
      };
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didResolveOperation(rc: GraphQLRequestContext<Ctx>) {
          if (opts.production && !rc.contextValue.caller) {
            throw new GraphQLError('A valid API key is required', { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });
          }
          checkCost(estimateRequest(schema, rc.document as DocumentNode, rc.request.operationName, rc.request.variables));
        },
        async willSendResponse(rc) {
          // Only keyed callers are measured, under a label from a bounded set: a stranger's names grow nothing.
          if (!rc.contextValue.caller) return;
          const op = graphqlOperationLabels.label(rc.operationName);
          const failed = rc.response.body.kind === 'single' && (rc.response.body.singleResult.errors?.length ?? 0) > 0;
          graphqlRequests.inc({ operation: op, outcome: failed ? 'error' : 'ok' });
          graphqlDuration.observe({ operation: op }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
