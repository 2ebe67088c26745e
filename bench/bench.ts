import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase } from '@tandem/persistence';
import { clearQueues } from '@tandem/testing';
import { ProvidedServices, provideServices } from '../tools/embedded/provide';
import { fulfilment } from './scenarios/fulfilment';
import { health } from './scenarios/health';
import { intake } from './scenarios/intake';
import { portal } from './scenarios/portal';
import { posting } from './scenarios/posting';
import { queue } from './scenarios/queue';
import { reads } from './scenarios/reads';
import { relationships, withoutRateLimit } from './scenarios/relationships';
import { routing } from './scenarios/routing';
import { scale } from './scenarios/scale';
import { webhooks } from './scenarios/webhooks';
import { BENCH_BUILD, BenchStack, Figure, Report, fmt, startStack } from './support';

/**
 * npm run bench [-- --only intake,routing --quick]: every hot path against the
 * real PostgreSQL and Redis, each figure beside a baseline measured in the same run.
 * Without servers (or with TANDEM_EMBEDDED=true) it runs on an embedded PostgreSQL
 * in .tandem/bench/ with the queues on it, and says so: figures of the two modes
 * are not comparable with each other.
 */
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : null;
const runsArg = argv.indexOf('--runs');
/** --runs N: the chosen scenarios N times in a row; a target counts as met only if every run met it. */
const runs = runsArg >= 0 ? Math.max(1, Number(argv[runsArg + 1])) : 1;

/** Runs a scenario against a fresh API (and worker) on a database of its own, then removes them. */
async function onStack(name: string, worker: boolean, run: (s: BenchStack) => Promise<void>, report: Report): Promise<void> {
  const stack = await startStack(`tandem_bench_${name.replace(/-/g, '_')}`, { worker });
  try {
    await run(stack);
  } finally {
    await stack.stop();
    for (const [service, mb] of Object.entries(stack.peakRssMb)) {
      if (mb > 0) report.add({ name: `memory: ${service} peak RSS during ${name}`, value: mb, unit: 'MB', target: '< 300 MB', met: mb < 300 });
    }
    if (stack.config.queueStore === 'redis') {
      await clearQueues(stack.config.redisUrl, stack.config.queuePrefix);
      await clearQueues(stack.config.redisUrl, `${stack.config.queuePrefix}-bare`);
    }
    await dropDatabase(stack.config.databaseUrl);
  }
}

const scenarios: { name: string; run: (r: Report) => Promise<void> }[] = [
  { name: 'intake', run: (r) => onStack('intake', true, (s) => intake(s, r, { seconds: quick ? 3 : 10 }), r) },
  { name: 'routing-20', run: (r) => onStack('routing-20', true, (s) => routing(s, r, { suppliers: 20, orders: quick ? 50 : 200 }), r) },
  { name: 'routing', run: (r) => onStack('routing', true, (s) => routing(s, r, { suppliers: 1_000, orders: quick ? 50 : 200 }), r) },
  {
    name: 'routing-100k',
    run: (r) => onStack('routing-100k', true, (s) => routing(s, r, { suppliers: quick ? 20_000 : 100_000, orders: quick ? 30 : 100 }), r),
  },
  { name: 'posting', run: (r) => onStack('posting', false, (s) => posting(s, r, { orders: quick ? 2_000 : 10_000, pgbenchSeconds: quick ? 3 : 10 }), r) },
  { name: 'fulfilment', run: (r) => onStack('fulfilment', true, (s) => fulfilment(s, r, { perSecond: 500, seconds: quick ? 4 : 10 }), r) },
  { name: 'queue', run: (r) => onStack('queue', false, (s) => queue(s, r, { jobs: quick ? 2_000 : 10_000 }), r) },
  { name: 'reads', run: (r) => onStack('reads', false, (s) => reads(s, r, { postings: quick ? 200_000 : 1_000_000, requests: quick ? 200 : 1000 }), r) },
  {
    name: 'reads-10m',
    run: (r) => onStack('reads-10m', false, (s) => reads(s, r, { postings: quick ? 2_000_000 : 10_000_000, requests: quick ? 200 : 1000 }), r),
  },
  { name: 'portal', run: (r) => onStack('portal', false, (s) => portal(s, r, { loads: quick ? 3 : 10 }), r) },
  // Processes of its own: 1 and 2 APIs, 1 and 2 workers, single Redis and a Redis Cluster (issue 15).
  { name: 'scale', run: (r) => scale(r, { orders: quick ? 2_000 : 5_000, seconds: quick ? 5 : 10, pgbenchSeconds: quick ? 3 : 10 }) },
  // One API and one worker; a network with 10 endpoints on "*" against one with none (issue 17).
  { name: 'webhooks', run: (r) => webhooks(r, { seconds: quick ? 4 : 6, fulfils: quick ? 150 : 300, rounds: quick ? 2 : 4 }) },
  // 10,000 members and a million orders, seeded once into a database of its own and kept between runs.
  { name: 'health', run: (r) => health(r) },
  {
    name: 'relationships',
    run: (r) =>
      withoutRateLimit(() =>
        onStack(
          'relationships',
          false,
          (s) => relationships(s, r, { members: quick ? 20_000 : 100_000, orders: quick ? 40_000 : 200_000, requests: quick ? 100 : 500 }),
          r,
        ),
      ),
  },
];

