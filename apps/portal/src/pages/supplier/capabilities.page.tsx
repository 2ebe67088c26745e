import { Empty } from '../../components/feedback';
import { Page } from '../../components/page';

/** Capabilities (being built: replace this whole file). */
export function CapabilitiesPage() {
  return (
    <Page title="Capabilities">
      <Empty>Nothing here yet.</Empty>
    </Page>
  );
}
