import { ApolloDriverConfig } from '@nestjs/apollo';
import { ExecutionArgs, ExecutionResult, GraphQLError, createSourceEventStream, execute } from 'graphql';
import { ApiKeyService, Caller, RequestContext } from '@tandem/auth';
import { formatGraphqlError } from './format-error';

/** The graphql-ws close code for a missing, unknown or revoked key (docs/api.md, "Webhooks and subscriptions"). */
export const UNAUTHORIZED_CLOSE = 4401;
/** How often an open socket's key is checked again: a revoked key's subscriptions end within 5 s. */
const KEY_RECHECK_MS = 1_000;

/** What graphql-ws hands its hooks: the connection_init payload and the ws socket. */
interface SocketContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { socket: { close(code: number, reason: string): void; once(event: 'close', listener: () => void): void } };
}

interface Connection {
  authorization: string;
  caller: Caller;
}

/**
 * Runs each event of a subscription with its own copy of the context, as a
 * request would: the per-request DataLoaders (keyed by the context object)
 * then read fresh rows for every event instead of the first event's.
 */
async function subscribePerEvent(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const events = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const results: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => results,
    next: async () => {
      const event = await events.next();
      if (event.done) return { value: undefined, done: true };
      const contextValue = { ...(args.contextValue as object) };
      return { value: (await execute({ ...args, rootValue: event.value, contextValue })) as ExecutionResult, done: false };
    },
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
  };
  return results;
}

const formatted = (errors: readonly GraphQLError[]) => errors.map((e) => formatGraphqlError(e.toJSON(), e));

/**
 * Subscriptions over graphql-ws (graphql-transport-ws) on /graphql. The key
 * comes in connection_init as {"authorization": "Bearer <key>"}; a missing or
 * unknown key closes the socket with 4401, and so does a key revoked while the
 * socket is open (checked every second). Errors get the contract's codes.
 * Nest types only some of graphql-ws's options but hands it all of them
 * (@nestjs/graphql's GqlSubscriptionService spreads them into useServer).
 */
export function subscriptionOptions(keys: ApiKeyService): ApolloDriverConfig['subscriptions'] {
  const connections = new WeakMap<object, Connection>();
  return {
    'graphql-ws': {
      path: '/graphql',
      subscribe: subscribePerEvent,
      onConnect: async (ctx: SocketContext): Promise<boolean> => {
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : '';
        const caller = await keys.authenticate(authorization);
        const socket = ctx.extra.socket;
        if (!caller) {
          socket.close(UNAUTHORIZED_CLOSE, 'Unauthorized');
          return false;
        }
        connections.set(ctx, { authorization, caller });
        const recheck = setInterval(() => {
          keys.authenticate(authorization).then(
            (now) => now === null && socket.close(UNAUTHORIZED_CLOSE, 'Unauthorized'),
            () => undefined,
          );
        }, KEY_RECHECK_MS);
        recheck.unref();
        socket.once('close', () => clearInterval(recheck));
        return true;
      },
      context: (ctx: SocketContext): RequestContext => {
        const connection = connections.get(ctx);
        return { req: { headers: { authorization: connection?.authorization } }, caller: connection?.caller ?? null };
      },
      onNext: (_ctx: SocketContext, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
        result.errors ? { ...result, errors: formatted(result.errors) } : result,
      onError: (_ctx: SocketContext, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => formatted(errors),
    },
  } as unknown as ApolloDriverConfig['subscriptions'];
}
