import { Caller } from '@tandem/auth';
import { OrderPolicy, OrderReach } from './order.policy';
import { toOrderEventObject } from './order.object';
import { OrderEventEntity } from './order-event.entity';

const N = 'net-1';
const operator: Caller = { kind: 'OPERATOR', networkId: N, keyId: 'k0' };
const otherOperator: Caller = { kind: 'OPERATOR', networkId: 'net-2', keyId: 'k9' };
const member = (memberId: string, roles: ('CLIENT' | 'SUPPLIER' | 'PARTNER')[]): Caller => ({ kind: 'MEMBER', networkId: N, memberId, roles, keyId: 'k' });
const client = member('c', ['CLIENT']);
const supplier = member('s', ['SUPPLIER']);
const partner = member('p', ['PARTNER']);
const order = (over: Partial<OrderReach> = {}): OrderReach => ({
  networkId: N,
  clientId: 'c',
  supplierId: null,
  status: 'ROUTING',
  acceptedAt: null,
  ...over,
});

describe('OrderPolicy', () => {
  const policy = new OrderPolicy();

  it('lets the operator reach every order of its network and none of another', () => {
    expect(policy.canSee(operator, order())).toBe(true);
    expect(policy.canSee(otherOperator, order())).toBe(false);
    expect(policy.canSee({ kind: 'ADMIN' }, order())).toBe(false);
  });

  it('lets a client reach its own orders only', () => {
    expect(policy.canSee(client, order())).toBe(true);
    expect(policy.canSee(member('c2', ['CLIENT']), order())).toBe(false);
    expect(policy.canSee({ ...client, networkId: 'net-2' } as Caller, order())).toBe(false);
  });

  it('lets a supplier reach an order offered to it now or accepted by it, and nothing after it passed', () => {
    expect(policy.canSee(supplier, order({ status: 'OFFERED', supplierId: 's' }))).toBe(true);
    expect(policy.canSee(supplier, order({ status: 'OFFERED', supplierId: 'other' }))).toBe(false);
    expect(policy.canSee(supplier, order({ status: 'ROUTING' }))).toBe(false);
    const accepted = new Date();
    for (const status of ['ACCEPTED', 'FULFILLED', 'REFUNDED', 'CANCELLED'] as const) {
      expect(policy.canSee(supplier, order({ status, supplierId: 's', acceptedAt: accepted }))).toBe(true);
    }
    expect(policy.canSee(supplier, order({ status: 'CANCELLED', supplierId: null }))).toBe(false);
  });

  it('never lets a partner reach the orders of the members it referred', () => {
    expect(policy.canSee(partner, order())).toBe(false);
    expect(policy.filter(partner, 'o').sql).toContain('o.client_id = :op_self');
  });

  it('gives the union for a member with several roles', () => {
    const both = member('s', ['CLIENT', 'SUPPLIER']);
    expect(policy.canSee(both, order({ clientId: 's' }))).toBe(true);
    expect(policy.canSee(both, order({ status: 'OFFERED', supplierId: 's' }))).toBe(true);
  });

  it('shows a supplier-only viewer its own routing row and the client everything', () => {
    const offered = order({ status: 'OFFERED', supplierId: 's' });
    expect(policy.ownRowsOnly(supplier, offered)).toBe('s');
    expect(policy.ownRowsOnly(client, offered)).toBeNull();
    expect(policy.ownRowsOnly(operator, offered)).toBeNull();
  });

  it('says who may answer, fulfil and cancel', () => {
    const offered = order({ status: 'OFFERED', supplierId: 's' });
    expect(policy.holdsOffer(supplier, offered)).toBe(true);
    expect(policy.holdsOffer(member('x', ['SUPPLIER']), offered)).toBe(false);
    expect(policy.holdsOffer(operator, offered)).toBe(false);
    expect(policy.accepted(supplier, order({ status: 'ACCEPTED', supplierId: 's', acceptedAt: new Date() }))).toBe(true);
    expect(policy.accepted(supplier, offered)).toBe(false);
    expect(policy.actsForClient(client, offered)).toBe(true);
    expect(policy.actsForClient(operator, offered)).toBe(true);
    expect(policy.actsForClient(supplier, offered)).toBe(false);
  });

  it('expresses reach as SQL for lists', () => {
    expect(policy.filter(operator, 'o')).toEqual({ sql: 'o.network_id = :op_network', params: { op_network: N } });
    expect(policy.filter({ kind: 'ADMIN' }, 'o').sql).toBe('false');
    const f = policy.filter(supplier, 'o');
    expect(f.params).toEqual({ op_network: N, op_self: 's' });
    expect(f.sql).toBe(
      "o.network_id = :op_network AND (o.client_id = :op_self OR (o.supplier_id = :op_self AND (o.status = 'OFFERED' OR o.accepted_at IS NOT NULL)))",
    );
  });
});

describe('order events as a caller sees them', () => {
  const at = new Date('2026-11-22T10:00:00Z');
  const event = (over: Partial<OrderEventEntity>): OrderEventEntity => ({
    id: '1',
    orderId: 'o',
    networkId: N,
    type: 'declined',
    actor: 'member:s1',
    supplierId: 's1',
    detail: { reason: 'too busy' },
    createdAt: at,
    ...over,
  });

  it('strips other suppliers from what a supplier sees', () => {
    const view = { operator: false, ownSupplierId: 's2', clientId: 'c' };
    expect(toOrderEventObject(event({}), view)).toEqual({ type: 'declined', actor: null, supplierId: null, at, detail: null });
    expect(toOrderEventObject(event({ type: 'offered', actor: 'system', supplierId: 's2', detail: {} }), view)).toEqual({
      type: 'offered',
      actor: 'system',
      supplierId: 's2',
      at,
      detail: null,
    });
    expect(toOrderEventObject(event({ type: 'placed', actor: 'member:c', supplierId: null, detail: {} }), view).actor).toBe('member:c');
  });

  it('shows the operator and the client everything, with operator key ids for the operator only', () => {
    expect(toOrderEventObject(event({}), { operator: true, ownSupplierId: null, clientId: 'c' })).toEqual({
      type: 'declined',
      actor: 'member:s1',
      supplierId: 's1',
      at,
      detail: 'too busy',
    });
    const cancelled = event({ type: 'cancelled', actor: 'operator:k0', supplierId: null, detail: {} });
    expect(toOrderEventObject(cancelled, { operator: true, ownSupplierId: null, clientId: 'c' }).actor).toBe('operator:k0');
    expect(toOrderEventObject(cancelled, { operator: false, ownSupplierId: null, clientId: 'c' }).actor).toBe('operator');
  });
});
