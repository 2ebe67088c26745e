import { useState, type FormEvent } from 'react';
import { Done, ErrorNote, QueryView } from '../../components/feedback';
import { Field } from '../../components/field';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { StatementsPanel, StatementsTable } from '../../components/statements-panel';
import type { ResultOf } from '../../graphql/graphql';
import { MembersQuery, PAGE, RunSettlementMutation, SetSettlementScheduleMutation, SettlementOverviewQuery } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useMutation, useQuery } from '../../hooks/use-query';
import { dateTimeWords } from '../../lib/words';
import { useSignedIn } from '../../session/session-context';

type Run = ResultOf<typeof RunSettlementMutation>['runSettlement'];
type MemberNode = ResultOf<typeof MembersQuery>['members']['edges'][number]['node'];

/** Settlement runs: run now, the statements a run made (mark paid, CSV), the schedule, any member's statements. */
export function SettlementPage() {
  const { identity } = useSignedIn();
  const overview = useQuery(SettlementOverviewQuery, { currency: identity.network.currency });
  const [run, r] = useMutation(RunSettlementMutation);
  const [last, setLast] = useState<Run | null>(null);
  const members = useAllPages(MembersQuery, { role: null, first: PAGE.members, after: null }, (d) => d.members, 20);
  const [memberId, setMemberId] = useState('');

  return (
    <Page
      title="Settlement"
      intro="A run closes each member's posted activity since its last statement into one statement that nets what it owes against what it is owed."
    >
      <Section title="Run settlement" id="run">
        <button
          type="button"
          className="primary"
          disabled={r.running}
          onClick={async () => {
            const res = await run({});
            if (res) {
              setLast(res.runSettlement);
              void overview.refetch();
            }
          }}
        >
          {r.running ? 'Running…' : 'Run settlement now'}
        </button>
        <ErrorNote error={r.error} />
        {last ? (
          <div className="run-result">
            <Done>
              Run of {dateTimeWords(last.createdAt)}:{' '}
              {last.statements.length === 0
                ? 'nothing new to settle, no statements.'
                : last.statements.length === 1
                  ? '1 statement.'
                  : `${last.statements.length} statements.`}
            </Done>
            {last.statements.length > 0 ? <StatementsTable statements={last.statements} canMarkPaid showMember /> : null}
          </div>
        ) : null}
      </Section>
      <QueryView state={overview} label="Loading the schedule and ledger…">
        {(data) => (
          <div className="two-columns">
            <Section title="Schedule" id="schedule">
              <ScheduleForm hours={data.settlementSchedule.intervalHours} onChange={overview.refetch} />
            </Section>
            <Section title="Trial balance" id="trial">
              <p className={data.trialBalance.balanced ? 'ok' : 'error'}>{data.trialBalance.balanced ? 'Balanced.' : 'Not balanced.'}</p>
              <p>
                Debits <MoneyText value={data.trialBalance.debits} />, credits <MoneyText value={data.trialBalance.credits} />.
              </p>
            </Section>
          </div>
        )}
      </QueryView>
      <Section title="A member's statements" id="member-statements">
        <Field label="Member">
          {(p) => (
            <select {...p} value={memberId} onChange={(e) => setMemberId(e.target.value)}>
              <option value="">Choose a member…</option>
              {((members.nodes ?? []) as MemberNode[]).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNote error={members.error} />
        {memberId ? <StatementsPanel key={memberId} memberId={memberId} currency={identity.network.currency} canMarkPaid /> : null}
      </Section>
    </Page>
  );
}

function ScheduleForm({ hours, onChange }: { hours: number; onChange: () => Promise<void> }) {
  const [value, setValue] = useState(String(hours));
  const [save, m] = useMutation(SetSettlementScheduleMutation);
  const [done, setDone] = useState('');
  const [problem, setProblem] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isInteger(n)) return setProblem('A whole number of hours; 0 turns scheduled runs off.');
    setProblem('');
    const r = await save({ intervalHours: n });
    if (r) {
      setDone(
        r.setSettlementSchedule.intervalHours === 0 ? 'Scheduled runs are off.' : `Settlement runs every ${r.setSettlementSchedule.intervalHours} hours.`,
      );
      await onChange();
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <p>{hours === 0 ? 'Scheduled runs are off.' : `Runs every ${hours} hours.`}</p>
      <Field label="Run every (hours, 0 for off)" error={problem || undefined}>
        {(p) => <input {...p} inputMode="numeric" value={value} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <button type="submit" disabled={m.running}>
        Save schedule
      </button>
      <ErrorNote error={m.error} />
      <Done>{done}</Done>
    </form>
  );
}
