import { LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';
import { badInput } from '@tandem/common';

/** The longest URL an endpoint may have (docs/api.md, "Webhooks and subscriptions"). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Which targets a deployment accepts: in production, public https addresses only, unless private ones are allowed. */
export interface TargetRules {
  production: boolean;
  allowPrivate: boolean;
}

/** Only private, loopback, link-local and other non-public ranges are refused where the rules say so. */
const restricted = (rules: TargetRules) => rules.production && !rules.allowPrivate;

export class RefusedTargetError extends Error {}

/** Why a delivery's target was refused, when that is what failed it: thrown directly (an IP literal) or as the cause of fetch's error (after DNS). */
export function refusalOf(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof RefusedTargetError) return e.message;
  }
  return null;
}

/** Whether an address is public unicast; anything else (private, loopback, link-local, CGNAT, ...) is refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => lookup(host, { all: true }, (e, addresses) => (e ? reject(e) : resolve(addresses))));
}

/**
 * Checks an endpoint URL as it is created or changed: absolute, at most 2,048
 * characters, https (http too where private targets are allowed or outside
 * production) and, where restricted, a host whose every address is public.
 * Anything else is BAD_USER_INPUT.
 */
export async function checkWebhookUrl(raw: string, rules: TargetRules): Promise<string> {
  if (typeof raw !== 'string' || raw.length > MAX_WEBHOOK_URL_LENGTH) throw badInput(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`, 'url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput('url must be an absolute https URL', 'url');
  }
  const protocols = restricted(rules) ? ['https:'] : ['https:', 'http:'];
  if (!protocols.includes(url.protocol)) throw badInput(`url must start with ${protocols.map((p) => p + '//').join(' or ')}`, 'url');
  if (url.username || url.password) throw badInput('url must not carry credentials', 'url');
  if (restricted(rules)) {
    try {
      await assertPublicHost(hostOf(url));
    } catch (e) {
      throw badInput(`url is refused: ${(e as Error).message}`, 'url');
    }
  }
  return raw;
}

async function assertPublicHost(host: string): Promise<void> {
  const addresses = isIP(host) ? [{ address: host }] : await resolveAll(host);
  const refused = addresses.find((a) => !isPublicAddress(a.address));
  if (refused || addresses.length === 0) throw new RefusedTargetError(`${host} resolves to a private, loopback or link-local address`);
}

/**
 * The HTTP agent deliveries use. Where targets are restricted, the address is
 * checked after DNS at each connection (an IP literal before connecting too),
 * so a name that later points inside the network is refused then.
 */
export function deliveryAgent(rules: TargetRules): Agent {
  if (!restricted(rules)) return new Agent({ connections: 64 });
  return new Agent({
    connections: 64,
    connect: {
      lookup: (host, options, callback) => {
        lookup(host, { ...options, all: true }, (e, addresses) => {
          if (e) return callback(e, [] as never);
          const list = addresses as LookupAddress[];
          const refused = list.find((a) => !isPublicAddress(a.address));
          if (refused) return callback(new RefusedTargetError(`${host} resolves to ${refused.address}, which is not public`), [] as never);
          // Node asks for one address or for all, as its options say.
          if ((options as { all?: boolean }).all) return callback(null, list as never);
          return callback(null, list[0].address as never, list[0].family as never);
        });
      },
    },
  });
}

/** Refuses an IP-literal target where restricted: Node connects to a literal without asking DNS. */
export function assertLiteralTargetAllowed(url: URL, rules: TargetRules): void {
  const host = hostOf(url);
  if (restricted(rules) && isIP(host) && !isPublicAddress(host)) throw new RefusedTargetError(`${host} is not a public address`);
}
