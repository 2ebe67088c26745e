import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig, redactUrl } from '@tandem/common';
import { EmbeddedPostgresError } from './embedded/postgres';
import { ProvidedServices, provideServices } from './embedded/provide';
import { PreflightError, preflight } from './preflight';
import { ensurePortalBuilt } from './portal-build';
import { Supervisor } from './supervisor';

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
      reject(new PreflightError(e.code === 'EADDRINUSE' ? `${name} ${port} is already in use; stop what listens there or set ${name} to another port` : `cannot listen on ${name} ${port}: ${e.message}`)),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

/**
 * npm start: choose (or start) PostgreSQL and the queue store, check settings and
 * ports, migrate, then run the API and the worker, restarting either if it dies,
 * until SIGINT or SIGTERM; an embedded PostgreSQL stops after them.
 */
async function main(): Promise<number> {
  // A malformed setting or a port taken stops us before anything is started or written.
  const settings = loadConfig(process.env);
  await assertPortFree('PORT', settings.port);
  await assertPortFree('WORKER_PORT', settings.workerPort);
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
    if (config.adminKeyGenerated) log(`no TANDEM_ADMIN_KEY set; admin key for this run: ${config.adminKey}`);

    const env = { ...services.env, TANDEM_ADMIN_KEY: config.adminKey, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') };
    const supervisor = new Supervisor(
      (
        [
          ['api', 'apps/api/src/main.ts'],
          ['worker', 'apps/worker/src/main.ts'],
        ] as const
      ).map(([name, entry]) => ({ name, spawn: () => spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', entry], { cwd: root, env, stdio: 'inherit' }) })),
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
    const known = e instanceof PreflightError || e instanceof ConfigError || e instanceof EmbeddedPostgresError;
    console.error(known ? `tandem: ${e instanceof ConfigError ? 'configuration error: ' : ''}${e.message}` : `tandem: could not start: ${e.message}`);
    process.exit(1);
  },
);
