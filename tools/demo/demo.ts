import { INestApplication } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { Clock, DAY_MS, TandemConfig, loadConfigOrExit, redactUrl } from '@tandem/common';
import { HealthSnapshotService } from '@tandem/health';
import { provideServices } from '../embedded/provide';
import { dropDatabase, ensureDatabase, migrate, setSimulatedClock } from '@tandem/persistence';
import { createApiApp } from '../../apps/api/src/api.app';
import { createWorkerApp } from '../../apps/worker/src/worker.app';
import { GraphqlClient } from './graphql-client';
import { Progress, runHubDay } from './hub-day';
import { runHubQuarter } from './hub-quarter';
import { renderQuarterReport } from './quarter-report';
import { renderReport } from './report';

/**
 * npm run demo [-- --orders N --seed S --exit]: starts Tandem on a database of
 * its own, simulates a concierge hub's day through the public API and reports.
 * With `--days N` (N > 1) it simulates N days under the simulated clock
 * (TANDEM_SIMULATED_CLOCK), `--orders` a day (default 30), and reports how the
 * relationships changed over them.
 */
function parseArgs(argv: string[]) {
  const get = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
    return n;
  };
  const days = Math.max(1, get('--days', 1));
  return { days, orders: get('--orders', days > 1 ? 30 : 3000), seed: get('--seed', 42), exit: argv.includes('--exit') };
}

/** A bar per phase on a terminal; elsewhere (a log, CI) one line per phase with its duration, to see where the day's time goes. */
function progressBars(): Progress {
  let bar: SingleBar | undefined;
  let current: { name: string; total: number; started: number } | undefined;
  return {
    phase(name, total) {
      current = { name, total, started: Date.now() };
      bar = new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} | {phase} | {duration_formatted}', hideCursor: true }, Presets.shades_classic);
      bar.start(total, 0, { phase: name });
    },
    tick(n = 1) {
      bar?.increment(n);
    },
    done() {
      bar?.update(bar.getTotal());
      bar?.stop();
      bar = undefined;
      if (current && !process.stderr.isTTY) console.log(`${current.name}: ${current.total} in ${((Date.now() - current.started) / 1000).toFixed(1)} s`);
      current = undefined;
    },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  loadConfigOrExit(); // a malformed setting stops the demo before anything starts
  // Without servers: an embedded PostgreSQL in .tandem/demo/ and the queues on it (see tools/embedded/choose.ts).
  const services = await provideServices(process.env, 'npm run demo', (line) => console.log(`demo: ${line}`), { subdir: 'demo' });
  const env = loadConfigOrExit(services.env);
  const dbUrl = new URL(env.databaseUrl);
  dbUrl.pathname = '/tandem_demo';
  const config: TandemConfig = {
    ...env,
    databaseUrl: dbUrl.toString(),
    queuePrefix: 'tandem-demo',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    // A whole hub's day from one process is far above one partner's rate; limits apply only when asked for.
    rateLimitPerSecond: process.env.TANDEM_RATE_LIMIT_PER_SECOND ? env.rateLimitPerSecond : 0,
    rateLimitAnonymousPerSecond: process.env.TANDEM_RATE_LIMIT_ANONYMOUS_PER_SECOND ? env.rateLimitAnonymousPerSecond : 0,
    // Several days need business time that moves faster than real time; one day runs on the real clock.
    simulatedClock: args.days > 1,
  };

  const perDay = args.days > 1 ? ` a day for ${args.days} simulated days` : '';
  console.log(`Tandem demo: ${args.orders} orders${perDay}, seed ${args.seed}, database ${redactUrl(config.databaseUrl)} (recreated)`);
  await dropDatabase(config.databaseUrl);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  // The simulated quarter ends today: it starts `days` days ago, so the portal afterwards shows it as recent history.
  const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - args.days * DAY_MS);
  if (config.simulatedClock) await setSimulatedClock(config.databaseUrl, start);
  const api: INestApplication = await createApiApp(config);
  await api.listen(config.port);
  const worker: INestApplication = await createWorkerApp(config);
  await worker.init();
  const url = `http://localhost:${config.port}`;
  const stop = async () => {
    await worker.close();
    await api.close();
    await services.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

  if (args.days > 1) {
    const report = await runHubQuarter(
      new GraphqlClient(url),
      config.adminKey,
      { days: args.days, ordersPerDay: args.orders, seed: args.seed, offerTimeoutSeconds: 1, concurrency: 8, start },
      {
        advanceTo: async (at) => {
          await setSimulatedClock(config.databaseUrl, at);
          await followed([api.get(Clock), worker.get(Clock)], at);
        },
        snapshot: async (networkId) => void (await api.get(HealthSnapshotService, { strict: false }).snapshotNetwork(networkId)),
      },
      progressBars(),
    );
    console.log(renderQuarterReport(report));
    const k = report.keys;
    console.log(
      [
        '',
        `Portal: ${url}/ (sign in with a key)`,
        `GraphQL: ${url}/graphql`,
        `operator key: ${k.operator}`,
        `supplier key (${k.supplier.name}): ${k.supplier.key}`,
        `client key (${k.client.name}): ${k.client.key}`,
        `partner key (${k.partner.name}): ${k.partner.key}`,
        `admin key: ${config.adminKey}`,
      ].join('\n'),
    );
  } else {
    const report = await runHubDay(
      new GraphqlClient(url),
      config.adminKey,
      { orders: args.orders, seed: args.seed, offerTimeoutSeconds: 3, concurrency: 16 },
      progressBars(),
    );
    console.log(renderReport(report));
    console.log(`\nGraphQL: ${url}/graphql\noperator key: ${report.network.operatorKey}\nadmin key: ${config.adminKey}`);
  }
  if (args.exit) {
    await stop();
    return;
  }
  console.log('Tandem keeps running so you can explore; Ctrl-C stops it.');
}

/** Waits until every process's clock has followed the move to `at` (a notification away). */
async function followed(clocks: Clock[], at: Date): Promise<void> {
  for (const until = Date.now() + 10_000; !clocks.every((c) => c.now().getTime() >= at.getTime()); await new Promise((r) => setTimeout(r, 5))) {
    if (Date.now() > until) throw new Error('the simulated clock did not reach every process within 10 s');
  }
}

main().catch((e: Error) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
