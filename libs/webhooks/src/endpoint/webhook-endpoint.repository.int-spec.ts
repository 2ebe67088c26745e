import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TandemConfigModule } from '@tandem/common';
import { PersistenceModule } from '@tandem/persistence';
import { createTestDatabase, testConfig } from '@tandem/testing';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/** The subscribed endpoints of many events in one statement (real PostgreSQL). */
describe('WebhookEndpointRepository.subscribedToEach', () => {
  let app: INestApplicationContext;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase('webhook_endpoints');
    const config = testConfig(db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [TandemConfigModule.forRoot(config), PersistenceModule.forRoot({ url: config.databaseUrl })],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const ds = () => app.get(DataSource);
  const network = async () => {
    const id = randomUUID();
    await ds().query(
      `INSERT INTO networks (id, name, currency, client_fee_bps, supplier_fee_bps, partner_share_bps, partner_share_months, offer_timeout_seconds)
       VALUES ($1, 'Net', 'USD', 1000, 500, 2000, 12, 900)`,
      [id],
    );
    return id;
  };
  const endpoint = async (networkId: string, url: string, eventTypes: string[], enabled = true) => {
    const id = randomUUID();
    await ds().query(`INSERT INTO webhook_endpoints (id, network_id, url, event_types, enabled, secret) VALUES ($1, $2, $3, $4, $5, 'whsec_x')`, [
      id,
      networkId,
      url,
      eventTypes,
      enabled,
    ]);
    return id;
  };

  it("answers each (network, event type) with that network's enabled endpoints of the type or of *, in the order asked, repeats included", async () => {
    const [a, b, quiet] = [await network(), await network(), await network()];
    await endpoint(a, 'https://a.example/placed', ['order.placed']);
    await endpoint(a, 'https://a.example/all', ['*']);
    await endpoint(a, 'https://a.example/off', ['order.placed'], false);
    await endpoint(a, 'https://a.example/offered', ['order.offered', 'order.accepted']);
    await endpoint(b, 'https://b.example/placed', ['order.placed']);

    const each = await WebhookEndpointRepository.subscribedToEach(ds().manager, [
      { networkId: a, eventType: 'order.placed' },
      { networkId: b, eventType: 'order.offered' },
      { networkId: quiet, eventType: 'order.placed' },
      { networkId: a, eventType: 'order.accepted' },
      { networkId: a, eventType: 'order.placed' },
      { networkId: b, eventType: 'order.placed' },
    ]);

    const urls = each.map((list) => list.map((e) => e.url).sort());
    expect(urls).toEqual([
      ['https://a.example/all', 'https://a.example/placed'],
      [],
      [],
      ['https://a.example/all', 'https://a.example/offered'],
      ['https://a.example/all', 'https://a.example/placed'],
      ['https://b.example/placed'],
    ]);
    expect(each[5][0]).toEqual({
      id: expect.any(String),
      networkId: b,
      memberId: null,
      url: 'https://b.example/placed',
      eventTypes: ['order.placed'],
      enabled: true,
      description: null,
      secret: 'whsec_x',
      previousSecret: null,
      previousSecretUntil: null,
      createdAt: expect.any(Date),
    });
    expect(await WebhookEndpointRepository.subscribedToEach(ds().manager, [])).toEqual([]);
  });
});
