import { useMemo } from 'react';
import { Fact } from '../../components/fact';
import { Empty, ErrorNote, Loading, QueryView } from '../../components/feedback';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { OrderCountsQuery, PAGE, RoutingOutcomesQuery, TrialBalanceQuery } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useQuery } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { startOfLocalDay, summarizeRouting } from '../../lib/routing-summary';
import { reasonWords, statusWords } from '../../lib/words';
import { useSignedIn } from '../../session/session-context';

const COUNT_KEYS = ['routing', 'offered', 'accepted', 'fulfilled', 'refunded', 'cancelled', 'unroutable'] as const;

/** The network at a glance: today's orders and routing, all orders by status, and the ledger's trial balance. */
export function OverviewPage() {
  const { identity } = useSignedIn();
  const counts = useQuery(OrderCountsQuery, {}, { pollMs: 15_000 });
  const trial = useQuery(TrialBalanceQuery, { currency: identity.network.currency }, { pollMs: 30_000 });
  const outcomes = useAllPages(RoutingOutcomesQuery, { first: PAGE.outcomes, after: null }, (d) => d.orders);
  const today = useMemo(() => summarizeRouting(outcomes.nodes ?? [], startOfLocalDay(new Date())), [outcomes.nodes]);

  return (
    <Page
      title={`${identity.network.name} at a glance`}
      actions={
        <button
          type="button"
          onClick={() => {
            void counts.refetch();
            void trial.refetch();
            outcomes.reload();
          }}
        >
          Refresh
        </button>
      }
    >
      <Section title="Today" id="today">
        {outcomes.error ? <ErrorNote error={outcomes.error} /> : null}
        {outcomes.loading ? (
          <Loading label="Reading today's orders…" />
        ) : today.orders === 0 ? (
          <Empty>No orders placed today yet.</Empty>
        ) : (
          <>
            <dl className="totals">
              <div>
                <dt>Orders placed today</dt>
                <dd data-testid="today-orders">{today.orders}</dd>
              </div>
              <Fact term="Reached a supplier">{today.routed}</Fact>
              <Fact term="No supplier found">{today.unroutable}</Fact>
            </dl>
            <div className="two-columns">
              <table>
                <caption>Today's orders by status</caption>
                <tbody>
                  {today.byStatus.map((s) => (
                    <tr key={s.status}>
                      <th scope="row">{statusWords(s.status)}</th>
                      <td className="num">{s.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table>
                <caption>Top reasons suppliers were excluded today</caption>
                <tbody>
                  {today.reasons.length === 0 ? (
                    <tr>
                      <td>None: every supplier considered was eligible.</td>
                    </tr>
                  ) : (
                    today.reasons.slice(0, 5).map((r) => (
                      <tr key={r.reason}>
                        <th scope="row">{reasonWords(r.reason)}</th>
                        <td className="num">{r.count}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </>
        )}
        {outcomes.truncated ? <p className="muted">Only the first {outcomes.nodes?.length} orders were read; today's figures may be incomplete.</p> : null}
      </Section>
      <div className="two-columns">
        <Section title="All orders by status" id="all-orders">
          <QueryView state={counts} label="Counting orders…">
            {(data) => (
              <table>
                <caption className="sr-only">All orders by status</caption>
                <tbody>
                  {COUNT_KEYS.map((k) => (
                    <tr key={k}>
                      <th scope="row">
                        <a href={hrefOf('orders')}>{statusWords(k.toUpperCase())}</a>
                      </th>
                      <td className="num">{data[k].totalCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </QueryView>
        </Section>
        <Section title="Trial balance" id="trial-balance">
          <QueryView state={trial} label="Reading the ledger…">
            {({ trialBalance: tb }) => (
              <>
                <p className={tb.balanced ? 'ok' : 'error'} data-testid="trial-balanced">
                  {tb.balanced ? 'Balanced: debits equal credits.' : 'Not balanced: debits and credits differ.'}
                </p>
                <dl className="totals">
                  <Fact term="Debits">
                    <MoneyText value={tb.debits} />
                  </Fact>
                  <Fact term="Credits">
                    <MoneyText value={tb.credits} />
                  </Fact>
                </dl>
              </>
            )}
          </QueryView>
        </Section>
      </div>
    </Page>
  );
}
