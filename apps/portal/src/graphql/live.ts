import { useEffect, useRef, useState } from 'react';
import { createClient, type Client } from 'graphql-ws';
import { print, type DocumentNode } from 'graphql';
import { useSession } from '../session/session-context';
import { graphql } from './graphql';

/*
 * Live events over graphql-ws (the graphql-transport-ws protocol) on the
 * page's own origin, /graphql, with the session's key in connection_init, as
 * docs/api.md, "Webhooks and subscriptions", says. A page listens for the
 * events that change what it shows and reads again when one arrives; while
 * the socket cannot open it polls instead (useLiveEvents' status).
 */

/** Each offer made to the signed-in supplier, as it is made. */
export const OfferReceivedSubscription = graphql(`
  subscription OfferReceived {
    offerReceived {
      id
      status
    }
  }
`);

/** Every change of status of an order the key can see. */
export const OrderUpdatedSubscription = graphql(`
  subscription OrderUpdated {
    orderUpdated {
      id
      status
    }
  }
`);

/** `connecting` until the socket first opens, `live` while it is open, `down` while it cannot open or was refused. */
export type LiveStatus = 'connecting' | 'live' | 'down';

/** The longest wait between two attempts to open the socket again. */
const MAX_RETRY_WAIT_MS = 30_000;

/** The socket's URL on the page's own origin: wss beside https, ws beside http. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}

/** The wait before attempt `retries` + 1 to open the socket: doubling from 1 s, at most 30 s. */
export function retryWaitMs(retries: number): number {
  return Math.min(MAX_RETRY_WAIT_MS, 1000 * 2 ** retries);
}

/**
 * A graphql-ws client for one key. It opens on the first subscription, and
 * keeps opening again after a lost connection (the subscriptions resume);
 * a refused key (4401) ends it, since the API would refuse it again.
 */
export function createLiveClient(key: string, onStatus: (status: LiveStatus) => void): Client {
  return createClient({
    url: liveUrl(window.location),
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryWaitMs(retries))),
    on: {
      connected: () => onStatus('live'),
      closed: () => onStatus('down'),
      error: () => onStatus('down'),
    },
  });
}

/**
 * Keeps `subscriptions` (documents without variables, stable across renders)
 * open on one socket with the session's key, and calls `onEvent` for each
 * event of any of them. Returns the socket's status: a page polls while it is
 * not `live`, and reads again when it turns `live` (events sent while it was
 * down are not replayed).
 */
export function useLiveEvents(subscriptions: readonly DocumentNode[], onEvent: () => void): LiveStatus {
  const { key } = useSession();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => {
    if (!key || typeof WebSocket === 'undefined') {
      setStatus('down');
      return;
    }
    let active = true;
    const report = (next: LiveStatus) => {
      if (active) setStatus(next);
    };
    setStatus('connecting');
    const client = createLiveClient(key, report);
    const stops = subscriptions.map((doc) =>
      client.subscribe(
        { query: print(doc) },
        {
          next: () => {
            if (active) handler.current();
          },
          // Refused (a bad key, a role that may not subscribe) or given up: polling takes over.
          error: () => report('down'),
          complete: () => undefined,
        },
      ),
    );
    return () => {
      active = false;
      for (const stop of stops) stop();
      // Disposing waits for a socket still opening, which rejects if it then fails: nothing is left to tell.
      Promise.resolve(client.dispose()).catch(() => undefined);
    };
  }, [key, subscriptions]);

  return status;
}
