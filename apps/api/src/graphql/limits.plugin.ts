import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { ComplexityEstimatorArgs, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { graphqlDuration, graphqlRequests } from '@tandem/observability';

export const MAX_COMPLEXITY = 5_000;

/** A list's cost is its page size times the cost of one item. */
function pageEstimator({ args, childComplexity }: ComplexityEstimatorArgs): number | void {
  const first = typeof args.first === 'number' ? args.first : undefined;
  if (first !== undefined) return 1 + childComplexity * Math.max(1, first);
}

interface Ctx {
  caller: unknown;
}

/**
 * Cost limit, the production rule that only a key may introspect, and metrics.
 * Depth is limited by a validation rule (see graphql.options.ts).
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
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: rc.document as DocumentNode,
              operationName: rc.request.operationName,
              variables: rc.request.variables,
              estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // Estimating coerces the variables first; a malformed one is the caller's input.
            throw new GraphQLError((e as Error).message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          if (cost > MAX_COMPLEXITY) {
            throw new GraphQLError(`Query is too expensive: cost ${cost}, limit ${MAX_COMPLEXITY}`, {
              extensions: { code: 'BAD_USER_INPUT', cost, limit: MAX_COMPLEXITY },
            });
          }
        },
        async willSendResponse(rc) {
          const op = rc.operationName ?? 'anonymous';
          const failed = rc.response.body.kind === 'single' && (rc.response.body.singleResult.errors?.length ?? 0) > 0;
          graphqlRequests.inc({ operation: op, outcome: failed ? 'error' : 'ok' });
          graphqlDuration.observe({ operation: op }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
