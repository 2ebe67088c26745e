import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { HealthModule, HealthService } from '@tandem/health';
import { JobsModule } from '@tandem/jobs';
import { RoutingModule, RoutingPolicyService } from '@tandem/routing';
import { SettlementModule } from '@tandem/settlement';
import { MIGRATIONS, PersistenceModule, dataSourceOptions, dropDatabase, ensureDatabase, migrate } from '@tandem/persistence';
import { clearQueues, testConfig } from '@tandem/testing';
import { HealthHistory } from '@tandem/health/testing';
// Not exported by their libraries: reached as other suites here reach fixtures.
import { HealthSettingsService } from '../libs/health/src/settings/health-settings.service';
import { SettingsPerDomain1796300000000 } from '../libs/persistence/src/migrations/1796300000000-settings-per-domain';
import { SettlementScheduleService } from '../libs/settlement/src/schedule/settlement-schedule.service';

const BASE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;

/** A data source that knows only these migrations. */
function migrationsSource(url: string, migrations: typeof MIGRATIONS): DataSource {
  return new DataSource({ ...dataSourceOptions({ url, poolSize: 1, role: 'migrations' }), migrations });
}

/**
 * Networks filled under the old schema (routing weights in networks.routing_policy,
 * health settings and the settlement interval in networks.settings), then migrated:
 * each reads back what it read before, through the owners' services.
 */
