import { useId } from 'react';
import { HealthHistoryQuery } from '../graphql/scale-operations';
import { useQuery } from '../hooks/use-query';
import { dateTimeWords } from '../lib/words';
import { Empty, QueryView } from './feedback';
import { MoneyText } from './money';
import { Section } from './page';
import { Sparkline } from './sparkline';

/** Snapshots on a member's page: about a quarter of weekly ones. */
const HISTORY_POINTS = 13;

/** A member's score over its last snapshots: the trend line, and every snapshot in a table. */
export function ScoreHistory({ memberId }: { memberId: string }) {
  const q = useQuery(HealthHistoryQuery, { memberId, first: HISTORY_POINTS });
  const captionId = useId();
  return (
    <Section title="Health history" id="health-history">
      <QueryView state={q} label="Loading the health history…">
        {({ healthHistory }) => {
          if (healthHistory.length === 0) return <Empty>No snapshot yet: the network takes one of every relationship periodically.</Empty>;
          // The API answers newest first; the line and the table read oldest to newest.
          const oldestFirst = [...healthHistory].reverse();
          return (
            <>
              <Sparkline scores={oldestFirst.map((s) => s.score)} width={320} height={64} />
              <details>
                <summary>Every snapshot ({healthHistory.length})</summary>
                <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
                  <table>
                    <caption id={captionId}>Health snapshots, oldest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Taken</th>
                        <th scope="col" className="num">
                          Score
                        </th>
                        <th scope="col" className="num">
                          Trust
                        </th>
                        <th scope="col" className="num">
                          Value to the member
                        </th>
                        <th scope="col">At risk</th>
                      </tr>
                    </thead>
                    <tbody>
                      {oldestFirst.map((s) => (
                        <tr key={s.computedAt}>
                          <th scope="row">{dateTimeWords(s.computedAt)}</th>
                          <td className="num">{Math.round(s.score)}</td>
                          <td className="num">{s.trust.toFixed(2)}</td>
                          <td className="num">
                            <MoneyText value={s.valueToMember} />
                          </td>
                          <td>{s.atRisk ? 'At risk' : 'No'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          );
        }}
      </QueryView>
    </Section>
  );
}
