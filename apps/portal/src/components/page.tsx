import type { ReactNode } from 'react';

/** A page: its heading (focusable, so navigation can move focus to it) and an optional intro. */
export function Page({ title, intro, actions, children }: { title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {intro ? <p className="intro">{intro}</p> : null}
      {children}
    </>
  );
}

export function Section({ title, id, children, aside }: { title: string; id?: string; children: ReactNode; aside?: ReactNode }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className="panel" aria-labelledby={headingId} id={id}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
