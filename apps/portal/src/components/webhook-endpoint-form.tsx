import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../graphql/client';
import { CreateWebhookEndpointMutation, WebhookEventTypesQuery } from '../graphql/supplier-operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { ErrorNote, Loading } from './feedback';
import { Field } from './field';

const MAX_URL = 2048;

/** Creates an endpoint; the secret comes back through onCreated, to be shown once. */
export function WebhookEndpointForm({ onCreated }: { onCreated: (secret: string, url: string) => Promise<void> }) {
  const [url, setUrl] = useState('');
  const [all, setAll] = useState(true);
  const [types, setTypes] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ url?: string; eventTypes?: string }>({});
  const [create, m] = useMutation(CreateWebhookEndpointMutation);
  // Asked for only once the operator chooses types one by one.
  const eventTypes = useQuery(WebhookEventTypesQuery, {}, { skip: all });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    const trimmed = url.trim();
    if (!/^https?:\/\/\S+$/i.test(trimmed)) next.url = 'Give an absolute URL, such as https://example.com/hooks/tandem.';
    else if (trimmed.length > MAX_URL) next.url = `At most ${MAX_URL} characters.`;
    if (!all && types.length === 0) next.eventTypes = 'Choose at least one event type, or all.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const r = await create({ input: { url: trimmed, eventTypes: all ? ['*'] : types, description: description.trim() || null } });
    if (r) {
      setUrl('');
      setDescription('');
      setTypes([]);
      setAll(true);
      await onCreated(r.createWebhookEndpoint.secret, r.createWebhookEndpoint.endpoint.url);
    }
  }

  // The API's refusal of a URL or a type goes next to that field.
  const apiField = m.error instanceof ApiError ? m.error.field?.split('.')[0] : undefined;
  const urlError = errors.url ?? (apiField === 'url' ? describeError(m.error) : undefined);
  const typesError = errors.eventTypes ?? (apiField === 'eventTypes' ? describeError(m.error) : undefined);

  return (
    <form onSubmit={submit} noValidate aria-label="New endpoint" className="webhook-form">
      <Field label="URL" hint="Receives a signed POST for each event (Standard Webhooks)." error={urlError}>
        {(p) => <input {...p} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hooks/tandem" />}
      </Field>
      <Field label="Description (optional)">{(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <fieldset aria-describedby={typesError ? 'webhook-types-error' : undefined}>
        <legend>Events</legend>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          All events this key may see
        </label>
        {!all && eventTypes.error ? <ErrorNote error={eventTypes.error} /> : null}
        {!all && eventTypes.loading ? <Loading label="Loading the event types…" /> : null}
        {!all && eventTypes.data ? (
          <div className="webhook-types">
            {eventTypes.data.webhookEventTypes.map((t) => (
              <label key={t} className="check">
                <input
                  type="checkbox"
                  checked={types.includes(t)}
                  onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, t] : ts.filter((x) => x !== t)))}
                />
                <span className="mono">{t}</span>
              </label>
            ))}
          </div>
        ) : null}
        {typesError ? (
          <p className="field-error" id="webhook-types-error">
            {typesError}
          </p>
        ) : null}
      </fieldset>
      <div className="buttons">
        <button type="submit" className="primary" disabled={m.running}>
          Create endpoint
        </button>
      </div>
      {apiField !== 'url' && apiField !== 'eventTypes' ? <ErrorNote error={m.error} /> : null}
    </form>
  );
}
