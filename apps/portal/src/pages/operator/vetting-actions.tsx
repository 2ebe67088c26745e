import { useId, useState } from 'react';
import { Done, ErrorNote } from '../../components/feedback';
import { SetVettingStatusMutation } from '../../graphql/operations';
import { useMutation } from '../../hooks/use-query';
import { vettingWords } from '../../lib/words';

const ACTIONS: { status: 'VETTED' | 'UNDER_REVIEW' | 'SUSPENDED' | 'REVOKED'; label: string; className?: string }[] = [
  { status: 'VETTED', label: 'Approve', className: 'primary' },
  { status: 'UNDER_REVIEW', label: 'Under review' },
  { status: 'SUSPENDED', label: 'Suspend', className: 'danger' },
  { status: 'REVOKED', label: 'Revoke', className: 'danger' },
];

/**
 * Vetting buttons with an optional note; the member's current status is left out.
 * Where a decision removes these buttons (a queue the supplier leaves), pass `announce`
 * so the confirmation is shown by a parent that stays on the page.
 */
export function VettingActions({
  supplier,
  onChange,
  announce,
}: {
  supplier: { id: string; name: string; vettingStatus?: string | null };
  onChange: () => unknown;
  announce?: (message: string) => void;
}) {
  const [set, m] = useMutation(SetVettingStatusMutation);
  const [note, setNote] = useState('');
  const [ownDone, setOwnDone] = useState('');
  const setDone = announce ?? setOwnDone;
  const noteId = useId();
  return (
    <div className="vetting-actions">
      <label htmlFor={noteId}>Note for {supplier.name} (optional)</label>
      <textarea id={noteId} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="buttons">
        {ACTIONS.filter((a) => a.status !== supplier.vettingStatus).map((a) => (
          <button
            key={a.status}
            type="button"
            className={a.className}
            disabled={m.running}
            aria-label={`${a.label} ${supplier.name}`}
            onClick={async () => {
              setDone('');
              const r = await set({ supplierId: supplier.id, status: a.status, note: note.trim() || null });
              if (r) {
                setDone(`${supplier.name} is now ${vettingWords(r.setVettingStatus.vettingStatus).toLowerCase()}.`);
                setNote('');
                await onChange();
              }
            }}
          >
            {a.label}
          </button>
        ))}
      </div>
      <ErrorNote error={m.error} />
      {announce ? null : <Done>{ownDone}</Done>}
    </div>
  );
}
