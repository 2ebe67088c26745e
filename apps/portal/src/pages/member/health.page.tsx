import { HealthPanel } from '../../components/health-panel';
import { Page } from '../../components/page';
import { RatingsPanel } from '../../components/rating-summary';
import { useSignedIn } from '../../session/session-context';

export function HealthPage() {
  const { identity } = useSignedIn();
  if (identity.kind !== 'member') return null;
  return (
    <Page
      title="Your relationship with the hub"
      intro="Whether each side gets fair value: the trust equation's parts, the signals behind them, how the other side and you rate each other, and what the hub costs you next to winning customers yourself."
    >
      <HealthPanel memberId={identity.member.id} currency={identity.network.currency} canSetBaseline />
      <RatingsPanel memberId={identity.member.id} own />
    </Page>
  );
}
