import { useState, type FormEvent } from 'react';
import { Fact } from '../components/fact';
import { Done, Empty, ErrorNote, QueryView } from '../components/feedback';
import { FeeBreakdown } from '../components/fee-breakdown';
import { Countdown } from '../components/countdown';
import { DisputeSection, RefundsSection } from '../components/dispute-order';
import { FeedbackSection } from '../components/rating-feedback';
import { MoneyText } from '../components/money';
import { Page, Section } from '../components/page';
import { StatusBadge } from '../components/status-badge';
import { OrderVoicesQuery } from '../graphql/disputes-operations';
import type { ResultOf } from '../graphql/graphql';
import {
  AcceptOrderMutation,
  CancelOrderMutation,
  DeclineOrderMutation,
  FulfilOrderMutation,
  OrderQuery,
  RefundOrderMutation,
  RerouteOrderMutation,
} from '../graphql/operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { hrefOf } from '../hooks/use-route';
import { dateTimeWords, eventWords, reasonWords } from '../lib/words';
import { useSignedIn } from '../session/session-context';

type Order = ResultOf<typeof OrderQuery>['order'];
const MOVING = new Set(['ROUTING', 'OFFERED', 'ACCEPTED']);

/** One order: facts, fees, actions open to this key, its dispute, refunds and feedback, history and the routing explanation. */
export function OrderPage({ id }: { id: string }) {
  const q = useQuery(OrderQuery, { id }, { pollMs: 4000 });
  // Both sides' words, the dispute and the refunds: their own query, so the order's facts never wait for them.
  const voices = useQuery(OrderVoicesQuery, { id }, { pollMs: 4000 });
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : null;
  const refresh = async () => {
    await Promise.all([q.refetch(), voices.refetch()]);
  };
  return (
    <QueryView state={q} label="Loading the order…">
      {({ order }) => (
        <Page title={`Order: ${order.quantity} × ${order.category}`} actions={<a href={hrefOf('orders')}>All orders</a>}>
          <Summary order={order} />
          <Actions order={order} onChange={refresh} />
          <Section title="Money" id="money">
            <FeeBreakdown fees={order.fees} />
          </Section>
          <QueryView state={voices} label="Loading feedback and disputes…">
            {({ order: voiced }) => (
              <>
                <DisputeSection order={voiced} meId={meId} operator={identity.kind === 'operator'} onChange={refresh} />
                <RefundsSection order={voiced} operator={identity.kind === 'operator'} onChange={refresh} />
                <FeedbackSection order={voiced} meId={meId} onChange={refresh} />
              </>
            )}
          </QueryView>
          <Section title="History" id="history">
            <ol className="timeline">
              {order.events.map((e, i) => (
                <li key={i}>
                  <time dateTime={e.at}>{dateTimeWords(e.at)}</time> <strong>{eventWords(e.type)}</strong>
                  {e.supplier ? ` · ${e.supplier.name}` : ''}
                  {e.detail ? <span className="muted"> · “{e.detail}”</span> : null}
                </li>
              ))}
            </ol>
          </Section>
          <Routing order={order} />
        </Page>
      )}
    </QueryView>
  );
}

