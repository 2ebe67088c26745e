import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfigOrExit, redactUrl } from '@tandem/common';
import { PreflightError, preflight } from './preflight';
import { ensurePortalBuilt } from './portal-build';

const root = path.resolve(__dirname, '..');
/** A bounded heap makes V8 collect before a service passes ~300 MB resident under load. */
const SERVICE_NODE_ARGS: string[] = require('./service-node-args.json');
const log = (line: string) => console.log(`tandem: ${line}`);

/** npm start: check settings and services, migrate, then run the API and the worker until SIGTERM. */
async function main() {
  const config = loadConfigOrExit();
  await preflight(config, log);
  try {
    ensurePortalBuilt(log);
  } catch (e) {
    // The API and worker do not need the portal: they start, and / says the portal is not built.
    log(`could not build the portal, / will say so: ${(e as Error).message.split('\n')[0]}`);
  }
  log(`database ${redactUrl(config.databaseUrl)}`);
  log(`redis ${redactUrl(config.redisUrl)} (queue prefix "${config.queuePrefix}")`);
  log(`portal on http://localhost:${config.port}/, GraphQL on http://localhost:${config.port}/graphql, health on http://localhost:${config.port}/health`);
  if (config.adminKeyGenerated) log(`no TANDEM_ADMIN_KEY set; admin key for this run: ${config.adminKey}`);

  const env = { ...process.env, TANDEM_ADMIN_KEY: config.adminKey, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') };
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stop = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    for (const child of children.values()) child.kill(signal);
  };
  for (const [name, entry] of [['api', 'apps/api/src/main.ts'], ['worker', 'apps/worker/src/main.ts']] as const) {
    const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', entry], { cwd: root, env, stdio: 'inherit' });
    children.set(name, child);
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        console.error(`tandem: ${name} exited (${signal ?? code}); stopping`);
        stop('SIGTERM', 1);
      }
    });
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stop(sig, 0));
}

main().catch((e: Error) => {
  console.error(e instanceof PreflightError ? `tandem: ${e.message}` : `tandem: could not start: ${e.message}`);
  process.exit(1);
});
