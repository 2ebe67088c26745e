import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';

/** What a client may send as X-Request-Id: 1 to 64 of letters, digits, '.', '_' and '-'. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The client's X-Request-Id when it is well formed, else a fresh one: a
 * client must not be able to write newlines, markup or megabytes into every
 * log line of its request.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED_REQUEST_ID.test(header) ? header : randomUUID();
}

/** What a request's log lines say of it: never its headers (keys, cookies) nor its body. */
export interface LoggedRequest {
  id: string;
  method: string | undefined;
  url: string | undefined;
}

/**
 * The request of every log line written while it runs, serialised once when
 * pino-http binds it (on each request, whatever the level): its id, method and
 * path. Headers are left out rather than redacted: serialising and redacting
 * every header of every request cost more than the GraphQL floor's own work,
 * and a key has no place in a log line.
 */
export function requestForLog(req: IncomingMessage & { id?: unknown }): LoggedRequest {
  return { id: String(req.id), method: req.method, url: req.url };
}

/** The pino-http options of the API and the worker: a request id, a lean request, no line for /health and /metrics. */
export function requestLogging(settings: { service: string; logLevel: string }): Options {
  return {
    level: settings.logLevel,
    base: { service: settings.service },
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: { req: requestForLog, res: (res: ServerResponse) => ({ statusCode: res.statusCode }) },
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
  };
}
