import { Empty, QueryView } from '../../components/feedback';
import { Fact } from '../../components/fact';
import { MoneyText } from '../../components/money';
import { Page, Section } from '../../components/page';
import { VettingBadge } from '../../components/status-badge';
import { BalanceAndStatementsQuery, MembersQuery, PAGE } from '../../graphql/operations';
import { useQuery } from '../../hooks/use-query';
import { sumAmounts } from '../../lib/money';
import { decimalsOfAmount } from '../../lib/order-validation';
import { dateWords, roleWords } from '../../lib/words';
import { useSignedIn } from '../../session/session-context';

/** The members this partner referred (never their orders) and the shares it earned on them. */
export function ReferralsPage() {
  const { identity } = useSignedIn();
  const meId = identity.kind === 'member' ? identity.member.id : '';
  const members = useQuery(MembersQuery, { role: null, first: PAGE.members, after: null });
  const money = useQuery(BalanceAndStatementsQuery, { memberId: meId, currency: identity.network.currency });
  return (
    <Page title="Referrals" intro="Members you brought into the network. You earn a share of the fees they pay the hub for a period after they join.">
      <Section title="Your shares" id="shares">
        <QueryView state={money} label="Loading your shares…">
          {({ balance, statements }) => {
            const decimals = decimalsOfAmount(balance.owedByHub.amount);
            const settled = sumAmounts(
              statements.map((s) => s.partnerShares.amount),
              decimals,
            );
            return (
              <dl className="totals">
                <div>
                  <dt>Earned, not yet settled</dt>
                  <dd data-testid="shares-open">
                    <MoneyText value={balance.owedByHub} />
                  </dd>
                </div>
                <Fact term="In statements so far">
                  <MoneyText value={{ amount: settled, currency: balance.currency }} />
                </Fact>
                <Fact term="Statements">
                  <a href="#/statements">{statements.length === 1 ? '1 statement' : `${statements.length} statements`}</a>
                </Fact>
              </dl>
            );
          }}
        </QueryView>
      </Section>
      <Section title="Members you referred" id="referred">
        <QueryView state={members} label="Loading members…">
          {(data) => {
            const referred = data.members.edges.map((e) => e.node).filter((m) => m.id !== meId);
            return referred.length === 0 ? (
              <Empty>No referred members yet.</Empty>
            ) : (
              <div className="table-scroll">
                <table>
                  <caption className="sr-only">Members you referred</caption>
                  <thead>
                    <tr>
                      <th scope="col">Member</th>
                      <th scope="col">Roles</th>
                      <th scope="col">Joined</th>
                      <th scope="col">Vetting</th>
                    </tr>
                  </thead>
                  <tbody>
                    {referred.map((m) => (
                      <tr key={m.id}>
                        <th scope="row">{m.name}</th>
                        <td>{m.roles.map(roleWords).join(', ')}</td>
                        <td>{dateWords(m.joinedAt)}</td>
                        <td>{m.vettingStatus ? <VettingBadge status={m.vettingStatus} /> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </QueryView>
      </Section>
    </Page>
  );
}
