import { useState, type FormEvent } from 'react';
import { Fact } from '../components/fact';
import { Empty, QueryView } from '../components/feedback';
import { FeeBreakdown } from '../components/fee-breakdown';
import { Field } from '../components/field';
import { MoneyText } from '../components/money';
import { Page } from '../components/page';
import { StatusBadge } from '../components/status-badge';
import type { ResultOf, VariablesOf } from '../graphql/graphql';
import { OrdersQuery, PAGE } from '../graphql/operations';
import { useQuery } from '../hooks/use-query';
import { hrefOf, navigate } from '../hooks/use-route';
import { ORDER_STATUSES, dateTimeWords, statusWords } from '../lib/words';
import { useSignedIn } from '../session/session-context';

type OrderStatus = NonNullable<VariablesOf<typeof OrdersQuery>['status']>;
type OrderNode = ResultOf<typeof OrdersQuery>['orders']['edges'][number]['node'];

/** The orders this key reaches, by status, each with its full fee breakdown. */
export function OrdersPage() {
  const { identity } = useSignedIn();
  const [status, setStatus] = useState<string>('');
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const intro =
    identity.kind === 'operator'
      ? 'Every order of the network. Open one for its routing explanation and history.'
      : 'Orders you placed, and orders offered to you or accepted by you. Open one for its history.';
  return (
    <Page title="Orders" intro={intro}>
      {identity.kind === 'operator' ? <FindOrder /> : null}
      <Field label="Status">
        {(p) => (
          <select
            {...p}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPages([null]);
            }}
          >
            <option value="">All statuses</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWords(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {pages.map((after, i) => (
        <OrdersChunk
          key={`${status}-${after ?? 'first'}`}
          status={status || null}
          after={after}
          first={i === 0}
          onMore={i === pages.length - 1 ? (cursor) => setPages((p) => [...p, cursor]) : undefined}
        />
      ))}
    </Page>
  );
}

/** Opens any order of the network by its id, for its routing explanation. */
function FindOrder() {
  const [id, setId] = useState('');
  return (
    <form
      className="inline"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (id.trim()) navigate('orders', id.trim());
      }}
    >
      <Field label="Open an order by its id">
        {(p) => <input {...p} value={id} onChange={(e) => setId(e.target.value)} spellCheck={false} className="mono" />}
      </Field>
      <button type="submit">Open order</button>
    </form>
  );
}

function OrdersChunk({ status, after, first, onMore }: { status: string | null; after: string | null; first: boolean; onMore?: (cursor: string) => void }) {
  const q = useQuery(OrdersQuery, { status: status as OrderStatus | null, first: PAGE.orders, after }, { pollMs: first ? 10_000 : undefined });
  return (
    <QueryView state={q} label="Loading orders…">
      {(data) => (
        <>
          {first ? (
            <p className="count" role="status">
              {data.orders.totalCount === 1 ? '1 order' : `${data.orders.totalCount} orders`}
              {status ? ` ${statusWords(status).toLowerCase()}` : ''}
            </p>
          ) : null}
          {first && data.orders.edges.length === 0 ? <Empty>No orders here yet.</Empty> : null}
          <ul className="cards">
            {data.orders.edges.map(({ node }) => (
              <li key={node.id}>
                <OrderCard order={node} />
              </li>
            ))}
          </ul>
          {onMore && data.orders.pageInfo.hasNextPage && data.orders.pageInfo.endCursor ? (
            <button type="button" onClick={() => onMore(data.orders.pageInfo.endCursor as string)}>
              Show more orders
            </button>
          ) : null}
        </>
      )}
    </QueryView>
  );
}

export function OrderCard({ order }: { order: OrderNode }) {
  return (
    <article className="card order" aria-labelledby={`order-${order.id}`}>
      <header>
        <h3 id={`order-${order.id}`}>
          <a href={hrefOf('orders', order.id)}>
            {order.quantity} × {order.category} <span className="muted">to {order.region}</span>
          </a>
        </h3>
        <StatusBadge status={order.status} />
      </header>
      <dl className="facts">
        <Fact term="Deliver by">{dateTimeWords(order.deliverBy)}</Fact>
        <Fact term="Client">{order.client.name}</Fact>
        <Fact term="Supplier">{order.supplier?.name ?? '—'}</Fact>
        <Fact term="Price">
          <MoneyText value={order.price} />
        </Fact>
        <Fact term="Budget">
          <MoneyText value={order.budget} />
        </Fact>
      </dl>
      {order.fees ? (
        <details>
          <summary>Fee breakdown</summary>
          <FeeBreakdown fees={order.fees} caption={`Fee breakdown of ${order.quantity} × ${order.category}`} />
        </details>
      ) : null}
    </article>
  );
}
