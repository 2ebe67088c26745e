import { useState } from 'react';
import { FocusedDone } from '../../components/dispute-done';
import { DisputeBadge, DisputeWords, orderStatusWords, type DisputeView } from '../../components/dispute-order';
import { RefundPreviewForm } from '../../components/dispute-refund-preview';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Fact } from '../../components/fact';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import type { ResultOf } from '../../graphql/graphql';
import { DISPUTE_PAGE, DisputedOrdersQuery, ResolveDisputeMutation } from '../../graphql/disputes-operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useMutation } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { formatMoney } from '../../lib/money';
import { dateTimeWords } from '../../lib/words';

type DisputedOrder = ResultOf<typeof DisputedOrdersQuery>['orders']['edges'][number]['node'];
type WithDispute = DisputedOrder & { dispute: DisputeView };

const hasDispute = (o: DisputedOrder): o is WithDispute => o.dispute !== null && o.dispute !== undefined;
const pick = (d: ResultOf<typeof DisputedOrdersQuery>) => d.orders;
/** Pages of closed disputes walked per status: the API lists orders, not disputes. */
const CLOSED_PAGES = 20;

/**
 * The operator's disputes: open ones first, oldest first, each with both
 * sides' words and the decision (a refund previewed leg by leg before it is
 * confirmed, or a rejection); then the resolved and rejected ones, newest first.
 * An open dispute's order is DISPUTED; a closed one's order is back to
 * FULFILLED or PARTIALLY_REFUNDED (rejected) or refunded in part or whole.
 */
