import { SupplierStandingQuery } from '../graphql/supplier-operations';
import { useQuery } from '../hooks/use-query';
import { acquisitionWords } from '../lib/acquisition';
import { dateWords } from '../lib/words';
import { costByPeriod } from './capability-math';
import { Fact } from './fact';
import { Empty, QueryView } from './feedback';
import { MoneyText } from './money';
import { Section } from './page';

const ratingWords = (r: number | null | undefined) => (r == null ? 'none yet' : `${r.toFixed(1)} / 5`);

/** What the hub costs this supplier per order against its declared baseline, now and per settled period, and its ratings. */
export function CapabilityStanding({ memberId }: { memberId: string }) {
  const q = useQuery(SupplierStandingQuery, { memberId });
  return (
    <QueryView state={q} label="Loading acquisition cost and ratings…">
      {({ relationshipHealth: h, statements }) => {
        const periods = costByPeriod(statements);
        const baseline = h.acquisitionBaseline;
        // Bars are scaled to the largest of the costs and the baseline (plotting only; the figures are exact).
        const top = Math.max(...periods.map((p) => Number(p.cost.amount)), baseline ? Number(baseline.amount) : 0, 0);
        return (
          <>
            <Section title="Acquisition cost" id="acquisition">
              <dl className="totals">
                <Fact term={`Per order, last ${h.windowDays} days`}>
                  <span data-testid="acquisition-cost">
                    <MoneyText value={h.acquisitionCostPerOrder} />
                  </span>
                </Fact>
                <Fact term="Your baseline elsewhere">
                  <MoneyText value={baseline} />
                </Fact>
              </dl>
              <p>{acquisitionWords(h.acquisitionCostPerOrder, baseline)}</p>
              <h3>Per settled period</h3>
              {periods.length === 0 ? (
                <Empty>No settled period with fulfilled orders yet.</Empty>
              ) : (
                <div className="table-scroll capability-standing" tabIndex={0} role="region" aria-label="Cost per order by period">
                  <table className="capability-periods">
                    <caption className="sr-only">Supplier fees per order fulfilled, per statement period</caption>
                    <thead>
                      <tr>
                        <th scope="col">Period</th>
                        <th scope="col" className="num">
                          Orders
                        </th>
                        <th scope="col" className="num">
                          Cost per order
                        </th>
                        <th scope="col">Against the baseline</th>
                      </tr>
                    </thead>
                    <tbody>
                      {periods.map((p) => (
                        <tr key={p.id}>
                          <th scope="row">
                            {dateWords(p.periodStart)} – {dateWords(p.periodEnd)}
                          </th>
                          <td className="num">{p.orders}</td>
                          <td className="num">
                            <MoneyText value={p.cost} />
                          </td>
                          <td>
                            <span className="capability-bar" aria-hidden="true">
                              <span style={{ width: `${top > 0 ? (Number(p.cost.amount) / top) * 100 : 0}%` }} />
                              {baseline && top > 0 ? (
                                <span className="capability-baseline" style={{ left: `${(Number(baseline.amount) / top) * 100}%` }} />
                              ) : null}
                            </span>
                            <span className="sr-only">{acquisitionWords(p.cost, baseline)}</span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
            <Section title="Ratings" id="ratings">
              <dl className="totals">
                <Fact term={`Rating from clients, last ${h.windowDays} days`}>
                  <span data-testid="rating-received">{ratingWords(h.ratingReceived)}</span>
                </Fact>
                <Fact term="Your rating of the hub">{ratingWords(h.ratingOfHub)}</Fact>
                <Fact term="Disputes on your orders">{h.disputes}</Fact>
              </dl>
            </Section>
          </>
        );
      }}
    </QueryView>
  );
}
