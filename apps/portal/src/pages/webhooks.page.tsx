import { Empty } from '../components/feedback';
import { Page } from '../components/page';

/** Webhooks (being built: replace this whole file). */
export function WebhooksPage() {
  return (
    <Page title="Webhooks">
      <Empty>Nothing here yet.</Empty>
    </Page>
  );
}
