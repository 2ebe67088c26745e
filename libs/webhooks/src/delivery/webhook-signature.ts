import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** Random bytes behind a new secret (the contract allows 24 to 64). */
const SECRET_BYTES = 32;

/** A new signing secret: whsec_ and base64 of random bytes (docs/api.md, "Webhooks and subscriptions"). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The Standard Webhooks headers of one attempt. */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs as the Standard Webhooks specification says: for each secret (the
 * current one first, then one still valid after a rotation), `v1,` and the
 * base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with the secret's
 * base64-decoded part after `whsec_`; several are separated by a space.
 */
export function signWebhook(eventId: string, timestampSeconds: number, body: string, secrets: readonly string[]): SignedHeaders {
  const signed = `${eventId}.${timestampSeconds}.${body}`;
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  });
  return { 'webhook-id': eventId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') };
}
