import { lazy, Suspense, useMemo, useState } from 'react';
import { Fact } from '../../components/fact';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Field } from '../../components/field';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import type { ResultOf } from '../../graphql/graphql';
import { EarningsQuery, PAGE } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { decimalsOfAmount } from '../../lib/order-validation';
import { earningsByWeek, type EarningRow } from '../../lib/weekly';
import { useSignedIn } from '../../session/session-context';

const EarningsChart = lazy(() => import('../../components/charts').then((m) => ({ default: m.EarningsChart })));

type Node = ResultOf<typeof EarningsQuery>['orders']['edges'][number]['node'];

/** Earned business, fees paid and net per week, from this supplier's fulfilled orders. */
export function EarningsPage() {
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : '';
  const all = useAllPages(EarningsQuery, { first: PAGE.earnings, after: null }, (d) => d.orders);

  // A member that is also a client sees its own purchases among fulfilled orders: keep those it supplied.
  const byCurrency = useMemo(() => {
    const groups = new Map<string, EarningRow[]>();
    for (const o of (all.nodes ?? []) as Node[]) {
      if (o.supplier?.id !== meId || !o.fees) continue;
      const fulfilled = [...o.events].reverse().find((e) => e.type === 'fulfilled');
      if (!fulfilled) continue;
      const c = o.fees.price.currency;
      groups.set(c, [
        ...(groups.get(c) ?? []),
        { fulfilledAt: fulfilled.at, price: o.fees.price.amount, fee: o.fees.supplierFee.amount, net: o.fees.supplierReceives.amount },
      ]);
    }
    return groups;
  }, [all.nodes, meId]);

  const currencies = [...byCurrency.keys()].sort();
  const [picked, setPicked] = useState<string>('');
  const currency = currencies.includes(picked)
    ? picked
    : currencies.includes(identity.network.currency)
      ? identity.network.currency
      : (currencies[0] ?? identity.network.currency);
  const rows = byCurrency.get(currency) ?? [];
  const decimals = rows.length ? decimalsOfAmount(rows[0].price) : 2;
  const { weeks, total } = earningsByWeek(rows, decimals);
  const money = (amount: string) => ({ amount, currency });

  return (
    <Page
      title="Earnings"
      intro="Business the hub brought you, the placement fees you paid on it, and what you kept: from your fulfilled orders, by week (Monday to Sunday, UTC). Refunded orders are left out."
    >
      {all.error ? <ErrorNote error={all.error} /> : null}
      {all.loading ? (
        <Loading label="Adding up your fulfilled orders…" />
      ) : rows.length === 0 ? (
        <Empty>No fulfilled orders yet. Accept an offer and mark it fulfilled to see it here.</Empty>
      ) : (
        <>
          {currencies.length > 1 ? (
            <Field label="Currency">
              {(p) => (
                <select {...p} value={currency} onChange={(e) => setPicked(e.target.value)}>
                  {currencies.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {all.truncated ? <p className="muted">Only the first {all.nodes?.length} fulfilled orders are counted.</p> : null}
          <dl className="totals" aria-label="Totals">
            <div>
              <dt>Earned business</dt>
              <dd data-testid="earned-total">
                <MoneyText value={money(total.earned)} />
              </dd>
            </div>
            <div>
              <dt>Fees paid</dt>
              <dd data-testid="fees-total">
                <MoneyText value={money(total.fees)} />
              </dd>
            </div>
            <div>
              <dt>Net</dt>
              <dd data-testid="net-total">
                <MoneyText value={money(total.net)} />
              </dd>
            </div>
            <Fact term="Orders fulfilled">{total.orders}</Fact>
          </dl>
          <Section title="By week" id="weeks">
            <Suspense fallback={<Loading label="Loading the chart…" />}>
              <EarningsChart weeks={weeks} currency={currency} />
            </Suspense>
            <div className="table-scroll" role="region" aria-labelledby="earnings-weeks" tabIndex={0}>
              <table>
                <caption id="earnings-weeks">Earnings by week in {currency}</caption>
                <thead>
                  <tr>
                    <th scope="col">Week of</th>
                    <th scope="col" className="num">
                      Orders
                    </th>
                    <th scope="col" className="num">
                      Earned business
                    </th>
                    <th scope="col" className="num">
                      Fees paid
                    </th>
                    <th scope="col" className="num">
                      Net
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.week}>
                      <th scope="row">{w.week}</th>
                      <td className="num">{w.orders}</td>
                      <td className="num">
                        <MoneyText value={money(w.earned)} />
                      </td>
                      <td className="num">
                        <MoneyText value={money(w.fees)} />
                      </td>
                      <td className="num">
                        <MoneyText value={money(w.net)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
        </>
      )}
    </Page>
  );
}
