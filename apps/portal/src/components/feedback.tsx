import type { ReactNode } from 'react';
import { describeError } from '../graphql/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** An API error in words, announced to screen readers, placed next to what caused it. */
export function ErrorNote({ error, id, prefix }: { error: unknown; id?: string; prefix?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" id={id}>
      {prefix ? `${prefix}: ` : ''}
      {describeError(error)}
    </p>
  );
}

/** A short success message, announced politely. */
export function Done({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="done" role="status">
      {children}
    </p>
  );
}

/** Loading, error or content for one query. */
export function QueryView<R>({
  state,
  label,
  children,
}: {
  state: { data: R | undefined; error: unknown; loading: boolean };
  label?: string;
  children: (data: R) => ReactNode;
}) {
  if (state.data !== undefined) {
    return (
      <>
        {state.error ? <ErrorNote error={state.error} prefix="Could not refresh" /> : null}
        {children(state.data)}
      </>
    );
  }
  if (state.error) return <ErrorNote error={state.error} />;
  return <Loading label={label} />;
}
