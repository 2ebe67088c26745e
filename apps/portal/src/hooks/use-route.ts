import { useEffect, useState } from 'react';

/** Hash routes (#/orders/<id>): the server needs no route of its own and reloads keep the place. */
export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
}

export function hrefOf(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function navigate(...parts: string[]): void {
  window.location.hash = hrefOf(...parts);
}

export function useRoute(): string[] {
  const [path, setPath] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setPath(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path;
}
