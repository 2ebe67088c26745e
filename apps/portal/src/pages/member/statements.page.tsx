import { Page } from '../../components/page';
import { StatementsPanel } from '../../components/statements-panel';
import { useSignedIn } from '../../session/session-context';

export function StatementsPage() {
  const { identity } = useSignedIn();
  if (identity.kind !== 'member') return null;
  return (
    <Page title="Statements" intro="What you owe the hub and what it owes you, netted per settlement period. Download any statement as CSV.">
      <StatementsPanel memberId={identity.member.id} currency={identity.network.currency} />
    </Page>
  );
}
