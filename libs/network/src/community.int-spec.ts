import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, TandemConfigModule, VettingStatus } from '@tandem/common';
import { PersistenceModule, TransactionRunner } from '@tandem/persistence';
// Specs may use the test harness; the boundary rule is meant for production code.
import { createTestDatabase, testConfig } from '@tandem/testing';
import { CapabilityLoader } from './capability/capability.loader';
import { CapabilityService } from './capability/capability.service';
import { DEFAULT_FEE_SCHEDULE } from './fee-terms/fee-schedule';
import { TermsService } from './fee-terms/terms.service';
import { MemberEntity } from './member/member.entity';
import { MemberLoader } from './member/member.loader';
import { MemberService } from './member/member.service';
import { NetworkModule } from './network/network.module';
import { NetworkService } from './network/network.service';
import { SupplierStatusListeners } from './vetting/supplier-status.listeners';
import { VettingEventEntity } from './vetting/vetting-event.entity';
import { VettingService } from './vetting/vetting.service';

const OPERATOR = 'operator:test';

describe('the network domain against PostgreSQL', () => {
  let app: INestApplicationContext;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let networkId: string;
  // What the registered listener saw, and whether it should fail.
  const heard: { supplierId: string; status: VettingStatus | null; seenInTx: string | null }[] = [];
  let failListener = false;

  beforeAll(async () => {
    db = await createTestDatabase('network-int');
    const config = testConfig(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl }), NetworkModule],
    }).compile();
    app = await moduleRef.init();
    app.get(SupplierStatusListeners).register(async (em: EntityManager, supplierId, status) => {
      const [row] = await em.query('SELECT vetting_status FROM members WHERE id = $1', [supplierId]);
      heard.push({ supplierId, status, seenInTx: row.vetting_status });
      if (failListener) throw new Error('listener failed');
    });
    networkId = (await app.get(NetworkService).create({ name: 'Int', currency: 'USD' })).network.id;
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  beforeEach(() => {
    heard.length = 0;
    failListener = false;
  });

  const members = () => app.get(MemberService);
  const vetting = () => app.get(VettingService);
  const supplier = (name = 'S') => members().register(networkId, OPERATOR, { name, roles: ['SUPPLIER'] });
  const eventsOf = (id: string) =>
    app
      .get(DataSource)
      .getRepository(VettingEventEntity)
      .find({ where: { memberId: id }, order: { id: 'ASC' } });
  const statusOf = async (id: string) => (await members().get(networkId, id)).vettingStatus;

  describe('SupplierStatusListeners', () => {
    it('hears every vetting change inside the changing transaction', async () => {
      const s = await supplier();
      await vetting().setStatus(networkId, OPERATOR, s.id, 'VETTED');
      await vetting().setStatus(networkId, OPERATOR, s.id, 'SUSPENDED', 'late');
      expect(heard).toEqual([
        { supplierId: s.id, status: 'VETTED', seenInTx: 'VETTED' },
        { supplierId: s.id, status: 'SUSPENDED', seenInTx: 'SUSPENDED' },
      ]);
    });

    it('rolls the change back when a listener fails', async () => {
      const s = await supplier();
      await vetting().setStatus(networkId, OPERATOR, s.id, 'VETTED');
      failListener = true;
      await expect(vetting().setStatus(networkId, OPERATOR, s.id, 'REVOKED')).rejects.toThrow('listener failed');
      expect(await statusOf(s.id)).toBe('VETTED');
      expect((await eventsOf(s.id)).map((e) => e.toStatus)).toEqual(['APPLIED', 'VETTED']);
    });

    it('hears a supplier losing the SUPPLIER role as status null, and gaining it as APPLIED', async () => {
      const s = await supplier();
      await vetting().setStatus(networkId, OPERATOR, s.id, 'VETTED');
      heard.length = 0;
      await members().setRoles(networkId, OPERATOR, s.id, ['CLIENT']);
      await members().setRoles(networkId, OPERATOR, s.id, ['CLIENT']);
      await members().setRoles(networkId, OPERATOR, s.id, ['SUPPLIER', 'CLIENT']);
      expect(heard).toEqual([
        { supplierId: s.id, status: null, seenInTx: null },
        { supplierId: s.id, status: 'APPLIED', seenInTx: 'APPLIED' },
      ]);
    });

    it('is not called when nothing changes', async () => {
      const s = await supplier();
      await vetting().setStatus(networkId, OPERATOR, s.id, 'APPLIED');
      await members().setRoles(networkId, OPERATOR, s.id, ['SUPPLIER', 'PARTNER']);
      expect(heard).toEqual([]);
    });
  });

  describe('concurrency', () => {
    it('serialises vetting changes: each event starts from the status the previous one set', async () => {
      const s = await supplier();
      const statuses: VettingStatus[] = ['UNDER_REVIEW', 'VETTED', 'SUSPENDED', 'REVOKED', 'APPLIED', 'VETTED', 'SUSPENDED', 'UNDER_REVIEW'];
      await Promise.all(statuses.map((st) => vetting().setStatus(networkId, OPERATOR, s.id, st)));
      const events = await eventsOf(s.id);
      for (let i = 1; i < events.length; i++) expect(events[i].fromStatus).toBe(events[i - 1].toStatus);
      expect(await statusOf(s.id)).toBe(events[events.length - 1].toStatus);
    });

    it('loses no override when the operator sets several fields at once', async () => {
      const m = await members().register(networkId, OPERATOR, { name: 'M', roles: ['CLIENT'] });
      const terms = app.get(TermsService);
      await Promise.all([
        terms.setMemberTerms(networkId, m.id, { clientFeeBps: 100 }),
        terms.setMemberTerms(networkId, m.id, { supplierFeeBps: 200 }),
        terms.setMemberTerms(networkId, m.id, { partnerShareBps: 300 }),
        terms.setMemberTerms(networkId, m.id, { partnerShareMonths: 4 }),
        terms.setMemberTerms(networkId, m.id, { offerTimeoutSeconds: 50 }),
      ]);
      const all = { clientFeeBps: 100, supplierFeeBps: 200, partnerShareBps: 300, partnerShareMonths: 4, offerTimeoutSeconds: 50 };
      expect((await members().get(networkId, m.id)).termOverrides).toEqual(all);
      const history = await terms.history(networkId, m.id);
      expect(history.map((h) => Object.keys(h.terms).length)).toEqual([1, 2, 3, 4, 5]);
    });

    it('adds one capability per category however many arrive together', async () => {
      const s = await supplier();
      const caller = { kind: 'OPERATOR' as const, networkId, keyId: 'k' };
      const input = { supplierId: s.id, category: 'Race', regions: ['X'], dailyCapacity: 1, leadTimeHours: 1, unitPrice: { amount: '1', currency: 'USD' } };
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => app.get(CapabilityService).add(caller, input)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as DomainError).code).toBe('BAD_USER_INPUT');
      }
      expect(await app.get(CapabilityService).forSuppliers([s.id])).toHaveLength(1);
    });
  });

  describe('TermsService.termsFor', () => {
    it("reads inside the caller's transaction: the network schedule with the member's overrides", async () => {
      const m = await members().register(networkId, OPERATOR, { name: 'T', roles: ['SUPPLIER'] });
      const terms = app.get(TermsService);
      expect(await terms.termsFor(app.get(DataSource).manager, m.id)).toEqual(DEFAULT_FEE_SCHEDULE);
      const seen = await app
        .get(TransactionRunner)
        .dataSource.transaction(async (em) => {
          await em.update(MemberEntity, { id: m.id }, { termOverrides: { supplierFeeBps: 250 } });
          const inside = await terms.termsFor(em, m.id);
          throw Object.assign(new Error('rollback'), { inside });
        })
        .catch((e) => e.inside);
      expect(seen).toEqual({ ...DEFAULT_FEE_SCHEDULE, supplierFeeBps: 250 });
      expect(await terms.termsFor(app.get(DataSource).manager, m.id)).toEqual(DEFAULT_FEE_SCHEDULE);
    });

    it('answers an unknown or malformed id with NOT_FOUND', async () => {
      const em = app.get(DataSource).manager;
      await expect(app.get(TermsService).termsFor(em, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(app.get(TermsService).termsFor(em, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('loaders', () => {
    it('load the members of one request in one query, and keep requests apart', async () => {
      const a = await supplier('A');
      const b = await supplier('B');
      const spy = jest.spyOn(members(), 'findByIds');
      const loader = app.get(MemberLoader);
      const ctx = {};
      const [ma, mb, again] = await Promise.all([loader.load(ctx, a.id), loader.load(ctx, b.id), loader.load(ctx, a.id)]);
      expect([ma.name, mb.name, again.name]).toEqual(['A', 'B', 'A']);
      expect(spy).toHaveBeenCalledTimes(1);
      await loader.load({}, a.id);
      expect(spy).toHaveBeenCalledTimes(2);
      await expect(loader.load(ctx, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      spy.mockRestore();
    });

    it('load the capabilities of many suppliers in one query', async () => {
      const caller = { kind: 'OPERATOR' as const, networkId, keyId: 'k' };
      const a = await supplier('CA');
      const b = await supplier('CB');
      const add = (supplierId: string, category: string) =>
        app
          .get(CapabilityService)
          .add(caller, { supplierId, category, regions: ['X'], dailyCapacity: 1, leadTimeHours: 0, unitPrice: { amount: '2.50', currency: 'EUR' } });
      await add(a.id, 'one');
      await add(a.id, 'two');
      await add(b.id, 'three');
      const spy = jest.spyOn(app.get(CapabilityService), 'forSuppliers');
      const loader = app.get(CapabilityLoader);
      const ctx = {};
      const [ca, cb, none] = await Promise.all([loader.forSupplier(ctx, a.id), loader.forSupplier(ctx, b.id), loader.forSupplier(ctx, networkId)]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(ca.map((x) => x.category)).toEqual(['one', 'two']);
      expect(cb).toEqual([expect.objectContaining({ category: 'three', unitPrice: { amount: '2.50', currency: 'EUR' } })]);
      expect(none).toEqual([]);
      spy.mockRestore();
    });
  });
});