function Summary({ order }: { order: Order }) {
  return (
    <dl className="facts wide">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={order.status} />
          {order.status === 'OFFERED' && order.offerExpiresAt ? (
            <>
              {' '}
              <Countdown until={order.offerExpiresAt} />
            </>
          ) : null}
        </dd>
      </div>
      <Fact term="Region">{order.region}</Fact>
      <Fact term="Deliver by">{dateTimeWords(order.deliverBy)}</Fact>
      <Fact term="Client">{order.client.name}</Fact>
      <Fact term="Supplier">{order.supplier?.name ?? '—'}</Fact>
      <Fact term="Budget">
        <MoneyText value={order.budget} />
      </Fact>
      <Fact term="Price">
        <MoneyText value={order.price} />
      </Fact>
      <Fact term="Placed">{dateTimeWords(order.createdAt)}</Fact>
      {order.notes ? (
        <div className="span">
          <dt>Notes</dt>
          <dd className="notes">{order.notes}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The buttons this key may use on this order now; the API stays the judge. */
function Actions({ order, onChange }: { order: Order; onChange: () => Promise<void> }) {
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : null;
  const operator = identity.kind === 'operator';
  const isSupplier = meId !== null && order.supplier?.id === meId;
  const isClient = meId !== null && order.client.id === meId;
  const [accept, a] = useMutation(AcceptOrderMutation);
  const [decline, d] = useMutation(DeclineOrderMutation);
  const [fulfil, f] = useMutation(FulfilOrderMutation);
  const [cancel, c] = useMutation(CancelOrderMutation);
  const [reroute, r] = useMutation(RerouteOrderMutation);
  const [refund, rf] = useMutation(RefundOrderMutation);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const busy = a.running || d.running || f.running || c.running || r.running || rf.running;
  const error = a.error ?? d.error ?? f.error ?? c.error ?? r.error ?? rf.error;

  const act = async (what: string, run: () => Promise<unknown>, confirmFirst?: string) => {
    // Cancelling and refunding cannot be undone: ask once.
    if (confirmFirst && !window.confirm(confirmFirst)) return;
    setDone('');
    if ((await run()) !== undefined) {
      setDone(what);
      setReason('');
      await onChange();
    }
  };

  const canCancel = (operator || isClient) && (MOVING.has(order.status) || order.status === 'UNROUTABLE');
  const buttons = [
    isSupplier && order.status === 'OFFERED' && (
      <button
        key="accept"
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => act('Offer accepted: the fees are fixed.', () => accept({ orderId: order.id }))}
      >
        Accept offer
      </button>
    ),
    isSupplier && order.status === 'OFFERED' && (
      <button key="decline" type="button" disabled={busy} onClick={() => act('Offer declined.', () => decline({ orderId: order.id, reason: reason || null }))}>
        Decline offer
      </button>
    ),
    isSupplier && order.status === 'ACCEPTED' && (
      <button key="fulfil" type="button" className="primary" disabled={busy} onClick={() => act('Marked as fulfilled.', () => fulfil({ orderId: order.id }))}>
        Mark fulfilled
      </button>
    ),
    canCancel && (
      <button
        key="cancel"
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => act('Order cancelled.', () => cancel({ orderId: order.id, reason: reason || null }), 'Cancel this order? This cannot be undone.')}
      >
        Cancel order
      </button>
    ),
    operator && ['ROUTING', 'OFFERED', 'UNROUTABLE'].includes(order.status) && (
      <button key="reroute" type="button" disabled={busy} onClick={() => act('Routing again.', () => reroute({ orderId: order.id }))}>
        Route again
      </button>
    ),
    operator && (order.status === 'FULFILLED' || order.status === 'PARTIALLY_REFUNDED') && (
      <button
        key="refund"
        type="button"
        className="danger"
        disabled={busy}
        onClick={() =>
          order.status === 'FULFILLED'
            ? act(
                'Refunded: every posting is reversed.',
                () => refund({ orderId: order.id }),
                'Refund this order? Every posting is reversed; this cannot be undone.',
              )
            : act(
                'Refunded the rest: every leg is now reversed in full.',
                () => refund({ orderId: order.id }),
                'Refund what remains of the price? This cannot be undone.',
              )
        }
      >
        {order.status === 'FULFILLED' ? 'Refund' : 'Refund the rest'}
      </button>
    ),
  ].filter(Boolean);

  if (buttons.length === 0 && !done) return null;
  const needsReason = (isSupplier && order.status === 'OFFERED') || canCancel;
  return (
    <Section title="Actions" id="actions">
      {needsReason ? (
        <form className="inline" onSubmit={(e: FormEvent) => e.preventDefault()}>
          <label htmlFor="action-reason">Reason (optional, for a decline or cancellation)</label>
          <input id="action-reason" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
        </form>
      ) : null}
      <div className="buttons">{buttons}</div>
      <ErrorNote error={error} />
      <Done>{done}</Done>
    </Section>
  );
}

function Routing({ order }: { order: Order }) {
  return (
    <Section title="Routing explanation" id="routing">
      {order.routing.length === 0 ? (
        <Empty>No routing pass yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">Suppliers considered in the latest routing pass</caption>
            <thead>
              <tr>
                <th scope="col">Supplier</th>
                <th scope="col">Eligible</th>
                <th scope="col">Why not</th>
                <th scope="col" className="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {order.routing.map((row) => (
                <tr key={row.supplier.id}>
                  <th scope="row">{row.supplier.name}</th>
                  <td>{row.eligible ? 'Yes' : 'No'}</td>
                  <td>{row.eligible ? '—' : reasonWords(row.reason)}</td>
                  <td className="num">{row.score === null || row.score === undefined ? '—' : row.score.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
