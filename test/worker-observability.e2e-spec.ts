import { Queue } from 'bullmq';
import { QUEUES, queueConnectionOptions } from '@tandem/jobs';
import { TEST_REDIS_URL, eventually, testQueueStore } from '@tandem/testing';
import { ProcessStack, ServiceProcess } from './support/processes';

/**
 * A job that fails shows in the worker's log, in its /metrics and in Bull Board
 * (issue 16): a real worker process, a real job whose handler throws (route-order
 * for an id that is no order id, which route-order refuses), two attempts.
 */
const FAILING_JOB_ID = 'observed-failure';
const FAILING_ORDER_ID = 'not-a-uuid';

/** The worker's port, from the line it prints once it listens (ProcessStack chooses it). */
function portOf(worker: ServiceProcess): number {
  const port = /health on http:\/\/localhost:(\d+)\/health/.exec(worker.log)?.[1];
  if (!port) throw new Error(`the worker did not say where it listens:\n${worker.log}`);
  return Number(port);
}

/** The worker's JSON log lines (pino), the Nest banner and other text left out. */
function logLines(worker: ServiceProcess): Record<string, any>[] {
  return worker.log.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      return parsed && typeof parsed === 'object' ? [parsed as Record<string, any>] : [];
    } catch {
      return [];
    }
  });
}

/** The value of one sample line of a Prometheus exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('a failed job on a running worker', () => {
  let stack: ProcessStack;
  let worker: ServiceProcess;
  let workerUrl: string;
  let routing: Queue;
  let operatorKey: string;
  let memberKey: string;

  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    stack = await ProcessStack.start('worker_observability');
    worker = await stack.startWorker('worker');
    workerUrl = `http://127.0.0.1:${portOf(worker)}`;
    const { createNetwork } = await stack.ok(
      `mutation($input: NetworkInput!) { createNetwork(input: $input) { operatorKey network { id } } }`,
      { input: { name: 'Observed', currency: 'USD' } },
      stack.adminKey,
    );
    operatorKey = createNetwork.operatorKey;
    const { registerMember } = await stack.ok(
      `mutation($input: MemberInput!) { registerMember(input: $input) { id } }`,
      { input: { name: 'A client', roles: ['CLIENT'] } },
      operatorKey,
    );
    memberKey = (await stack.ok(`mutation($memberId: ID!) { issueApiKey(memberId: $memberId) }`, { memberId: registerMember.id }, operatorKey)).issueApiKey;

    routing = new Queue(
      QUEUES.routing,
      queueConnectionOptions({ queueStore: testQueueStore(), redisUrl: TEST_REDIS_URL, databaseUrl: stack.databaseUrl, queuePrefix: stack.queuePrefix }),
    );
    await routing.add('route-order', { orderId: FAILING_ORDER_ID }, { jobId: FAILING_JOB_ID, attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    await eventually(async () => (await routing.getJobState(FAILING_JOB_ID)) === 'failed', 20_000);
  }, 180_000);

  afterAll(async () => {
    await routing?.close();
    await stack?.stop();
  });

  it('is logged at each failed attempt, and once more when it is moved to failed for good', async () => {
    const lines = await eventually(async () => {
      const found = logLines(worker).filter((l) => l.jobId === FAILING_JOB_ID);
      return found.length >= 2 && found;
    });
    expect(lines.map((l) => ({ level: l.level, queue: l.queue, job: l.job, attempt: l.attempt, attempts: l.attempts }))).toEqual([
      { level: 40, queue: 'routing', job: 'route-order', attempt: 1, attempts: 2 },
      { level: 50, queue: 'routing', job: 'route-order', attempt: 2, attempts: 2 },
    ]);
    for (const line of lines) expect(line.err).toMatch(/route-order: not-a-uuid is not an order id/);
    expect(lines[1].msg).toMatch(/^job route-order observed-failure moved to failed after attempt 2 of 2: /);
  });

  it("is counted in the worker's /metrics, beside BullMQ's own counts and the outbox backlog", async () => {
    expect((await fetch(`${workerUrl}/metrics`)).status).toBe(401);
    const text = await (await fetch(`${workerUrl}/metrics`, { headers: auth(stack.adminKey) })).text();
    expect(sample(text, 'tandem_jobs_total{queue="routing",job="route-order",outcome="retrying"}')).toBe(1);
    expect(sample(text, 'tandem_jobs_total{queue="routing",job="route-order",outcome="failed"}')).toBe(1);
    expect(sample(text, 'tandem_job_duration_seconds_count{queue="routing",job="route-order",outcome="failed"}')).toBe(1);
    expect(sample(text, 'bullmq_job_count{queue="routing", state="failed"}')).toBe(1);
    expect(sample(text, 'bullmq_job_count{queue="ledger", state="failed"}')).toBe(0);
    // One HELP and TYPE per family, though every queue reports its own.
    expect(text.split('\n').filter((l) => l === '# TYPE bullmq_job_count gauge')).toHaveLength(1);
    // Nothing waits in the outbox: the relay moved every row the API wrote.
    expect(sample(text, 'tandem_outbox_backlog')).toBe(0);
    expect(sample(text, 'tandem_outbox_oldest_age_seconds')).toBe(0);
  });

  describe("in Bull Board, on the worker's port", () => {
    const failedJobs = `/queues/api/queues?activeQueue=${QUEUES.routing}&status=failed&page=1&jobsPerPage=10`;
    const retry = `/queues/api/queues/${QUEUES.routing}/${FAILING_JOB_ID}/retry`;

    it("is listed among the routing queue's failed jobs, with its reason, for an operator key", async () => {
      const res = await fetch(`${workerUrl}${failedJobs}`, { headers: auth(operatorKey) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { queues: { name: string; jobs: { id: string; name: string; failedReason: string; attempts: number }[] }[] };
      const job = body.queues.find((q) => q.name === QUEUES.routing)?.jobs.find((j) => j.id === FAILING_JOB_ID);
      expect(job).toMatchObject({ name: 'route-order', attempts: 2 });
      expect(job?.failedReason).toMatch(/route-order: not-a-uuid is not an order id/);
    });

    it('asks for a key, in a way a browser answers, and refuses member keys', async () => {
      const none = await fetch(`${workerUrl}/queues`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect((await fetch(`${workerUrl}${failedJobs}`, { headers: auth('tnd_op_not_a_key') })).status).toBe(401);
      expect((await fetch(`${workerUrl}${failedJobs}`, { headers: auth(memberKey) })).status).toBe(403);
      // The board's page itself, through the browser's Basic prompt with the admin key as password.
      const page = await fetch(`${workerUrl}/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${stack.adminKey}`).toString('base64')}` } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    });

    it('is read-only for an operator key: a retry is refused and the job stays failed; the admin key retries it', async () => {
      expect((await fetch(`${workerUrl}${retry}`, { method: 'PUT', headers: auth(operatorKey) })).status).toBe(403);
      expect(await routing.getJobState(FAILING_JOB_ID)).toBe('failed');
      const byAdmin = await fetch(`${workerUrl}${retry}`, { method: 'PUT', headers: auth(stack.adminKey) });
      expect(byAdmin.status).toBeLessThan(300);
      // Retried, it runs (and fails) again: a third failure is logged.
      await eventually(async () => logLines(worker).filter((l) => l.jobId === FAILING_JOB_ID).length >= 3, 20_000);
    });
  });
});
