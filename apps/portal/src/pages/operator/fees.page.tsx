import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Page, Section } from '../../components/page';
import type { ResultOf } from '../../graphql/graphql';
import { MembersQuery, PAGE, UpdateFeeScheduleMutation } from '../../graphql/operations';
import { useAllPages } from '../../hooks/use-all-pages';
import { useMutation } from '../../hooks/use-query';
import { hrefOf } from '../../hooks/use-route';
import { useSession, useSignedIn } from '../../session/session-context';
import { TERM_FIELDS, TermsForm, TermsTable } from './terms-form';

type MemberNode = ResultOf<typeof MembersQuery>['members']['edges'][number]['node'];

/** The network's fee schedule, and the members whose own terms differ from it. */
export function FeesPage() {
  const { profile } = useSignedIn();
  const { refresh } = useSession();
  const [update, m] = useMutation(UpdateFeeScheduleMutation);
  const schedule = profile.network.feeSchedule;
  const members = useAllPages(MembersQuery, { role: null, first: PAGE.members, after: null }, (d) => d.members, 20);
  const own = ((members.nodes ?? []) as MemberNode[]).filter((mb) => mb.terms && TERM_FIELDS.some((f) => mb.terms?.[f.key] !== schedule[f.key]));
  return (
    <Page title="Fees" intro="Fees are fixed on each order when the supplier accepts it: a change applies to orders accepted from now on.">
      <Section title="Fee schedule" id="schedule">
        <TermsTable terms={schedule} caption={`The schedule of ${profile.network.name}`} />
        <h3>Change the schedule</h3>
        <TermsForm
          current={schedule}
          submitLabel="Save schedule"
          running={m.running}
          error={m.error}
          onSubmit={async (input) => {
            const ok = !!(await update({ input }));
            if (ok) {
              await refresh();
              members.reload();
            }
            return ok;
          }}
        />
      </Section>
      <Section title="Members on their own terms" id="member-terms">
        {members.error ? <ErrorNote error={members.error} /> : null}
        {members.loading ? (
          <Loading label="Loading members…" />
        ) : own.length === 0 ? (
          <Empty>Every member is on the network's schedule.</Empty>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="sr-only">Members whose terms differ from the schedule</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  {TERM_FIELDS.map((f) => (
                    <th key={f.key} scope="col" className="num">
                      {f.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {own.map((mb) => (
                  <tr key={mb.id}>
                    <th scope="row">
                      <a href={hrefOf('members', mb.id)}>{mb.name}</a>
                    </th>
                    {TERM_FIELDS.map((f) => {
                      const v = mb.terms?.[f.key] ?? 0;
                      const differs = v !== schedule[f.key];
                      return (
                        <td key={f.key} className={`num${differs ? ' differs' : ''}`}>
                          {f.words ? f.words(v) : v}
                          {differs ? <span className="sr-only"> (own term)</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}
