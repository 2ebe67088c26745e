import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@tandem/testing';
import { freePort } from '../tools/embedded/postgres';
import { Q } from './support/community';

/*
 * `npm start` as a user without servers runs it (TANDEM_EMBEDDED=true forces the
 * embedded PostgreSQL and queues on it, whatever this machine has running): it
 * answers, routes an order, survives its API being killed, refuses bad input with
 * one line and exit code 1, and a restart finds every member and order again.
 */

const ROOT = path.resolve(__dirname, '..');
const ADMIN_KEY = 'tnd_admin_embedded_start_0123456789';
const PLACE = `mutation($input: OrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER = `query($id: ID!) { order(id: $id) { id status supplier { id } } }`;
const MEMBERS = `{ members(first: 10) { totalCount edges { node { name } } } }`;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

describe('npm start with an embedded PostgreSQL and queues on it', () => {
  let work: string;
  let dataDir: string;
  let port: number;
  let workerPort: number;
  let running: Started | undefined;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'tandem-embedded-start-'));
    chmodSync(work, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the data
    dataDir = path.join(work, 'data');
    port = await freePort();
    workerPort = await freePort();
  });

  afterAll(async () => {
    if (running) await stop(running);
    rmSync(work, { recursive: true, force: true });
  });

  function start(env: Record<string, string> = {}): Started {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|REDIS_URL|TANDEM_|TEST_|PORT|WORKER_PORT|NODE_ENV|JEST)/.test(k)),
    );
    const child = spawn(process.execPath, ['tools/run.js', 'start'], {
      cwd: ROOT,
      env: {
        ...clean,
        TANDEM_EMBEDDED: 'true',
        TANDEM_DATA_DIR: dataDir,
        PORT: String(port),
        WORKER_PORT: String(workerPort),
        TANDEM_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => out, exited };
  }

  async function stop(s: Started): Promise<number | null> {
    s.child.kill('SIGTERM');
    const code = await s.exited;
    if (s === running) running = undefined;
    return code;
  }

  function current(): Started {
    if (!running) throw new Error('npm start is not running');
    return running;
  }

  async function healthy(): Promise<void> {
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.status === 200, 120_000, 250);
  }

  async function gql(query: string, variables: Record<string, unknown>, key: string) {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  /** The pid of a service npm start runs (run.js → tools/start.ts → the service). */
  function servicePid(entry: string): number {
    const children = (pid: number) =>
      execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)])
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => ({ pid: Number(l.trim().split(/\s+/)[0]), args: l }));
    const startTs = children(current().child.pid ?? 0).find((c) => c.args.includes('tools/start.ts'));
    const service = startTs && children(startTs.pid).find((c) => c.args.includes(entry));
    if (!service) throw new Error(`no process runs ${entry}`);
    return service.pid;
  }

  let operatorKey: string;
  let orderId: string;

  it('says what it chose and why, answers /health and the portal, and routes an order through queues on PostgreSQL', async () => {
    running = start();
    await healthy();
    expect(running.output()).toContain('tandem: PostgreSQL: embedded, data in');
    expect(running.output()).toContain('(TANDEM_EMBEDDED=true)');
    expect(running.output()).toContain('tandem: queues: on PostgreSQL (TANDEM_EMBEDDED=true)');
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);

    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');

    const { createNetwork } = await gql(Q.createNetwork, { input: { name: 'Embedded', currency: 'USD' } }, ADMIN_KEY);
    operatorKey = createNetwork.operatorKey;
    const client = (await gql(Q.registerMember, { input: { name: 'Grand Hotel', roles: ['CLIENT'] } }, operatorKey)).registerMember;
    const supplier = (await gql(Q.registerMember, { input: { name: 'Basket & Co', roles: ['SUPPLIER'] } }, operatorKey)).registerMember;
    await gql(Q.setVettingStatus, { supplierId: supplier.id, status: 'VETTED' }, operatorKey);
    const capability = {
      supplierId: supplier.id,
      category: 'gift-baskets',
      regions: ['US-NY'],
      dailyCapacity: 5,
      leadTimeHours: 24,
      unitPrice: { amount: '120', currency: 'USD' },
    };
    await gql(Q.addCapability, { input: capability }, operatorKey);
    const deliverBy = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const order = {
      clientId: client.id,
      category: 'gift-baskets',
      region: 'US-NY',
      quantity: 1,
      deliverBy,
      budget: { amount: '150', currency: 'USD' },
      idempotencyKey: 'embedded-1',
    };
    orderId = (await gql(PLACE, { input: order }, operatorKey)).placeOrder.id;
    // Routing is a job: the outbox relay and the worker ran on the PostgreSQL queue store.
    const offered = await eventually(async () => {
      const o = (await gql(ORDER, { id: orderId }, operatorKey)).order;
      return o.status === 'OFFERED' && o;
    }, 20_000);
    expect(offered.supplier).toEqual({ id: supplier.id });
  }, 180_000);

  it('restarts the API after it is killed, and keeps the worker', async () => {
    const workerPid = servicePid('apps/worker/src/main.ts');
    process.kill(servicePid('apps/api/src/main.ts'), 'SIGKILL');
    await eventually(async () => current().output().includes('tandem: api exited (SIGKILL); restarting it in 1 s'), 10_000);
    await healthy();
    expect(servicePid('apps/worker/src/main.ts')).toBe(workerPid);
    expect((await gql(ORDER, { id: orderId }, operatorKey)).order.status).toBe('OFFERED');
  }, 120_000);

  it('refuses a second start on the same data directory, a port taken and an unusable data directory, each with one line and exit code 1', async () => {
    const second = start({ PORT: String(await freePort()), WORKER_PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output().trim().split('\n').at(-1)).toMatch(
      /^tandem: data directory .* is in use by npm start \(pid \d+\); stop it first or set TANDEM_DATA_DIR to another directory$/,
    );

    const otherData = path.join(work, 'other');
    const taken = start({ TANDEM_DATA_DIR: otherData });
    expect(await taken.exited).toBe(1);
    expect(taken.output().trim().split('\n').at(-1)).toBe(`tandem: PORT ${port} is already in use; stop what listens there or set PORT to another port`);
    // Nothing was left behind: no cluster was created for a start that could not run.
    expect(existsSync(path.join(otherData, 'postgres'))).toBe(false);

    const file = path.join(work, 'a-file');
    writeFileSync(file, 'not a directory');
    const unusable = start({ TANDEM_DATA_DIR: path.join(file, 'data'), PORT: String(await freePort()), WORKER_PORT: String(await freePort()) });
    expect(await unusable.exited).toBe(1);
    expect(unusable.output().trim().split('\n').at(-1)).toMatch(/^tandem: cannot use data directory .*a-file\/data: ENOTDIR/);
    expect(running?.child.exitCode).toBeNull(); // the first start is untouched
  }, 120_000);

  it('stops cleanly on SIGTERM and finds every member and order again on the next start', async () => {
    expect(await stop(current())).toBe(0);
    expect(existsSync(path.join(dataDir, 'tandem.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false); // PostgreSQL shut down
    expect(await portIsFree(port)).toBe(true);

    running = start();
    await healthy();
    expect(running.output()).not.toContain('initialising embedded PostgreSQL');
    const { members } = await gql(MEMBERS, {}, operatorKey);
    expect(members.totalCount).toBe(2);
    expect((await gql(ORDER, { id: orderId }, operatorKey)).order.status).toBe('OFFERED');
  }, 180_000);
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
