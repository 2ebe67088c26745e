import { useState } from 'react';
import { Field } from './field';

/** A signing secret, shown this once (the API never shows it again), with a button that copies it. */
export function WebhookSecret({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // Without clipboard access (an insecure page, a refused permission) the person copies it by hand.
      setCopied('Could not copy: select the secret and copy it.');
    }
  }
  return (
    <div className="webhook-secret" role="group" aria-label="Signing secret">
      <Field label="Signing secret (shown once)" hint="Keep it where your receiver verifies signatures: it will not be shown again.">
        {(p) => <input {...p} readOnly value={secret} className="mono" data-testid="webhook-secret" onFocus={(e) => e.target.select()} />}
      </Field>
      <div className="buttons">
        <button type="button" onClick={copy}>
          Copy secret
        </button>
        <button type="button" onClick={onDismiss}>
          I have kept it
        </button>
      </div>
      {copied ? (
        <p className="done" role="status">
          {copied}
        </p>
      ) : null}
    </div>
  );
}