export function DisputesPage() {
  const open = useAllPages(DisputedOrdersQuery, { status: 'DISPUTED', first: DISPUTE_PAGE }, pick);
  const fulfilled = useAllPages(DisputedOrdersQuery, { status: 'FULFILLED', first: DISPUTE_PAGE }, pick, CLOSED_PAGES);
  const partly = useAllPages(DisputedOrdersQuery, { status: 'PARTIALLY_REFUNDED', first: DISPUTE_PAGE }, pick, CLOSED_PAGES);
  const refunded = useAllPages(DisputedOrdersQuery, { status: 'REFUNDED', first: DISPUTE_PAGE }, pick, CLOSED_PAGES);
  const [done, setDone] = useState('');

  const closedWalks = [fulfilled, partly, refunded];
  const reloadAll = () => [open, ...closedWalks].forEach((w) => w.reload());
  const openDisputes = (open.nodes ?? [])
    .filter(hasDispute)
    .filter((o) => o.dispute.status === 'OPEN')
    .sort((a, b) => a.dispute.createdAt.localeCompare(b.dispute.createdAt));
  const closed = closedWalks
    .flatMap((w) => w.nodes ?? [])
    .filter(hasDispute)
    .filter((o) => o.dispute.status !== 'OPEN')
    .sort((a, b) => (b.dispute.resolvedAt ?? '').localeCompare(a.dispute.resolvedAt ?? ''));
  const closedLoading = closedWalks.some((w) => w.loading && !w.nodes);
  const closedError = closedWalks.find((w) => w.error)?.error;

  return (
    <Page
      title="Disputes"
      intro="What clients disputed after delivery, with the supplier's answer. Resolve with a refund of part or all of the price (every fee and share reverses in proportion, previewed before you confirm), or reject it."
    >
      <FocusedDone>{done}</FocusedDone>
      <Section title="Open disputes" id="open-disputes" aside={open.nodes ? <span className="count">{openDisputes.length} open</span> : undefined}>
        {open.error ? <ErrorNote error={open.error} /> : null}
        {!open.nodes && !open.error ? <Loading label="Loading open disputes…" /> : null}
        {open.nodes && openDisputes.length === 0 ? <Empty>No open dispute.</Empty> : null}
        {openDisputes.length > 0 ? (
          <ul className="cards dispute-cards">
            {openDisputes.map((o) => (
              <li key={o.id}>
                <OpenDispute
                  order={o}
                  onResolved={(words) => {
                    setDone(words);
                    reloadAll();
                  }}
                />
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      <Section title="Resolved and rejected" id="closed-disputes">
        {closedError ? <ErrorNote error={closedError} /> : null}
        {closedLoading ? <Loading label="Loading closed disputes…" /> : null}
        {!closedLoading && closed.length === 0 ? <Empty>No dispute has been decided yet.</Empty> : null}
        {closed.length > 0 ? (
          <ul className="cards dispute-cards">
            {closed.map((o) => (
              <li key={o.id}>
                <ClosedDispute order={o} />
              </li>
            ))}
          </ul>
        ) : null}
        {closedWalks.some((w) => w.truncated) ? (
          <p className="hint">Only the disputes among the first {CLOSED_PAGES * DISPUTE_PAGE} orders of each status are listed.</p>
        ) : null}
      </Section>
    </Page>
  );
}

function title(o: DisputedOrder): string {
  return `${o.quantity} × ${o.category} for ${o.client.name}`;
}

function OrderFacts({ order: o }: { order: WithDispute }) {
  return (
    <dl className="facts">
      <Fact term="Supplier">{o.supplier?.name ?? '—'}</Fact>
      <Fact term="Price">
        <MoneyText value={o.fees?.price} />
      </Fact>
      <Fact term="Refunded so far">
        <MoneyText value={o.refundedAmount} />
      </Fact>
      <Fact term="Order">{orderStatusWords(o.status)}</Fact>
    </dl>
  );
}

function OpenDispute({ order: o, onResolved }: { order: WithDispute; onResolved: (words: string) => void }) {
  const [resolve, m] = useMutation(ResolveDisputeMutation);
  const headingId = `dispute-${o.dispute.id}`;
  const name = title(o);
  return (
    <article className="card dispute-card" aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{name}</h3>
        <DisputeBadge status={o.dispute.status} />
      </header>
      <p className="muted">
        Opened by {o.dispute.openedBy.name}, {dateTimeWords(o.dispute.createdAt)} · <a href={hrefOf('orders', o.id)}>Open the order</a>
      </p>
      <OrderFacts order={o} />
      <DisputeWords dispute={o.dispute} clientName={o.client.name} supplierName={o.supplier?.name ?? 'The supplier'} />
      {o.fees ? (
        <RefundPreviewForm
          orderId={o.id}
          fees={o.fees}
          refundedAmount={o.refundedAmount}
          subject={name}
          noteLabel="Note for both sides (optional)"
          confirmLabel={(a) => `Confirm: refund ${formatMoney(a)} and resolve`}
          running={m.running}
          error={m.error}
          onConfirm={async (refund, note) => {
            const r = await resolve({ disputeId: o.dispute.id, refund, note });
            if (!r) return false;
            onResolved(`Resolved ${name}: ${formatMoney(refund)} refunded.`);
            return true;
          }}
          extraButtons={(note) => (
            <button
              type="button"
              className="danger"
              disabled={m.running}
              onClick={async () => {
                // Rejecting cannot be undone: ask once.
                if (!window.confirm(`Reject the dispute on ${name}? Nothing is refunded and the order returns to its status.`)) return;
                if (await resolve({ disputeId: o.dispute.id, refund: null, note })) onResolved(`Rejected the dispute on ${name}.`);
              }}
            >
              Reject without refund
            </button>
          )}
        />
      ) : (
        <p className="muted">This order has no fee breakdown, so no refund can be previewed.</p>
      )}
    </article>
  );
}

function ClosedDispute({ order: o }: { order: WithDispute }) {
  const headingId = `dispute-${o.dispute.id}`;
  return (
    <article className="card dispute-card" aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{title(o)}</h3>
        <DisputeBadge status={o.dispute.status} />
      </header>
      <p className="muted">
        Opened by {o.dispute.openedBy.name}, {dateTimeWords(o.dispute.createdAt)} · <a href={hrefOf('orders', o.id)}>Open the order</a>
      </p>
      <OrderFacts order={o} />
      <DisputeWords dispute={o.dispute} clientName={o.client.name} supplierName={o.supplier?.name ?? 'The supplier'} />
    </article>
  );
}
