import { useEffect, useRef } from 'react';
import { Done } from './feedback';

/**
 * A success message that takes focus when it appears: the form that was used
 * is gone once the page has the server's answer, and focus must not fall
 * back to the top of the page.
 */
export function FocusedDone({ children }: { children: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (children) ref.current?.focus();
  }, [children]);
  return (
    <div ref={ref} tabIndex={-1} className="focused-done">
      <Done>{children}</Done>
    </div>
  );
}
