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
    plugins: [...documents.plugins, limitsPlugin({ production: config.production })],
    // graphql-ws on /graphql, the key in connection_init (subscriptions.ts).
    subscriptions: subscriptionOptions(keys),
  };
}
