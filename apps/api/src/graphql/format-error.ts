import { HttpException, Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode, isDomainError } from '@tandem/common';

const log = new Logger('GraphQL');

const BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

/** Codes that Apollo and graphql-js set themselves and that clients rely on. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Figures a refusal for cost may carry (limits.plugin.ts), so a client can tell by how much. */
const LIMIT_FIGURES = ['cost', 'heavy', 'limit'] as const;

function limitFigures(extensions: GraphQLFormattedError['extensions']): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const k of LIMIT_FIGURES) if (typeof extensions?.[k] === 'number') figures[k] = extensions[k] as number;
  return figures;
}

/**
 * One place that turns every error into the contract's codes. Anything
 * unexpected becomes a bare INTERNAL_SERVER_ERROR: no stack, no SQL.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (isDomainError(original)) {
    return { ...base, message: original.message, extensions: { code: original.code, ...(original.details ?? {}) } };
  }
  if (original instanceof HttpException) {
    const code = BY_HTTP_STATUS[original.getStatus()];
    if (code) return { ...base, message: original.message, extensions: { code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    return { ...base, extensions: { code, ...limitFigures(formatted.extensions) } };
  }
  // A GraphQLError raised while coercing arguments (an enum, a scalar) is the caller's input.
  if (original instanceof GraphQLError && !original.originalError && formatted.path === undefined) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  log.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
