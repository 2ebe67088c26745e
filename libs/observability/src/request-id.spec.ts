import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { requestIdFrom, requestLogging } from './request-id';

describe('request ids', () => {
  it('keeps a well-formed X-Request-Id and replaces anything else', () => {
    expect(requestIdFrom('abc-123_x.y')).toBe('abc-123_x.y');
    for (const bad of ['', 'a b', 'x'.repeat(65), 'line\nbreak', '<b>']) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request logging', () => {
  /** A server behind the same pino-http options as the API, its log lines collected. */
  async function logged(path: string, headers: Record<string, string>, logLevel = 'info') {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const middleware = pinoHttp(requestLogging({ service: 'api', logLevel }), sink);
    const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers });
      await res.text();
      await new Promise((r) => setTimeout(r, 20));
      return { lines, echoed: res.headers.get('x-request-id') };
    } finally {
      server.close();
    }
  }

  it('writes one line per request with its id, method, path and status, and none of its headers', async () => {
    const { lines, echoed } = await logged('/graphql?x=1', { authorization: 'Bearer tnd_secret_key', cookie: 'c=1', 'x-request-id': 'req-1' });
    expect(echoed).toBe('req-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'api', req: { id: 'req-1', method: 'GET', url: '/graphql?x=1' }, res: { statusCode: 200 } });
    expect(Object.keys(lines[0].req).sort()).toEqual(['id', 'method', 'url']);
    expect(JSON.stringify(lines)).not.toMatch(/tnd_secret_key|cookie|authorization/i);
  });

  it('writes no line for /health and /metrics, and none below its level', async () => {
    expect((await logged('/health', {})).lines).toEqual([]);
    expect((await logged('/metrics', {})).lines).toEqual([]);
    expect((await logged('/graphql', {}, 'warn')).lines).toEqual([]);
  });
});
