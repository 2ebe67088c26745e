import { Caller } from '@tandem/auth';

/** The caller the key gate established for a request; the GraphQL context reads it instead of authenticating again. */
const callers = new WeakMap<object, Caller>();

export function attachCaller(req: object, caller: Caller): void {
  callers.set(req, caller);
}

/** Null when the gate did not pass the request (the guard then refuses it as UNAUTHENTICATED). */
export function requestCaller(req: object): Caller | null {
  return callers.get(req) ?? null;
}
