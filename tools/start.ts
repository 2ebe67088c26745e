import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import net from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig, redactUrl } from '@tandem/common';
import { EmbeddedPostgresError } from './embedded/postgres';
import { ProvidedServices, provideServices } from './embedded/provide';
import { PreflightError, preflight } from './preflight';
import { ensurePortalBuilt } from './portal-build';
import { PlannedService, StartArgsError, SupervisedProcess, Supervisor, parseStartArgs, servicePlan } from './supervisor';

const root = path.resolve(__dirname, '..');
/** A bounded heap makes V8 collect before a service passes ~300 MB resident under load. */
const SERVICE_NODE_ARGS: string[] = require('./service-node-args.json');
const log = (line: string) => console.log(`tandem: ${line}`);

/** Fails with one clear line when something already listens on a port the API or the worker needs. */
async function assertPortFree(name: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new PreflightError(
          e.code === 'EADDRINUSE'
            ? `${name} ${port} is already in use; stop what listens there or set ${name} to another port`
            : `cannot listen on ${name} ${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

const ENTRY = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' } as const;

/**
 * Starts one planned service. API processes that share a port are forked
 * through Node's cluster module, this process being the primary that accepts
 * the connections and hands them out in turn; every other service is a plain
 * child process.
 */
function spawnService(service: PlannedService, shared: boolean, env: NodeJS.ProcessEnv): SupervisedProcess {
  const serviceEnv = { ...env, ...service.env, TANDEM_SERVICE_NAME: service.name };
  if (service.kind === 'api' && shared) {
    cluster.setupPrimary({ exec: path.join(root, ENTRY.api), execArgv: [...SERVICE_NODE_ARGS, '-r', '@swc-node/register'], cwd: root });
    const worker = cluster.fork(serviceEnv);
    return {
      once: (event, listener) => worker.once(event, listener),
      // A signal to the process itself, so the API's shutdown hooks drain as they do outside the cluster.
      kill: (signal) => worker.process.kill(signal),
    };
  }
  return spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', ENTRY[service.kind]], { cwd: root, env: serviceEnv, stdio: 'inherit' });
}

/**
 * npm start: choose (or start) PostgreSQL and the queue store, check settings and
 * ports, migrate, then run the API and worker processes (`--api N --workers M`,
 * or TANDEM_API_PROCESSES / TANDEM_WORKER_PROCESSES), restarting any that dies,
 * until SIGINT or SIGTERM; an embedded PostgreSQL stops after them.
 */
async function main(): Promise<number> {
  // A malformed setting or a port taken stops us before anything is started or written.
  const settings = loadConfig(process.env);
  const args = parseStartArgs(process.argv.slice(2));
  const apiPorts = args.apiPorts ?? 'shared';
  const plan = servicePlan({
    apiProcesses: args.apiProcesses ?? settings.apiProcesses,
    workerProcesses: args.workerProcesses ?? settings.workerProcesses,
    port: settings.port,
    workerPort: settings.workerPort,
    apiPorts,
  });
  for (const port of new Set(plan.filter((s) => s.kind === 'api').map((s) => s.port))) await assertPortFree('PORT', port);
  for (const s of plan.filter((p) => p.kind === 'worker')) await assertPortFree('WORKER_PORT', s.port);
  const apiCount = plan.filter((s) => s.kind === 'api').length;
  const sharedPort = apiPorts === 'shared' && apiCount > 1;
  let services: ProvidedServices | undefined;
  try {
    services = await provideServices(process.env, 'npm start', log);
    const config = loadConfig(services.env);
    await preflight(config, log);
    try {
      ensurePortalBuilt(log);
    } catch (e) {
      // The API and worker do not need the portal: they start, and / says the portal is not built.
      log(`could not build the portal, / will say so: ${(e as Error).message.split('\n')[0]}`);
    }
    log(`database ${redactUrl(config.databaseUrl)}`);
    if (config.queueStore === 'redis') log(`redis ${redactUrl(config.redisUrl)} (queue prefix "${config.queuePrefix}")`);
    log(`portal on http://localhost:${config.port}/, GraphQL on http://localhost:${config.port}/graphql, health on http://localhost:${config.port}/health`);
    if (apiCount > 1) {
      log(
        sharedPort
          ? `${apiCount} API processes share port ${config.port} (Node cluster)`
          : `${apiCount} API processes on ports ${plan
              .filter((p) => p.kind === 'api')
              .map((p) => p.port)
              .join(', ')}: put a load balancer in front`,
      );
    }
    if (plan.length - apiCount > 1) log(`${plan.length - apiCount} worker processes`);
    if (config.adminKeyGenerated) log(`no TANDEM_ADMIN_KEY set; admin key for this run: ${config.adminKey}`);

    const env = { ...services.env, TANDEM_ADMIN_KEY: config.adminKey, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') };
    const supervisor = new Supervisor(
      plan.map((service) => ({ name: service.name, spawn: () => spawnService(service, sharedPort, env) })),
      log,
    );
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => supervisor.stop(sig, 0));
    return await supervisor.start();
  } finally {
    await services?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    const known = e instanceof PreflightError || e instanceof ConfigError || e instanceof EmbeddedPostgresError || e instanceof StartArgsError;
    console.error(known ? `tandem: ${e instanceof ConfigError ? 'configuration error: ' : ''}${e.message}` : `tandem: could not start: ${e.message}`);
    process.exit(1);
  },
);