describe('settings per domain migration', () => {
  const url = (() => {
    const u = new URL(BASE_DB);
    u.pathname = `/tandem_t_settings_migration_${randomUUID().slice(0, 8)}`;
    return u.toString();
  })();
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SettingsPerDomain1796300000000));
  const now = new Date();
  let app: TestingModule;
  let clear: () => Promise<void>;

  const tuned = randomUUID();
  const untouched = randomUUID();
  const handWritten = randomUUID();
  let supplier: string;
  let client: string;

  async function network(id: string, routingPolicy: object, settings: object): Promise<void> {
    await old.query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months,
                             offer_timeout_seconds, routing_policy, settings, created_at)
       VALUES ($1, 'Circles', 'USD', 1000, 500, 2000, 12, 900, $2, $3, $4)`,
      [id, JSON.stringify(routingPolicy), JSON.stringify(settings), new Date(now.getTime() - 400 * DAY)],
    );
  }
  let old: DataSource;

  beforeAll(async () => {
    await ensureDatabase(url);
    old = migrationsSource(url, before);
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });

    // Every setting away from its default.
    await network(
      tuned,
      { priceWeight: 1, reliabilityWeight: 0, healthWeight: 0.25, spreadWeight: 2.5 },
      {
        healthWindowDays: 30,
        healthAtRiskScore: 55,
        healthSharpDrop: 20,
        healthDropLookbackDays: 14,
        memberIdleDays: 60,
        settlementIntervalHours: 24,
        colour: 'blue',
      },
    );
    // Never set anything.
    await network(untouched, {}, {});
    // What a hand-edited row may hold: readers ignored values out of range or of the wrong type, and all-zero weights.
    await network(
      handWritten,
      { priceWeight: 0, reliabilityWeight: 0, healthWeight: 0, spreadWeight: 0 },
      { healthWindowDays: 3, healthAtRiskScore: '50', healthSharpDrop: 2.5, memberIdleDays: 120, settlementIntervalHours: 0 },
    );
    const h = new HealthHistory(old);
    for (const id of [tuned, untouched, handWritten]) {
      await h.feeChange(
        id,
        null,
        { clientFeeBps: 1000, supplierFeeBps: 500, partnerShareBps: 2000, partnerShareMonths: 12, offerTimeoutSeconds: 900 },
        new Date(now.getTime() - 400 * DAY),
      );
    }
    supplier = await h.member(tuned, ['SUPPLIER'], { baselineMinor: 12_345n });
    client = await h.member(tuned, ['CLIENT']);
    await old.destroy();

    await migrate(url);
    const config = testConfig(url);
    clear = () => clearQueues(config);
    const mod = await Test.createTestingModule({
      imports: [
        TandemConfigModule.forRoot(config),
        PersistenceModule.forRoot({ url }),
        JobsModule.forRoot(config),
        HealthModule,
        RoutingModule,
        SettlementModule,
      ],
    }).compile();
    app = await mod.init();
  });

  afterAll(async () => {
    await app?.close();
    await clear?.();
    await dropDatabase(url);
  });

  it('keeps the routing weights each network had', async () => {
    const policies = app.get(RoutingPolicyService);
    expect(await policies.forNetwork(tuned)).toEqual({ priceWeight: 1, reliabilityWeight: 0, healthWeight: 0.25, spreadWeight: 2.5 });
    expect(await policies.forNetwork(untouched)).toEqual({ priceWeight: 0.4, reliabilityWeight: 0.3, healthWeight: 0.15, spreadWeight: 0.15 });
    expect(await policies.forNetwork(handWritten)).toEqual({ priceWeight: 0.4, reliabilityWeight: 0.3, healthWeight: 0.15, spreadWeight: 0.15 });
  });

  it('keeps the health settings each network had, and health computes with them', async () => {
    const settings = app.get(HealthSettingsService);
    expect(await settings.get(tuned)).toEqual({ windowDays: 30, atRiskScore: 55, sharpDrop: 20, dropLookbackDays: 14, idleDays: 60 });
    expect(await settings.get(untouched)).toEqual({ windowDays: 90, atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7, idleDays: 90 });
    expect(await settings.get(handWritten)).toEqual({ windowDays: 90, atRiskScore: 40, sharpDrop: 15, dropLookbackDays: 7, idleDays: 120 });
    expect((await app.get(HealthService).relationshipHealth(tuned, client, now)).windowDays).toBe(30);
  });

  it('keeps each settlement interval', async () => {
    const schedules = app.get(SettlementScheduleService);
    expect(await schedules.intervalHours(tuned)).toBe(24);
    expect(await schedules.intervalHours(untouched)).toBe(0);
    expect(await schedules.intervalHours(handWritten)).toBe(0);
  });

  it('keeps every member acquisition baseline', async () => {
    const health = app.get(HealthService);
    expect((await health.relationshipHealth(tuned, supplier, now)).acquisitionBaseline).toBe(12_345n);
    expect((await health.relationshipHealth(tuned, client, now)).acquisitionBaseline).toBeNull();
  });

  it('puts the settings back into networks when reverted', async () => {
    const ds = migrationsSource(url, MIGRATIONS);
    await ds.initialize();
    try {
      const ran = async () => (await ds.query(`SELECT name FROM migrations`)).map((r: { name: string }) => r.name);
      while ((await ran()).includes(SettingsPerDomain1796300000000.name)) await ds.undoLastMigration({ transaction: 'each' });
      const rows: { id: string; routing_policy: object; settings: object }[] = await ds.query(
        `SELECT id, routing_policy, settings FROM networks WHERE id = ANY($1) ORDER BY id`,
        [[tuned, untouched]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, { routingPolicy: r.routing_policy, settings: r.settings }]))).toEqual({
        [tuned]: {
          routingPolicy: { priceWeight: 1, reliabilityWeight: 0, healthWeight: 0.25, spreadWeight: 2.5 },
          // colour, no setting of anyone's, survives only while networks.settings does (1796300000001 drops it).
          settings: expect.objectContaining({
            healthWindowDays: 30,
            healthAtRiskScore: 55,
            healthSharpDrop: 20,
            healthDropLookbackDays: 14,
            memberIdleDays: 60,
            settlementIntervalHours: 24,
          }),
        },
        [untouched]: { routingPolicy: {}, settings: {} },
      });
      const [{ tables }] = await ds.query(
        `SELECT count(*)::int AS tables FROM pg_tables WHERE tablename IN ('routing_policies', 'health_settings', 'settlement_schedules')`,
      );
      expect(tables).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
