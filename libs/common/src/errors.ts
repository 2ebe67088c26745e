/** The contract's error codes (docs/api.md, "Errors"). */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'RATE_LIMITED';

/**
 * An error the caller can act on. Its message is shown as is, so it never
 * carries SQL, stack traces or hints about objects out of the caller's reach.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unauthenticated = (message = 'A valid API key is required') => new DomainError('UNAUTHENTICATED', message);
export const forbidden = (message = 'This key may not do that') => new DomainError('FORBIDDEN', message);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const badInput = (message: string, field?: string) => new DomainError('BAD_USER_INPUT', message, field ? { field } : undefined);
export const conflict = (message: string) => new DomainError('CONFLICT', message);

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
