import { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { ApiKeyService, RequestContext } from '@tandem/auth';
import { TandemConfig } from '@tandem/common';
import { formatGraphqlError } from './format-error';
import { documentLimits } from './document-limits';
import { limitsPlugin } from './limits.plugin';
import { requestCaller } from '../http/request-caller';
import { subscriptionOptions } from './subscriptions';
import { describeSchema } from './schema-descriptions';

export function graphqlOptions(config: TandemConfig, keys: ApiKeyService): ApolloDriverConfig {
  // Tokens, aliases, directives, depth and the document cache (document-limits.ts); cost in limits.plugin.ts.
  const documents = documentLimits();
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    // GraphiQL at GET /graphql for a browser, outside production only.
    graphiql: !config.production,
    introspection: true,
    // Descriptions the code-first classes leave out, from one catalogue (schema-descriptions.ts).
    transformSchema: describeSchema,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // The key gate (apps/api/src/http) authenticated the request before Apollo saw it; AccessGuard decides per resolver.
    // A request that did not pass the gate (none today) is authenticated here rather than trusted.
    context: async ({ req }: { req: RequestContext['req'] }): Promise<RequestContext> => ({
      req,
      caller: requestCaller(req) ?? (await keys.authenticate(req.headers.authorization)),
    }),
    formatError: formatGraphqlError,
    parseOptions: documents.parseOptions,
    documentStore: documents.documentStore,
    validationRules: documents.validationRules,
    // Apollo's cache-control plugin wraps every field's resolver to read cache hints, which no type here gives:
    // off, and every answer is marked no-store (private data) once per request instead (noStore).
    plugins: [...documents.plugins, limitsPlugin({ production: config.production }), ApolloServerPluginCacheControlDisabled(), noStore()],
    // graphql-ws on /graphql, the key in connection_init (subscriptions.ts).
    subscriptions: subscriptionOptions(keys),
  };
}

/** Cache-Control: no-store on every GraphQL answer: it carries one caller's data. */
function noStore(): ApolloServerPlugin {
  const willSendResponse = async ({ response }: { response: { http: { headers: Map<string, string> } } }) => {
    response.http.headers.set('cache-control', 'no-store');
  };
  return { requestDidStart: async () => ({ willSendResponse }) };
}
