import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway Redis Cluster of three masters on loopback ports chosen at run
 * time (redis-server --cluster-enabled yes, joined by redis-cli --cluster
 * create), its files in a temporary directory. stop() ends the servers and
 * removes the directory; call it in afterAll, also when start failed half way.
 */
export class RedisCluster {
  private readonly servers: ChildProcess[] = [];
  readonly ports: number[] = [];
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-redis-cluster-'));

  /** host:port of every master, as REDIS_CLUSTER_NODES takes them. */
  get nodes(): string[] {
    return this.ports.map((p) => `127.0.0.1:${p}`);
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const cluster = new RedisCluster();
    try {
      for (let i = 0; i < masters; i++) await cluster.startServer();
      // Every slot assigned; no replicas (three masters is the smallest cluster redis-cli creates).
      await run('redis-cli', ['--cluster', 'create', ...cluster.nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
      await cluster.waitUntil(async (port) => (await cluster.cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'));
      return cluster;
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  /** Runs one redis-cli command against one node. */
  async cli(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
    return stdout;
  }

  /** The number of keys stored on each master, in port order. */
  async keysPerNode(): Promise<number[]> {
    return Promise.all(this.ports.map(async (p) => Number((await this.cli(p, 'DBSIZE')).trim())));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(): Promise<void> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.servers.push(child);
    this.ports.push(port);
    await this.waitUntil(async () => (await this.cli(port, 'PING')).trim() === 'PONG', [port]);
  }

  private async waitUntil(check: (port: number) => Promise<boolean>, ports = this.ports): Promise<void> {
    for (const port of ports) {
      for (let until = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 100))) {
        if (await check(port).catch(() => false)) break;
        if (Date.now() > until) throw new Error(`redis on port ${port} did not become ready`);
      }
    }
  }
}
