import { useEffect, useState } from 'react';
import { Fact } from '../../components/fact';
import { Countdown } from '../../components/countdown';
import { Done, Empty, ErrorNote, QueryView } from '../../components/feedback';
import { MoneyText } from '../../components/money';
import { Page } from '../../components/page';
import type { ResultOf } from '../../graphql/graphql';
import { OfferReceivedSubscription, OrderUpdatedSubscription, useLiveEvents } from '../../graphql/live';
import { AcceptOrderMutation, DeclineOrderMutation, FulfilOrderMutation, OrdersQuery, PAGE } from '../../graphql/operations';
import { useNow } from '../../hooks/use-now';
import { useMutation, useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { formatMoney } from '../../lib/money';
import { dateTimeWords } from '../../lib/words';
import { useSignedIn } from '../../session/session-context';

type OrderNode = ResultOf<typeof OrdersQuery>['orders']['edges'][number]['node'];

/** What the page listens for: new offers, and changes of the orders it shows (accepted, fulfilled, cancelled). */
const LIVE = [OfferReceivedSubscription, OrderUpdatedSubscription];
/** Polling, only while the live socket cannot open: offers come and go on the server's clock. */
const OFFERED_POLL_MS = 3000;
const ACCEPTED_POLL_MS = 10_000;
/** An expired offer is read again this long after its expiry, once the hub has moved it on. */
const AFTER_EXPIRY_MS = 1000;

/** Offers waiting for this supplier, each with a live countdown, and accepted orders to fulfil. */
export function OffersPage() {
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : '';
  // Called only after this render, once readBoth exists.
  const live = useLiveEvents(LIVE, () => void readBoth()) === 'live';
  const offered = useQuery(OrdersQuery, { status: 'OFFERED', first: PAGE.orders, after: null }, { pollMs: live ? undefined : OFFERED_POLL_MS });
  const accepted = useQuery(OrdersQuery, { status: 'ACCEPTED', first: PAGE.orders, after: null }, { pollMs: live ? undefined : ACCEPTED_POLL_MS });
  const readBoth = () => Promise.all([offered.refetch(), accepted.refetch()]);
  useEffect(() => {
    // Events sent while the socket was down are not replayed: read again once it is open.
    if (live) void readBoth();
  }, [live]);
  const mineOffered = offered.data?.orders.edges.map((e) => e.node).filter((o) => o.supplier?.id === meId) ?? [];
  const nextExpiry = Math.min(...mineOffered.map((o) => (o.offerExpiresAt ? Date.parse(o.offerExpiresAt) : Infinity)));
  useEffect(() => {
    // No event tells a supplier its offer ran out (the order is no longer its to see): read again then.
    if (!live || !Number.isFinite(nextExpiry)) return;
    const timer = setTimeout(() => void offered.refetch(), Math.max(0, nextExpiry - Date.now()) + AFTER_EXPIRY_MS);
    return () => clearTimeout(timer);
  }, [live, nextExpiry, offered.refetch]);
  const [notice, setNotice] = useState('');
  // An answer the API refused: no event tells a supplier its offer was withdrawn, so read the list again.
  const [refused, setRefused] = useState<{ orderId: string; error: unknown } | null>(null);
  const refresh = async (message: string) => {
    setNotice(message);
    setRefused(null);
    await readBoth();
  };
  const onRefused = (orderId: string, error: unknown) => {
    setNotice('');
    setRefused({ orderId, error });
    void offered.refetch();
  };
  const vanished = refused && offered.data && !mineOffered.some((o) => o.id === refused.orderId) ? refused.error : null;
  return (
    <Page title="Offers" intro="Orders the hub offers you. Accept before the offer expires, or decline so it moves on to the next supplier.">
      <p className="muted" data-testid="offers-live" aria-live="polite">
        {live ? 'Live: new offers appear here as they are made.' : 'Checking for new offers every few seconds.'}
      </p>
      <Done>{notice}</Done>
      <ErrorNote error={vanished} prefix="That offer is no longer open to you" />
      <section aria-labelledby="waiting-title" className="panel">
        <h2 id="waiting-title">Waiting for your answer</h2>
        <QueryView state={offered} label="Loading offers…">
          {(data) => {
            const mine = data.orders.edges.map((e) => e.node).filter((o) => o.supplier?.id === meId);
            return mine.length === 0 ? (
              <Empty>No offers waiting. New offers appear here by themselves.</Empty>
            ) : (
              <ul className="cards">
                {mine.map((o) => (
                  <li key={o.id}>
                    <OfferCard order={o} onDone={refresh} onRefused={onRefused} />
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryView>
      </section>
      <section aria-labelledby="accepted-title" className="panel">
        <h2 id="accepted-title">Accepted, to fulfil</h2>
        <QueryView state={accepted} label="Loading accepted orders…">
          {(data) => {
            const mine = data.orders.edges.map((e) => e.node).filter((o) => o.supplier?.id === meId);
            return mine.length === 0 ? (
              <Empty>Nothing to fulfil.</Empty>
            ) : (
              <ul className="cards">
                {mine.map((o) => (
                  <li key={o.id}>
                    <AcceptedCard order={o} onDone={refresh} />
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryView>
      </section>
    </Page>
  );
}

function OrderFacts({ order }: { order: OrderNode }) {
  return (
    <dl className="facts">
      <Fact term="Client">{order.client.name}</Fact>
      <Fact term="Region">{order.region}</Fact>
      <Fact term="Deliver by">{dateTimeWords(order.deliverBy)}</Fact>
      <Fact term="Your price">
        <MoneyText value={order.price} />
      </Fact>
      {order.notes ? (
        <div className="span">
          <dt>Notes</dt>
          <dd className="notes">{order.notes}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function OfferCard({
  order,
  onDone,
  onRefused,
}: {
  order: OrderNode;
  onDone: (message: string) => Promise<void>;
  onRefused: (orderId: string, error: unknown) => void;
}) {
  const now = useNow(1000);
  const [accept, a] = useMutation(AcceptOrderMutation);
  const [decline, d] = useMutation(DeclineOrderMutation);
  const refusal = a.error ?? d.error;
  useEffect(() => {
    if (refusal) onRefused(order.id, refusal);
    // Once per refusal; onRefused is a new function at every render of the page.
  }, [refusal, order.id]);
  const [reason, setReason] = useState('');
  const expired = order.offerExpiresAt ? Date.parse(order.offerExpiresAt) <= now : false;
  const title = `${order.quantity} × ${order.category}`;
  const reasonId = `decline-reason-${order.id}`;
  return (
    <article className="card offer" aria-labelledby={`offer-${order.id}`}>
      <header>
        <h3 id={`offer-${order.id}`}>
          <a href={hrefOf('orders', order.id)}>{title}</a>
        </h3>
        {order.offerExpiresAt ? <Countdown until={order.offerExpiresAt} /> : null}
      </header>
      <OrderFacts order={order} />
      <label htmlFor={reasonId}>Reason if you decline (optional)</label>
      <input id={reasonId} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={expired || a.running || d.running}
          aria-label={`Accept ${title} for ${order.client.name}`}
          onClick={async () => {
            const r = await accept({ orderId: order.id });
            if (r?.acceptOrder.fees) {
              await onDone(
                `Accepted ${title}: you receive ${formatMoney(r.acceptOrder.fees.supplierReceives)} after a fee of ${formatMoney(r.acceptOrder.fees.supplierFee)}.`,
              );
            }
          }}
        >
          {a.running ? 'Accepting…' : 'Accept'}
        </button>
        <button
          type="button"
          disabled={expired || a.running || d.running}
          aria-label={`Decline ${title} for ${order.client.name}`}
          onClick={async () => {
            if (await decline({ orderId: order.id, reason: reason.trim() || null })) await onDone(`Declined ${title}.`);
          }}
        >
          {d.running ? 'Declining…' : 'Decline'}
        </button>
      </div>
      {expired ? <p className="muted">This offer has expired; it moves on to the next supplier.</p> : null}
      <ErrorNote error={a.error ?? d.error} />
    </article>
  );
}

function AcceptedCard({ order, onDone }: { order: OrderNode; onDone: (message: string) => Promise<void> }) {
  const [fulfil, f] = useMutation(FulfilOrderMutation);
  const title = `${order.quantity} × ${order.category}`;
  return (
    <article className="card" aria-labelledby={`accepted-${order.id}`}>
      <header>
        <h3 id={`accepted-${order.id}`}>
          <a href={hrefOf('orders', order.id)}>{title}</a>
        </h3>
      </header>
      <OrderFacts order={order} />
      {order.fees ? (
        <p>
          You receive <MoneyText value={order.fees.supplierReceives} /> (price <MoneyText value={order.fees.price} /> less the fee of{' '}
          <MoneyText value={order.fees.supplierFee} />
          ).
        </p>
      ) : null}
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={f.running}
          aria-label={`Mark ${title} for ${order.client.name} fulfilled`}
          onClick={async () => {
            if (await fulfil({ orderId: order.id })) await onDone(`Fulfilled ${title}. It counts in your earnings once posted.`);
          }}
        >
          {f.running ? 'Saving…' : 'Mark fulfilled'}
        </button>
      </div>
      <ErrorNote error={f.error} />
    </article>
  );
}
