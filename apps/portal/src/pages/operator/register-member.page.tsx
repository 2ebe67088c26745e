import { Empty } from '../../components/feedback';
import { Page } from '../../components/page';

/** Register a member (being built: replace this whole file). */
export function RegisterMemberPage() {
  return (
    <Page title="Register a member">
      <Empty>Nothing here yet.</Empty>
    </Page>
  );
}
