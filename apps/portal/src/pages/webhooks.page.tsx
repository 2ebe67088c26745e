import { useState } from 'react';
import { Done, Empty, ErrorNote, QueryView } from '../components/feedback';
import { Page, Section } from '../components/page';
import { WebhookDeliveries } from '../components/webhook-deliveries';
import { WebhookEndpointForm } from '../components/webhook-endpoint-form';
import { WebhookSecret } from '../components/webhook-secret';
import type { ResultOf } from '../graphql/graphql';
import {
  DeleteWebhookEndpointMutation,
  RotateWebhookSecretMutation,
  SendTestWebhookMutation,
  UpdateWebhookEndpointMutation,
  WebhookEndpointsQuery,
} from '../graphql/supplier-operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { dateWords } from '../lib/words';
import { useSignedIn } from '../session/session-context';

type Endpoint = ResultOf<typeof WebhookEndpointsQuery>['webhookEndpoints'][number];

/**
 * The key's own webhook endpoints (an operator's are the network's): create
 * one (its secret shown once), rotate, disable, delete; each endpoint's
 * deliveries with their attempts, redeliver one, send a test.
 */
export function WebhooksPage() {
  const { identity } = useSignedIn();
  const q = useQuery(WebhookEndpointsQuery, {});
  // The secret of the endpoint just created or rotated: kept in this page's memory only, until dismissed.
  const [secret, setSecret] = useState<{ endpointUrl: string; value: string } | null>(null);
  const whose = identity.kind === 'operator' ? "every event of the network's" : 'the events your key may see';
  return (
    <Page title="Webhooks" intro={`Endpoints that receive a signed POST for ${whose} orders, disputes, statements and health.`}>
      {secret ? (
        <Section title={`Secret of ${secret.endpointUrl}`} id="webhook-secret">
          <WebhookSecret secret={secret.value} onDismiss={() => setSecret(null)} />
        </Section>
      ) : null}
      <Section title="Endpoints" id="endpoints">
        <QueryView state={q} label="Loading endpoints…">
          {({ webhookEndpoints }) =>
            webhookEndpoints.length === 0 ? (
              <Empty>No endpoints yet.</Empty>
            ) : (
              <ul className="webhook-endpoints">
                {webhookEndpoints.map((e) => (
                  <li key={e.id}>
                    <EndpointCard endpoint={e} onChange={q.refetch} onSecret={(value) => setSecret({ endpointUrl: e.url, value })} />
                  </li>
                ))}
              </ul>
            )
          }
        </QueryView>
      </Section>
      <Section title="New endpoint" id="new-endpoint">
        <WebhookEndpointForm
          onCreated={async (value, endpointUrl) => {
            await q.refetch();
            setSecret({ endpointUrl, value });
          }}
        />
      </Section>
    </Page>
  );
}

function EndpointCard({ endpoint: e, onChange, onSecret }: { endpoint: Endpoint; onChange: () => Promise<void>; onSecret: (secret: string) => void }) {
  const [open, setOpen] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState('');
  const [update, u] = useMutation(UpdateWebhookEndpointMutation);
  const [remove, d] = useMutation(DeleteWebhookEndpointMutation);
  const [rotate, r] = useMutation(RotateWebhookSecretMutation);
  const [sendTest, s] = useMutation(SendTestWebhookMutation);
  const running = u.running || d.running || r.running || s.running;
  const headingId = `endpoint-${e.id}`;

  return (
    <article className="card webhook-endpoint" aria-labelledby={headingId}>
      <h3 id={headingId} className="mono webhook-url">
        {e.url}
      </h3>
      <p>
        <span className={`badge ${e.enabled ? 'webhook-enabled' : 'webhook-disabled'}`}>{e.enabled ? 'Enabled' : 'Disabled'}</span>{' '}
        {e.eventTypes.includes('*') ? <span>All events</span> : <span className="mono">{e.eventTypes.join(', ')}</span>}
        <span className="muted"> · created {dateWords(e.createdAt)}</span>
      </p>
      {e.description ? <p className="muted">{e.description}</p> : null}
      <div className="buttons">
        <button
          type="button"
          disabled={running}
          onClick={async () => {
            setDone('');
            const res = await sendTest({ endpointId: e.id });
            if (res) {
              setDone('Test event sent: see its delivery below.');
              setOpen(true);
              setRefreshKey((k) => k + 1);
            }
          }}
        >
          Send a test
        </button>
        <button type="button" aria-expanded={open} aria-controls={`${headingId}-deliveries`} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        <button
          type="button"
          disabled={running}
          onClick={async () => {
            setDone('');
            const res = await rotate({ id: e.id });
            if (res) {
              setDone('New secret made: the old one keeps signing too for 24 hours.');
              onSecret(res.rotateWebhookSecret.secret);
            }
          }}
        >
          Rotate secret
        </button>
        <button
          type="button"
          disabled={running}
          onClick={async () => {
            setDone('');
            if (await update({ id: e.id, input: { enabled: !e.enabled } })) {
              setDone(e.enabled ? 'Disabled: no events are sent to it.' : 'Enabled again.');
              await onChange();
            }
          }}
        >
          {e.enabled ? 'Disable' : 'Enable'}
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="danger"
              disabled={running}
              onClick={async () => {
                if (await remove({ id: e.id })) await onChange();
              }}
            >
              Delete for good
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="danger" disabled={running} onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      {confirming ? <p className="hint">Deleting drops its pending deliveries.</p> : null}
      <ErrorNote error={u.error ?? d.error ?? r.error ?? s.error} />
      <Done>{done}</Done>
      {open ? (
        <div id={`${headingId}-deliveries`}>
          <h4>Deliveries</h4>
          <WebhookDeliveries endpointId={e.id} refreshKey={refreshKey} />
        </div>
      ) : null}
    </article>
  );
}
