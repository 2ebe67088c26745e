import { useCallback, useEffect, useRef, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { request } from '../graphql/client';
import { useSession } from '../session/session-context';

export interface QueryState<R> {
  data: R | undefined;
  error: unknown;
  /** True until the first answer (later refreshes keep showing the last data). */
  loading: boolean;
  refetch(): Promise<void>;
}

/**
 * Runs a query with the session's key and keeps its last answer. Variables
 * are compared by value. With pollMs it refreshes quietly while the tab is
 * visible (offers and order statuses change on the server's clock).
 */
export function useQuery<R, V>(doc: TadaDocumentNode<R, V>, variables: V, opts: { skip?: boolean; pollMs?: number } = {}): QueryState<R> {
  const { key } = useSession();
  const vars = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data?: R; error?: unknown; loading: boolean; for: string }>({ loading: !opts.skip, for: vars });
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    if (!key || opts.skip) return;
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    try {
      const data = await request(doc, JSON.parse(vars) as V, key, ac.signal);
      if (!ac.signal.aborted) setState({ data, error: undefined, loading: false, for: vars });
    } catch (e) {
      if (ac.signal.aborted || (e as Error).name === 'AbortError') return;
      setState((s) => ({ data: s.for === vars ? s.data : undefined, error: e, loading: false, for: vars }));
    }
  }, [doc, vars, key, opts.skip]);

  useEffect(() => {
    // New variables: show loading rather than another query's answer.
    setState((s) => (s.for === vars ? s : { loading: true, for: vars }));
    void run();
    return () => controller.current?.abort();
  }, [run, vars]);

  useEffect(() => {
    if (!opts.pollMs) return;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) void run();
    }, opts.pollMs);
    return () => clearInterval(timer);
  }, [run, opts.pollMs]);

  return { data: state.for === vars ? state.data : undefined, error: state.error, loading: state.loading || state.for !== vars, refetch: run };
}

export interface MutationState {
  running: boolean;
  error: unknown;
  reset(): void;
}

/** A mutation with the session's key: run resolves with the data, or undefined after an error (kept in state). */
export function useMutation<R, V>(doc: TadaDocumentNode<R, V>): [(variables: V) => Promise<R | undefined>, MutationState] {
  const { key } = useSession();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(
    async (variables: V) => {
      if (!key) return undefined;
      setRunning(true);
      setError(undefined);
      try {
        return await request(doc, variables, key);
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setRunning(false);
      }
    },
    [doc, key],
  );
  const reset = useCallback(() => setError(undefined), []);
  return [run, { running, error, reset }];
}
