import { Empty } from '../../components/feedback';
import { Page } from '../../components/page';

/** Disputes (being built: replace this whole file). */
export function DisputesPage() {
  return (
    <Page title="Disputes">
      <Empty>Nothing here yet.</Empty>
    </Page>
  );
}
