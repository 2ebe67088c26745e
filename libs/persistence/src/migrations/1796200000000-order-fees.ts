import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fee breakdown frozen at acceptance moves off routing's orders.fees (jsonb)
 * into settlement's own table, one row per accepted order, every amount a bigint
 * column. A partner share is paid at most once per side (computeFees in
 * libs/settlement/src/fees/fee-calculator.ts), so each side has typed columns.
 * clientPays, supplierReceives and hubNet follow from the rest and are derived
 * on read: the copy first checks that every stored breakdown agrees with them,
 * and refuses to run (changing nothing) when one does not.
 */
export class OrderFees1796200000000 implements MigrationInterface {
  name = 'OrderFees1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_fees (
        order_id uuid PRIMARY KEY REFERENCES orders(id),
        currency text NOT NULL,
        price_minor bigint NOT NULL,
        client_fee_bps int NOT NULL,
        supplier_fee_bps int NOT NULL,
        client_fee_minor bigint NOT NULL,
        supplier_fee_minor bigint NOT NULL,
        client_share_partner_id uuid,
        client_share_referred_id uuid,
        client_share_bps int,
        client_share_minor bigint,
        supplier_share_partner_id uuid,
        supplier_share_referred_id uuid,
        supplier_share_bps int,
        supplier_share_minor bigint,
        frozen_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT order_fees_client_share_whole
          CHECK (num_nulls(client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor) IN (0, 4)),
        CONSTRAINT order_fees_supplier_share_whole
          CHECK (num_nulls(supplier_share_partner_id, supplier_share_referred_id, supplier_share_bps, supplier_share_minor) IN (0, 4))
      )`);

    // Breakdowns the new shape could not hold exactly: more than one share on a side, or totals that disagree.
    const odd: { id: string }[] = await q.query(`
      SELECT o.id FROM orders o
       WHERE o.fees IS NOT NULL AND (
         (SELECT count(*) FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) s WHERE s->>'side' = 'CLIENT') > 1
         OR (SELECT count(*) FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) s WHERE s->>'side' = 'SUPPLIER') > 1
         OR (SELECT count(*) FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) s WHERE s->>'side' NOT IN ('CLIENT', 'SUPPLIER')) > 0
         OR (o.fees->>'clientPays')::numeric <> (o.fees->>'price')::numeric + (o.fees->>'clientFee')::numeric
         OR (o.fees->>'supplierReceives')::numeric <> (o.fees->>'price')::numeric - (o.fees->>'supplierFee')::numeric
         OR (o.fees->>'hubNet')::numeric <> (o.fees->>'clientFee')::numeric + (o.fees->>'supplierFee')::numeric
              - (SELECT coalesce(sum((s->>'amount')::numeric), 0) FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) s)
       )
       ORDER BY o.id LIMIT 10`);
    if (odd.length > 0) {
      throw new Error(`order_fees: these orders' fee breakdowns cannot be moved exactly, fix them first: ${odd.map((r) => r.id).join(', ')}`);
    }

    await q.query(`
      INSERT INTO order_fees (order_id, currency, price_minor, client_fee_bps, supplier_fee_bps, client_fee_minor, supplier_fee_minor,
                              client_share_partner_id, client_share_referred_id, client_share_bps, client_share_minor,
                              supplier_share_partner_id, supplier_share_referred_id, supplier_share_bps, supplier_share_minor,
                              frozen_at)
      SELECT o.id, o.fees->>'currency', (o.fees->>'price')::bigint, (o.fees->>'clientFeeBps')::int, (o.fees->>'supplierFeeBps')::int,
             (o.fees->>'clientFee')::bigint, (o.fees->>'supplierFee')::bigint,
             (c->>'partnerId')::uuid, (c->>'referredId')::uuid, (c->>'bps')::int, (c->>'amount')::bigint,
             (s->>'partnerId')::uuid, (s->>'referredId')::uuid, (s->>'bps')::int, (s->>'amount')::bigint,
             coalesce(o.accepted_at, o.updated_at)
        FROM orders o
        LEFT JOIN LATERAL (SELECT x FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) x WHERE x->>'side' = 'CLIENT') cs(c) ON true
        LEFT JOIN LATERAL (SELECT x FROM jsonb_array_elements(coalesce(o.fees->'partnerShares', '[]')) x WHERE x->>'side' = 'SUPPLIER') ss(s) ON true
       WHERE o.fees IS NOT NULL`);
    await q.query(`ALTER TABLE orders DROP COLUMN fees`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN fees jsonb`);
    // The stored JSON form: amounts as decimal strings, rates as numbers, the client side's share first.
    await q.query(`
      UPDATE orders o SET fees = jsonb_build_object(
          'currency', f.currency,
          'price', f.price_minor::text,
          'clientFeeBps', f.client_fee_bps,
          'supplierFeeBps', f.supplier_fee_bps,
          'clientFee', f.client_fee_minor::text,
          'supplierFee', f.supplier_fee_minor::text,
          'clientPays', (f.price_minor::numeric + f.client_fee_minor)::text,
          'supplierReceives', (f.price_minor::numeric - f.supplier_fee_minor)::text,
          'partnerShares', jsonb_path_query_array(jsonb_build_array(
              CASE WHEN f.client_share_minor IS NOT NULL THEN jsonb_build_object('partnerId', f.client_share_partner_id, 'referredId',
                f.client_share_referred_id, 'side', 'CLIENT', 'bps', f.client_share_bps, 'amount', f.client_share_minor::text) END,
              CASE WHEN f.supplier_share_minor IS NOT NULL THEN jsonb_build_object('partnerId', f.supplier_share_partner_id, 'referredId',
                f.supplier_share_referred_id, 'side', 'SUPPLIER', 'bps', f.supplier_share_bps, 'amount', f.supplier_share_minor::text) END
            ), '$[*] ? (@ != null)'),
          'hubNet', (f.client_fee_minor::numeric + f.supplier_fee_minor - coalesce(f.client_share_minor, 0) - coalesce(f.supplier_share_minor, 0))::text)
        FROM order_fees f WHERE f.order_id = o.id`);
    await q.query(`DROP TABLE order_fees`);
  }
}
