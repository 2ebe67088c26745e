import { Component, type ReactNode } from 'react';

/**
 * Pages arrive in chunks of their own; if one cannot be fetched (the
 * connection dropped, or a new build replaced it) the page says so instead of
 * leaving a blank screen. A new route (resetKey) tries again.
 */
export class LoadBoundary extends Component<{ resetKey: string; children: ReactNode }, { failed: boolean; key: string }> {
  state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError(): Partial<{ failed: boolean }> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }) {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="error" role="alert">
        This page could not be loaded: the connection may have dropped, or the portal was updated.{' '}
        <button type="button" className="link-button" onClick={() => window.location.reload()}>
          Reload the portal
        </button>
      </p>
    );
  }
}