/** The mode lines printed at the start, kept for the summary of several runs. */
const modeLines: string[] = [];
const sayMode = (line: string) => {
  modeLines.push(line);
  console.log(`mode: ${line}`);
};

/** Chooses real servers or the embedded PostgreSQL as npm start does, and says which. */
async function chooseMode(): Promise<ProvidedServices | null> {
  if (process.env.BENCH_DATABASE_URL) {
    sayMode(`PostgreSQL at BENCH_DATABASE_URL, queues on ${process.env.TANDEM_QUEUE_STORE || 'redis'}`);
    return null;
  }
  const services = await provideServices(process.env, 'npm run bench', sayMode, { database: 'postgres', subdir: 'bench' });
  if (services.choice.database === 'embedded') process.env.BENCH_DATABASE_URL = services.env.DATABASE_URL;
  process.env.TANDEM_QUEUE_STORE = services.choice.queues;
  return services;
}

async function main() {
  const services = await chooseMode();
  if (BENCH_BUILD === 'dist') {
    // What the image runs; BENCH_BUILD=source measures the sources as npm start runs them.
    execFileSync('npm', ['run', 'build'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
    sayMode('services from the compiled build (dist/, npm run build), as the image runs them');
  } else {
    sayMode('services from the TypeScript sources through @swc-node/register (BENCH_BUILD=source), as npm start runs them');
  }
  const dir = path.join(__dirname, 'results');
  const reports: Report[] = [];
  for (let run = 1; run <= runs; run++) {
    const report = new Report();
    for (const scenario of scenarios) {
      if (only && !only.has(scenario.name)) continue;
      console.log(`\n${scenario.name}${runs > 1 ? ` (run ${run} of ${runs})` : ''}`);
      try {
        await scenario.run(report);
      } catch (e) {
        // One scenario that fails is a figure of its own; the others of the run still count.
        if (runs === 1) throw e;
        report.add({ name: `${scenario.name}: completed`, value: NaN, unit: (e as Error).message.split('\n')[0], target: 'completes', met: false });
      }
    }
    report.write(dir);
    reports.push(report);
    console.log(`\nwritten to ${path.relative(process.cwd(), dir)}/latest.json and latest.md`);
  }
  if (runs > 1) {
    writeFileSync(path.join(dir, 'latest-runs.md'), runsSummary(reports));
    console.log(`the ${runs} runs side by side: ${path.relative(process.cwd(), dir)}/latest-runs.md`);
  }
  await services?.stop();
  process.exit(0);
}

/** Every figure of several runs in a row, side by side; a target is met only when it was met in every run. */
function runsSummary(reports: Report[]): string {
  const names = [...new Set(reports.flatMap((r) => r.figures.map((f) => f.name)))];
  const head = `| figure | ${reports.map((_, i) => `run ${i + 1}`).join(' | ')} | baseline, each run | target | every run |`;
  const rows = names.map((name) => {
    const each = reports.map((r) => r.figures.find((f) => f.name === name));
    const first = each.find(Boolean) as Figure;
    const values = each.map((f) => (f ? `${fmt(f.value)} ${f.unit}` : '–')).join(' | ');
    const baselines = each.some((f) => f?.baseline) ? each.map((f) => (f?.baseline ? fmt(f.baseline.value) : '–')).join(' / ') : '';
    const verdict = first.target ? (each.every((f) => f?.met) ? 'met' : `**not met** (${each.filter((f) => f?.met).length} of ${each.length})`) : '';
    return `| ${name} | ${values} | ${first.baseline ? `${first.baseline.name}: ${baselines}` : ''} | ${first.target ?? ''} | ${verdict} |`;
  });
  const sep = `| --- | ${reports.map(() => '---').join(' | ')} | --- | --- | --- |`;
  const at = new Date().toISOString();
  return [
    `${reports.length} runs in a row, finished ${at}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    '',
    ...modeLines.map((l) => `- mode: ${l}`),
    '',
    head,
    sep,
    ...rows,
    '',
  ].join('\n');
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
