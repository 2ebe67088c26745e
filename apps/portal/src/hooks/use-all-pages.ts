import { useCallback, useEffect, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { request } from '../graphql/client';
import { useSession } from '../session/session-context';

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: readonly { node: N }[];
}

/**
 * Walks a Relay connection to its end (at most maxPages pages) and returns
 * every node; `truncated` says the cap was hit.
 */
export function useAllPages<R, V extends { first?: number | null; after?: string | null }, N>(
  doc: TadaDocumentNode<R, V>,
  variables: V,
  pick: (data: R) => Connection<N>,
  maxPages = 40,
): { nodes: N[] | undefined; total: number; truncated: boolean; error: unknown; loading: boolean; reload: () => void } {
  const { key } = useSession();
  const vars = JSON.stringify(variables);
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{ nodes?: N[]; total: number; truncated: boolean; error?: unknown; loading: boolean }>({
    total: 0,
    truncated: false,
    loading: true,
  });
  const reload = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    if (!key) return;
    const ac = new AbortController();
    (async () => {
      const nodes: N[] = [];
      let after: string | null = null;
      let total = 0;
      for (let page = 0; page < maxPages; page++) {
        const data: R = await request(doc, { ...(JSON.parse(vars) as V), after }, key, ac.signal);
        const conn = pick(data);
        total = conn.totalCount;
        nodes.push(...conn.edges.map((e) => e.node));
        if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return setState({ nodes, total, truncated: false, loading: false });
        after = conn.pageInfo.endCursor;
      }
      setState({ nodes, total, truncated: true, loading: false });
    })().catch((e: Error) => {
      if (!ac.signal.aborted && e.name !== 'AbortError') setState((s) => ({ ...s, error: e, loading: false }));
    });
    return () => ac.abort();
    // pick is a pure accessor: the walk reruns when the document, variables, key or round change.
  }, [doc, vars, key, round, maxPages]);

  return { ...state, error: state.error, nodes: state.nodes, reload };
}
