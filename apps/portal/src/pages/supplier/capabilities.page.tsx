import { CapabilityEditor } from '../../components/capability-editor';
import { CapabilityStanding } from '../../components/capability-standing';
import { Empty, QueryView } from '../../components/feedback';
import { Page } from '../../components/page';
import { VettingBadge } from '../../components/status-badge';
import { MyCapabilitiesQuery } from '../../graphql/supplier-operations';
import { useQuery } from '../../hooks/use-query';

/**
 * A supplier's own capabilities: change price, regions, capacity and lead time,
 * seeing first how many of the network's recent orders the change would have
 * been eligible for (capabilityReach); then what the hub costs it per order
 * against its baseline, and its ratings.
 */
export function CapabilitiesPage() {
  const q = useQuery(MyCapabilitiesQuery, {});
  return (
    <Page
      title="Capabilities"
      intro="What you offer, and what each change would have meant for routing: orders are offered only to suppliers whose capability fits them."
    >
      <QueryView state={q} label="Loading your capabilities…">
        {({ me }) =>
          !me ? (
            <Empty>Only a supplier's own key has capabilities.</Empty>
          ) : (
            <>
              {me.vettingStatus !== 'VETTED' ? (
                <p className="notice">
                  <VettingBadge status={me.vettingStatus} /> Until the hub has vetted you, no order is routed to you.
                </p>
              ) : null}
              {me.capabilities.length === 0 ? (
                <Empty>No capabilities yet: ask the hub to add what you offer.</Empty>
              ) : (
                me.capabilities.map((c) => <CapabilityEditor key={c.id} supplierId={me.id} capability={c} onSaved={q.refetch} />)
              )}
              <CapabilityStanding memberId={me.id} />
            </>
          )
        }
      </QueryView>
    </Page>
  );
}
