import { useState, type FormEvent } from 'react';
import { Fact } from '../components/fact';
import { Empty, QueryView } from '../components/feedback';
import { FeeBreakdown } from '../components/fee-breakdown';
import { Field } from '../components/field';
import { MoneyText } from '../components/money';
import { Page } from '../components/page';
import { StatusBadge } from '../components/status-badge';
import type { ResultOf, VariablesOf } from '../graphql/graphql';
import { PAGE } from '../graphql/operations';
import { MemberSearchQuery, OrdersPageQuery, TABLE_PAGE } from '../graphql/scale-operations';
import { TablePager, useCursorPages } from '../components/table-pager';
import { useQuery } from '../hooks/use-query';
import { hrefOf, navigate } from '../hooks/use-route';
import { ORDER_STATUSES, dateTimeWords, statusWords } from '../lib/words';
import { useSignedIn } from '../session/session-context';

type OrderStatus = NonNullable<VariablesOf<typeof OrdersPageQuery>['status']>;
type OrderNode = ResultOf<typeof OrdersPageQuery>['orders']['edges'][number]['node'];
interface OrderFilters {
  status: OrderStatus | '';
  /** Calendar days (YYYY-MM-DD, UTC), both included. */
  fromDay: string;
  toDay: string;
  supplierId: string;
  clientId: string;
}
const NO_FILTERS: OrderFilters = { status: '', fromDay: '', toDay: '', supplierId: '', clientId: '' };
const DAY_MS = 86_400_000;

/** The API's range is [from, to) on createdAt: the day picked as "to" is included by ending at the next midnight. */
function rangeOf(fromDay: string, toDay: string): { from: string | null; to: string | null } {
  const from = fromDay ? `${fromDay}T00:00:00Z` : null;
  const to = toDay ? new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS).toISOString() : null;
  return { from, to };
}

/** The orders this key reaches, filtered by the API, a page at a time, each with its full fee breakdown. */
export function OrdersPage() {
  const { identity } = useSignedIn();
  const [filters, setFilters] = useState<OrderFilters>(NO_FILTERS);
  const pages = useCursorPages();
  const change = (next: Partial<OrderFilters>) => {
    setFilters((f) => ({ ...f, ...next }));
    pages.reset();
  };
  const operator = identity.kind === 'operator';
  const intro = operator
    ? 'Every order of the network. Open one for its routing explanation and history.'
    : 'Orders you placed, and orders offered to you or accepted by you. Open one for its history.';
  const rangeProblem = filters.fromDay && filters.toDay && filters.fromDay > filters.toDay ? 'The first day is after the last.' : '';
  return (
    <Page title="Orders" intro={intro}>
      {operator ? <FindOrder /> : null}
      <form className="table-filters" aria-label="Filter orders" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <Field label="Status">
          {(p) => (
            <select {...p} value={filters.status} onChange={(e) => change({ status: e.target.value as OrderStatus | '' })}>
              <option value="">All statuses</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusWords(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Placed from" hint="Days run from midnight to midnight UTC.">
          {(p) => <input {...p} type="date" value={filters.fromDay} onChange={(e) => change({ fromDay: e.target.value })} />}
        </Field>
        <Field label="Placed until" error={rangeProblem || undefined}>
          {(p) => <input {...p} type="date" value={filters.toDay} onChange={(e) => change({ toDay: e.target.value })} />}
        </Field>
        {operator ? (
          <>
            <MemberPicker label="Supplier" role="SUPPLIER" value={filters.supplierId} onChange={(supplierId) => change({ supplierId })} />
            <MemberPicker label="Client" role="CLIENT" value={filters.clientId} onChange={(clientId) => change({ clientId })} />
          </>
        ) : null}
      </form>
      {rangeProblem ? null : <OrdersTablePage filters={filters} pages={pages} />}
    </Page>
  );
}

/**
 * Chooses a member by name: the list under the box holds the first page of
 * matches the API finds, so a network of thousands is never listed whole.
 */
function MemberPicker({ label, role, value, onChange }: { label: string; role: 'SUPPLIER' | 'CLIENT'; value: string; onChange: (id: string) => void }) {
  const [search, setSearch] = useState('');
  const q = useQuery(MemberSearchQuery, { search: search.trim() || null, role, first: TABLE_PAGE, after: null });
  const found = q.data?.members;
  return (
    <fieldset className="table-picker">
      <legend>{label}</legend>
      <Field label={`${label} name contains`}>
        {(p) => <input {...p} type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />}
      </Field>
      <Field
        label={label}
        hint={found && found.totalCount > found.edges.length ? `${found.totalCount} match: the first ${found.edges.length} are listed.` : undefined}
      >
        {(p) => (
          <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">Any {label.toLowerCase()}</option>
            {found?.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

function OrdersTablePage({ filters, pages }: { filters: OrderFilters; pages: ReturnType<typeof useCursorPages> }) {
  const q = useQuery(
    OrdersPageQuery,
    {
      status: filters.status || null,
      ...rangeOf(filters.fromDay, filters.toDay),
      supplierId: filters.supplierId || null,
      clientId: filters.clientId || null,
      first: PAGE.orders,
      after: pages.after,
    },
    // The first page follows statuses as they change; later pages stay as read.
    { pollMs: pages.index === 0 ? 10_000 : undefined },
  );
  const filtered = Object.values(filters).some(Boolean);
  return (
    <QueryView state={q} label="Loading orders…">
      {({ orders }) => (
        <>
          <p className="count" role="status">
            {orders.totalCount === 1 ? '1 order' : `${orders.totalCount} orders`}
            {filters.status ? ` ${statusWords(filters.status).toLowerCase()}` : ''}
          </p>
          {orders.edges.length === 0 ? <Empty>{filtered ? 'No order matches these filters.' : 'No orders here yet.'}</Empty> : null}
          <ul className="cards">
            {orders.edges.map(({ node }) => (
              <li key={node.id}>
                <OrderCard order={node} />
              </li>
            ))}
          </ul>
          {orders.totalCount > 0 ? (
            <TablePager
              label="orders"
              index={pages.index}
              pageSize={PAGE.orders}
              shown={orders.edges.length}
              total={orders.totalCount}
              hasNextPage={orders.pageInfo.hasNextPage}
              endCursor={orders.pageInfo.endCursor}
              onNext={pages.next}
              onPrevious={pages.previous}
            />
          ) : null}
        </>
      )}
    </QueryView>
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
