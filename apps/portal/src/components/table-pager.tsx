import { useCallback, useState } from 'react';

/**
 * Cursor pages of a list the API filters: the cursors of the pages already
 * seen are kept, so "Previous" goes back without a backward cursor from the
 * API. A change of filters starts again at the first page (reset).
 */
export function useCursorPages() {
  const [afters, setAfters] = useState<(string | null)[]>([null]);
  const next = useCallback((endCursor: string) => setAfters((a) => [...a, endCursor]), []);
  const previous = useCallback(() => setAfters((a) => (a.length > 1 ? a.slice(0, -1) : a)), []);
  const reset = useCallback(() => setAfters([null]), []);
  return { after: afters[afters.length - 1], index: afters.length - 1, next, previous, reset };
}

/** Previous / next buttons and where this page sits in the whole list. */
export function TablePager({
  label,
  index,
  pageSize,
  shown,
  total,
  hasNextPage,
  endCursor,
  onNext,
  onPrevious,
}: {
  /** What the rows are, for the buttons' names ("members", "orders"). */
  label: string;
  index: number;
  pageSize: number;
  shown: number;
  total: number;
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  onNext: (endCursor: string) => void;
  onPrevious: () => void;
}) {
  const first = index * pageSize + 1;
  const last = index * pageSize + shown;
  return (
    <nav className="table-pager" aria-label={`Pages of ${label}`}>
      <button type="button" onClick={onPrevious} disabled={index === 0}>
        Previous {pageSize} {label}
      </button>
      <p className="table-pager-position" aria-live="polite">
        {shown === 0 ? `None of ${total}` : `${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${total.toLocaleString('en')}`}
      </p>
      <button type="button" onClick={() => endCursor && onNext(endCursor)} disabled={!hasNextPage || !endCursor}>
        Next {pageSize} {label}
      </button>
    </nav>
  );
}
