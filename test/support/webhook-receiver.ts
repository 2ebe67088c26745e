import { AddressInfo } from 'node:net';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';

/** One request a receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A real HTTP receiver on loopback for the webhook suites. Each path answers
 * as `answer` says: a status, or 'hang' to never answer.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (path: string, count: number) => number | 'hang' = () => 200;
  /** The Location a path's answer carries, if any (for a 3xx). */
  redirectTo: (path: string) => string | undefined = () => undefined;
  private readonly hanging = new Set<import('node:http').ServerResponse>();
  /** Requests each path holds now (arrived, not yet answered or dropped), and the most it held at once. */
  private readonly open = new Map<string, number>();
  private readonly mostOpen = new Map<string, number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const opened = req.url ?? '/';
      const now = (receiver.open.get(opened) ?? 0) + 1;
      receiver.open.set(opened, now);
      receiver.mostOpen.set(opened, Math.max(now, receiver.mostOpen.get(opened) ?? 0));
      res.on('close', () => receiver.open.set(opened, (receiver.open.get(opened) ?? 1) - 1));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        receiver.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const answer = receiver.answer(path, receiver.received.filter((r) => r.path === path).length);
        if (answer === 'hang') {
          receiver.hanging.add(res);
          return;
        }
        const location = receiver.redirectTo(path);
        res.writeHead(answer, { 'content-type': 'text/plain', ...(location ? { location } : {}) }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The most requests to a path the receiver held at once, unanswered. */
  mostOpenAt(path: string): number {
    return this.mostOpen.get(path) ?? 0;
  }

  /** Requests to a path the receiver holds now, unanswered. */
  openAt(path: string): number {
    return this.open.get(path) ?? 0;
  }

  /** The event types a path received, in arrival order. */
  types(path: string): string[] {
    return this.at(path).map((r) => (JSON.parse(r.body) as { type: string }).type);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
