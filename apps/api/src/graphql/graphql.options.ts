import { ApolloDriverConfig } from '@nestjs/apollo';
import depthLimit from 'graphql-depth-limit';
import { ApiKeyService, RequestContext } from '@tandem/auth';
import { TandemConfig } from '@tandem/common';
import { formatGraphqlError } from './format-error';
import { limitsPlugin } from './limits.plugin';

export const MAX_DEPTH = 12;

export function graphqlOptions(config: TandemConfig, keys: ApiKeyService): ApolloDriverConfig {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Authenticate once per request; AccessGuard decides per resolver.
    context: async ({ req }: { req: RequestContext['req'] }): Promise<RequestContext> => ({
      req,
      caller: await keys.authenticate(req.headers.authorization),
    }),
    formatError: formatGraphqlError,
    validationRules: [depthLimit(MAX_DEPTH)],
    plugins: [limitsPlugin({ production: config.production })],
  };
}
