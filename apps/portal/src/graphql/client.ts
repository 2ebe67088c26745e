import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';

/** An error from the API, with the contract's code and the input field it is about, if any. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: unknown } }[];
}

const printed = new WeakMap<object, string>();
function source(doc: object): string {
  let text = printed.get(doc);
  if (!text) {
    text = print(doc as Parameters<typeof print>[0]);
    printed.set(doc, text);
  }
  return text;
}

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called whenever the API refuses the key (revoked mid-session, say), so the session can end. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Words for codes a person may see; the API's own message follows where it says more. */
export function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  switch (e.code) {
    case 'UNAUTHENTICATED':
      return 'This key was not accepted: it is unknown or has been revoked.';
    case 'FORBIDDEN':
      return `This key may not do that. ${e.message}`;
    case 'NOT_FOUND':
      return `Not found, or out of this key's reach. ${e.message}`;
    case 'NETWORK':
      return 'The API could not be reached. Check the connection and try again.';
    default:
      return e.message;
  }
}

/**
 * Posts one operation to /graphql with the key. Resolves with data; rejects
 * with an ApiError carrying the first error's code (NETWORK when the request
 * itself failed).
 */
export async function request<R, V>(doc: TadaDocumentNode<R, V>, variables: V, key: string, signal?: AbortSignal): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: source(doc), variables }),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('The API could not be reached', 'NETWORK');
  }
  const body = (await res.json().catch(() => ({}))) as GraphqlResponse<R>;
  const first = body.errors?.[0];
  if (first) {
    const field = typeof first.extensions?.field === 'string' ? first.extensions.field : undefined;
    const error = new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', field);
    if (error.code === 'UNAUTHENTICATED') for (const l of unauthenticatedListeners) l(error);
    throw error;
  }
  if (!res.ok || !body.data) throw new ApiError(`The API answered ${res.status}`, 'NETWORK');
  return body.data;
}
