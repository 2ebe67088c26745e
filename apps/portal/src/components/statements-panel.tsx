import { useState } from 'react';
import { Fact } from './fact';
import type { ResultOf } from '../graphql/graphql';
import { request } from '../graphql/client';
import { BalanceAndStatementsQuery, MarkStatementPaidMutation, StatementCsvQuery } from '../graphql/operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { downloadText } from '../lib/download';
import { dateWords } from '../lib/words';
import { useSession } from '../session/session-context';
import { Empty, ErrorNote, QueryView } from './feedback';
import { MoneyText } from './money';
import { Section } from './page';

export type StatementRow = ResultOf<typeof BalanceAndStatementsQuery>['statements'][number];

/** The member's open balance and its statements, newest first, each downloadable as CSV. */
export function StatementsPanel({ memberId, currency, canMarkPaid = false }: { memberId: string; currency: string; canMarkPaid?: boolean }) {
  const q = useQuery(BalanceAndStatementsQuery, { memberId, currency });
  return (
    <QueryView state={q} label="Loading balance and statements…">
      {(data) => (
        <>
          <Section title="Open balance" id="balance">
            <p className="muted">Everything posted and not yet closed into a statement.</p>
            <dl className="totals">
              <Fact term="Owed to the hub">
                <MoneyText value={data.balance.owedToHub} />
              </Fact>
              <div>
                <dt>Owed by the hub</dt>
                <dd data-testid="owed-by-hub">
                  <MoneyText value={data.balance.owedByHub} />
                </dd>
              </div>
              <Fact term="Net (positive: the hub pays)">
                <MoneyText value={data.balance.net} signed />
              </Fact>
            </dl>
          </Section>
          <Section title="Statements" id="statements">
            <StatementsTable statements={data.statements} canMarkPaid={canMarkPaid} onChange={q.refetch} />
          </Section>
        </>
      )}
    </QueryView>
  );
}

export function StatementsTable({
  statements,
  canMarkPaid,
  showMember = false,
  onChange,
}: {
  statements: readonly StatementRow[];
  canMarkPaid: boolean;
  showMember?: boolean;
  onChange?: () => unknown;
}) {
  if (statements.length === 0) return <Empty>No statements yet. A settlement run closes posted activity into one.</Empty>;
  return (
    <div className="table-scroll">
      <table className="statements">
        <caption className="sr-only">Statements</caption>
        <thead>
          <tr>
            {showMember ? <th scope="col">Member</th> : null}
            <th scope="col">Period</th>
            <th scope="col" className="num">
              Earned business
            </th>
            <th scope="col" className="num">
              Supplier fees
            </th>
            <th scope="col" className="num">
              Partner shares
            </th>
            <th scope="col" className="num">
              Purchases
            </th>
            <th scope="col" className="num">
              Client fees
            </th>
            <th scope="col" className="num">
              Net
            </th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s) => (
            <StatementRowView key={s.id} statement={s} canMarkPaid={canMarkPaid} showMember={showMember} onChange={onChange} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatementRowView({
  statement: s,
  canMarkPaid,
  showMember,
  onChange,
}: {
  statement: StatementRow;
  canMarkPaid: boolean;
  showMember: boolean;
  onChange?: () => unknown;
}) {
  const { key } = useSession();
  const [markPaid, m] = useMutation(MarkStatementPaidMutation);
  const [status, setStatus] = useState(s.status);
  const [csvError, setCsvError] = useState<unknown>(undefined);
  const period = `${dateWords(s.periodStart)} – ${dateWords(s.periodEnd)}`;
  const label = showMember ? `${s.member.name}, ${period}` : period;
  async function csv() {
    setCsvError(undefined);
    try {
      const { statementCsv } = await request(StatementCsvQuery, { statementId: s.id }, key as string);
      downloadText(`statement-${s.member.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${s.periodEnd.slice(0, 10)}.csv`, statementCsv);
    } catch (e) {
      setCsvError(e);
    }
  }
  return (
    <tr>
      {showMember ? <th scope="row">{s.member.name}</th> : null}
      <td>{period}</td>
      <td className="num">
        <MoneyText value={s.earnedBusiness} />
      </td>
      <td className="num">
        <MoneyText value={s.supplierFees} />
      </td>
      <td className="num">
        <MoneyText value={s.partnerShares} />
      </td>
      <td className="num">
        <MoneyText value={s.purchases} />
      </td>
      <td className="num">
        <MoneyText value={s.clientFees} />
      </td>
      <td className="num">
        <MoneyText value={s.net} signed />
      </td>
      <td>
        <span className={`badge statement-${status.toLowerCase()}`}>{status === 'PAID' ? 'Paid' : status === 'DUE' ? 'Due' : status}</span>
      </td>
      <td className="row-actions">
        <button type="button" onClick={csv} aria-label={`Download the CSV of the statement ${label}`}>
          CSV
        </button>
        {canMarkPaid && status === 'DUE' ? (
          <button
            type="button"
            disabled={m.running}
            aria-label={`Mark the statement ${label} paid`}
            onClick={async () => {
              const r = await markPaid({ statementId: s.id });
              if (r) {
                setStatus(r.markStatementPaid.status);
                await onChange?.();
              }
            }}
          >
            Mark paid
          </button>
        ) : null}
        <ErrorNote error={m.error ?? csvError} />
      </td>
    </tr>
  );
}
