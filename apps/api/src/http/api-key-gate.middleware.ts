import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKeyService, Caller, readAuthorization } from '@tandem/auth';
import { CONFIG, TandemConfig } from '@tandem/common';
import { clientAddressBucket } from './client-address';
import { RateLimits, RateLimitVerdict } from './rate-limits';
import { attachCaller } from './request-caller';

type Request = IncomingMessage & { ip?: string };

/** A GraphQL-shaped error, written before anything else runs. */
function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * A browser asking for GraphiQL's page: a GET whose Accept puts text/html first
 * and names no JSON type, so Apollo answers with the page and runs nothing
 * (Apollo's own prefersHTML would choose the page for it too).
 */
function asksForGraphiql(req: Request): boolean {
  const accept = req.headers.accept ?? '';
  return req.method === 'GET' && /^text\/html\s*(,|$)/i.test(accept) && !/json|multipart/i.test(accept);
}

function refuseLimited(res: ServerResponse, verdict: Extract<RateLimitVerdict, { limited: true }>): void {
  refuse(res, 429, 'RATE_LIMITED', `Too many requests; retry after ${verdict.retryAfterSeconds} s`, {
    'Retry-After': String(verdict.retryAfterSeconds),
  });
}

/**
 * The door of /graphql, before Apollo sees the document: it reads the key,
 * applies the rate limits and refuses a request without a valid key, so a
 * stranger's document is never parsed or validated (introspection included).
 * Nothing a refused request sent is executed.
 */
@Injectable()
export class ApiKeyGateMiddleware implements NestMiddleware {
  private readonly log = new Logger('ApiKeyGate');

  constructor(
    private readonly keys: ApiKeyService,
    private readonly limits: RateLimits,
    @Inject(CONFIG) private readonly config: TandemConfig,
  ) {}

  async use(req: Request, res: ServerResponse, next: (err?: unknown) => void): Promise<void> {
    if (req.method === 'OPTIONS') return next(); // CORS preflight carries no key and runs nothing
    if (!this.config.production && asksForGraphiql(req)) return next(); // GraphiQL's page; its requests carry a key
    try {
      const auth = readAuthorization(req.headersDistinct.authorization);
      const caller: Caller | null = auth.kind === 'key' ? await this.keys.authenticateKey(auth.key) : null;
      const limit = caller
        ? await this.limits.forKey(caller.kind === 'ADMIN' ? 'admin' : caller.keyId)
        : await this.limits.forAddress(clientAddressBucket(req.ip ?? req.socket.remoteAddress));
      // RATE_LIMITED comes before every other refusal (docs/api.md, "Errors").
      if (limit.limited) return refuseLimited(res, limit);
      if (auth.kind === 'malformed') return refuse(res, 400, 'BAD_USER_INPUT', 'Send one header "Authorization: Bearer <key>"');
      if (!caller) return refuse(res, 200, 'UNAUTHENTICATED', 'A valid API key is required');
      attachCaller(req, caller);
      next();
    } catch (err) {
      this.log.error({ err }, 'could not check the API key');
      refuse(res, 503, 'INTERNAL_SERVER_ERROR', 'Internal server error', { 'Retry-After': '1' });
    }
  }
}
