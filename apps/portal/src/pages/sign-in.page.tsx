import { useId, useState, type FormEvent } from 'react';
import { useSession } from '../session/session-context';
import { preloadSharedPages } from './lazy-pages';

export function SignInPage() {
  const { signIn, notice } = useSession();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    // Every key opens these pages: fetch them while the key is being checked.
    preloadSharedPages();
    const ok = await signIn(key);
    setBusy(false);
    if (ok) setKey('');
  }

  return (
    <main id="main" className="sign-in">
      <h1>Tandem portal</h1>
      <p>Sign in with the API key your hub gave you: an operator key, or a member key for a supplier, client or partner.</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          name="apiKey"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby={`${hintId}${notice ? ` ${errorId}` : ''}`}
          aria-invalid={notice ? true : undefined}
          required
        />
        <p id={hintId} className="hint">
          The key is kept in this browser tab's session only and is forgotten when you sign out or close the browser.
        </p>
        {notice ? (
          <p id={errorId} className="error" role="alert">
            {notice}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
