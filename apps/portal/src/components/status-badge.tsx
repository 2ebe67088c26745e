import { statusWords, vettingWords } from '../lib/words';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{statusWords(status)}</span>;
}

export function VettingBadge({ status }: { status: string | null | undefined }) {
  if (!status) return null;
  return <span className={`badge vetting-${status.toLowerCase()}`}>{vettingWords(status)}</span>;
}
