import { useEffect, useState } from 'react';
import type { ResultOf } from '../graphql/graphql';
import { RedeliverWebhookMutation, WebhookDeliveriesQuery } from '../graphql/supplier-operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { dateTimeWords } from '../lib/words';
import { Done, Empty, ErrorNote, QueryView } from './feedback';
import { Field } from './field';

type Delivery = ResultOf<typeof WebhookDeliveriesQuery>['webhookDeliveries']['edges'][number]['node'];

export const DELIVERIES_PAGE = 20;
const STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
type Status = (typeof STATUSES)[number];
/** Deliveries change on the worker's clock (attempts, retries): the list refreshes while it is open. */
const POLL_MS = 2000;

const statusWords: Record<string, string> = { PENDING: 'Pending', SUCCEEDED: 'Succeeded', FAILED: 'Failed' };

/** An endpoint's deliveries, newest first, a page at a time, with their attempts; each may be sent again. */
export function WebhookDeliveries({ endpointId, refreshKey }: { endpointId: string; refreshKey: number }) {
  const [status, setStatus] = useState<Status | ''>('');
  // The cursors of the pages before this one: "Newer" pops, "Older" pushes.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const q = useQuery(WebhookDeliveriesQuery, { endpointId, status: status || null, first: DELIVERIES_PAGE, after }, { pollMs: POLL_MS });
  const { refetch } = q;
  // A test sent from the endpoint's own buttons shows at once, not at the next poll.
  useEffect(() => {
    if (refreshKey > 0) void refetch();
  }, [refreshKey, refetch]);
  const [redeliver, r] = useMutation(RedeliverWebhookMutation);
  const [done, setDone] = useState('');

  return (
    <div className="webhook-deliveries">
      <Field label="Status">
        {(p) => (
          <select
            {...p}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as Status | '');
              setCursors([null]);
            }}
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWords[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <QueryView state={q} label="Loading deliveries…">
        {({ webhookDeliveries: d }) =>
          d.edges.length === 0 ? (
            <Empty>No deliveries{status ? ` ${statusWords[status].toLowerCase()}` : ''} yet.</Empty>
          ) : (
            <>
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Deliveries">
                <table>
                  <caption className="sr-only">Deliveries, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Attempts
                      </th>
                      <th scope="col">Last answer</th>
                      <th scope="col">Next attempt</th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.edges.map(({ node }) => (
                      <DeliveryRow
                        key={node.id}
                        delivery={node}
                        running={r.running}
                        onRedeliver={async () => {
                          setDone('');
                          const res = await redeliver({ deliveryId: node.id });
                          if (res) {
                            setDone(`Sent ${node.eventType} again.`);
                            await q.refetch();
                          }
                        }}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="muted">
                {d.totalCount} {d.totalCount === 1 ? 'delivery' : 'deliveries'}
                {status ? ` ${statusWords[status].toLowerCase()}` : ''}.
              </p>
              <div className="buttons">
                <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Newer
                </button>
                <button type="button" disabled={!d.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, d.pageInfo.endCursor])}>
                  Older
                </button>
              </div>
            </>
          )
        }
      </QueryView>
      <ErrorNote error={r.error} />
      <Done>{done}</Done>
    </div>
  );
}

function DeliveryRow({ delivery: d, running, onRedeliver }: { delivery: Delivery; running: boolean; onRedeliver: () => Promise<void> }) {
  return (
    <tr data-testid="webhook-delivery">
      <th scope="row">
        <span className="mono">{d.eventType}</span>
        <br />
        <span className="muted">{dateTimeWords(d.createdAt)}</span>
      </th>
      <td>
        <span className={`badge webhook-${d.status.toLowerCase()}`} data-testid="webhook-delivery-status">
          {statusWords[d.status] ?? d.status}
        </span>
      </td>
      <td className="num">{d.attempts}</td>
      <td>
        {d.lastAttemptAt ? (
          <>
            {d.lastResponseStatus === null || d.lastResponseStatus === undefined ? 'no response' : `HTTP ${d.lastResponseStatus}`}
            <br />
            <span className="muted">{dateTimeWords(d.lastAttemptAt)}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>{d.nextAttemptAt ? dateTimeWords(d.nextAttemptAt) : '—'}</td>
      <td>
        <button type="button" disabled={running} onClick={onRedeliver} aria-label={`Send ${d.eventType} of ${dateTimeWords(d.createdAt)} again`}>
          Redeliver
        </button>
      </td>
    </tr>
  );
}
