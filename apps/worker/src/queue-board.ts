import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKeyService, Caller } from '@tandem/auth';
import { QUEUES } from '@tandem/jobs';

/** Where Bull Board is served on the worker's port. */
export const QUEUE_BOARD_ROUTE = '/queues';

/** Methods that only read: everything Bull Board's UI and API change goes through PUT, POST, PATCH or DELETE. */
const READS = new Set(['GET', 'HEAD']);

/**
 * The key of a request: `Authorization: Bearer <key>`, or Basic with the key
 * as password (or as user name), which a browser asks for by itself.
 */
export function boardKey(authorization: string | undefined): string | null {
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization ?? '');
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return password || user || null;
}

/** What a caller may do on the board: the admin key everything, an operator key read, anyone else nothing. */
export function boardAccess(caller: Caller | null, method: string): 'allowed' | 'unauthenticated' | 'forbidden' {
  if (!caller) return 'unauthenticated';
  if (caller.kind === 'ADMIN') return 'allowed';
  if (caller.kind === 'OPERATOR' && READS.has(method.toUpperCase())) return 'allowed';
  return 'forbidden';
}

function refuse(res: ServerResponse, status: 401 | 403, message: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Tandem queues", charset="UTF-8"');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ message }));
}

/** Express middleware in front of the board (Bull Board's own router comes after it). */
function boardGuard(keys: ApiKeyService) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const key = boardKey(req.headers.authorization);
    void (key ? keys.authenticateKey(key) : Promise.resolve(null))
      .then((caller) => {
        const access = boardAccess(caller, req.method ?? 'GET');
        if (access === 'allowed') next();
        else if (access === 'unauthenticated') refuse(res, 401, 'The admin key or an operator key is required');
        else refuse(res, 403, 'Operator keys may only read the queues; changes need the admin key');
      })
      .catch(next);
  };
}

/** The keys, without the API's global guard (the worker serves no GraphQL). */
@Module({ providers: [ApiKeyService], exports: [ApiKeyService] })
class BoardKeysModule {}

/** Bull Board over every queue, behind boardGuard. */
export function queueBoardModules(): DynamicModule[] {
  return [
    BullBoardModule.forRootAsync({
      imports: [BoardKeysModule],
      inject: [ApiKeyService],
      useFactory: (keys: ApiKeyService): BullBoardModuleOptions => ({
        route: QUEUE_BOARD_ROUTE,
        // @bull-board/express 9.10.1 carries its own copy of @bull-board/api 9.10.1; the adapter is the same at run time.
        adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
        middleware: boardGuard(keys),
      }),
    }),
    BullBoardModule.forFeature(...Object.values(QUEUES).map((name) => ({ name, adapter: BullMQAdapter }))),
  ];
}
