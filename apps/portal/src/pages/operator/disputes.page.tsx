import { useState } from 'react';
import { FocusedDone } from '../../components/dispute-done';
import { DisputeBadge, DisputeWords, type DisputeView } from '../../components/dispute-order';
import { RefundPreviewForm } from '../../components/dispute-refund-preview';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Fact } from '../../components/fact';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import type { ResultOf } from '../../graphql/graphql';
import { DISPUTE_PAGE, DisputesQuery, ResolveDisputeMutation } from '../../graphql/disputes-operations';
import { TablePager, useCursorPages } from '../../components/table-pager';
import { useMutation, useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { formatMoney } from '../../lib/money';
import { dateTimeWords, statusWords } from '../../lib/words';

type ListedDispute = ResultOf<typeof DisputesQuery>['disputes']['edges'][number]['node'];
type DisputedOrder = ListedDispute['order'];
type WithDispute = DisputedOrder & { dispute: DisputeView };

/** The card's shape: the order, with its dispute beside it. */
const withDispute = ({ order, ...dispute }: ListedDispute): WithDispute => ({ ...order, dispute });

/**
 * The operator's disputes, from the API's disputes list 50 at a time, in its
 * order: open ones first, oldest first, each with both sides' words and the
 * decision (a refund previewed leg by leg before it is confirmed, or a
 * rejection); then the resolved and rejected ones, newest first. A page shows
 * its open disputes under the first heading and its decided ones under the
 * second. An open dispute's order is DISPUTED; a closed one's order is back to
 * FULFILLED or PARTIALLY_REFUNDED (rejected) or refunded in part or whole.
 */
export function DisputesPage() {
  const pages = useCursorPages();
  const list = useQuery(DisputesQuery, { first: DISPUTE_PAGE, after: pages.after });
  const [done, setDone] = useState('');

  const listed = (list.data?.disputes.edges ?? []).map((e) => withDispute(e.node));
  const openDisputes = listed.filter((o) => o.dispute.status === 'OPEN');
  const closed = listed.filter((o) => o.dispute.status !== 'OPEN');
  const openTotal = list.data?.openDisputes.totalCount ?? 0;
  const loading = !list.data && !list.error;
  // Open ones come first: on a later page, those not shown are on the pages before it.
  const openElsewhere = list.data !== undefined && openDisputes.length < openTotal && pages.index > 0;

  return (
    <Page
      title="Disputes"
      intro="What clients disputed after delivery, with the supplier's answer. Resolve with a refund of part or all of the price (every fee and share reverses in proportion, previewed before you confirm), or reject it."
    >
      <FocusedDone>{done}</FocusedDone>
      {list.error ? <ErrorNote error={list.error} /> : null}
      <Section title="Open disputes" id="open-disputes" aside={list.data ? <span className="count">{openTotal} open</span> : undefined}>
        {loading ? <Loading label="Loading disputes…" /> : null}
        {list.data && openTotal === 0 ? <Empty>No open dispute.</Empty> : null}
        {openElsewhere && openDisputes.length === 0 ? <p className="hint">The open disputes are on the first pages.</p> : null}
        {openDisputes.length > 0 ? (
          <ul className="cards dispute-cards">
            {openDisputes.map((o) => (
              <li key={o.dispute.id}>
                <OpenDispute
                  order={o}
                  onResolved={(words) => {
                    setDone(words);
                    void list.refetch();
                  }}
                />
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      <Section title="Resolved and rejected" id="closed-disputes">
        {list.data && closed.length === 0 && list.data.disputes.totalCount === openTotal ? <Empty>No dispute has been decided yet.</Empty> : null}
        {list.data && closed.length === 0 && list.data.disputes.totalCount > openTotal ? (
          <p className="hint">The decided disputes follow the open ones, on the next pages.</p>
        ) : null}
        {closed.length > 0 ? (
          <ul className="cards dispute-cards">
            {closed.map((o) => (
              <li key={o.dispute.id}>
                <ClosedDispute order={o} />
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      {list.data && (pages.index > 0 || list.data.disputes.pageInfo.hasNextPage) ? (
        <TablePager
          label="disputes"
          index={pages.index}
          pageSize={DISPUTE_PAGE}
          shown={listed.length}
          total={list.data.disputes.totalCount}
          hasNextPage={list.data.disputes.pageInfo.hasNextPage}
          endCursor={list.data.disputes.pageInfo.endCursor}
          onNext={pages.next}
          onPrevious={pages.previous}
        />
      ) : null}
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
      <Fact term="Order">{statusWords(o.status)}</Fact>
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
