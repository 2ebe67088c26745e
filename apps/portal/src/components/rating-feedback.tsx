import { useId, useRef, useState, type FormEvent } from 'react';
import type { ResultOf } from '../graphql/graphql';
import { LeaveFeedbackMutation, OrderVoicesQuery } from '../graphql/disputes-operations';
import { useMutation } from '../hooks/use-query';
import { codePointLength } from '../lib/order-validation';
import { dateTimeWords } from '../lib/words';
import { FocusedDone } from './dispute-done';
import { Empty, ErrorNote } from './feedback';
import { Field } from './field';
import { Section } from './page';

export type VoicedOrder = ResultOf<typeof OrderVoicesQuery>['order'];
type Subject = 'SUPPLIER' | 'CLIENT' | 'HUB';

export const MAX_WORDS = 2000;
/** Feedback may be left, and a dispute opened, this long after fulfilment (libs/disputes/src/windows.ts). */
export const AFTER_FULFILMENT_MS = 30 * 86_400_000;
const RATEABLE = new Set(['FULFILLED', 'PARTIALLY_REFUNDED', 'DISPUTED', 'REFUNDED']);

/** When the order was fulfilled (its last "fulfilled" event), or null. */
export function fulfilledAt(order: VoicedOrder): Date | null {
  const at = order.events.filter((e) => e.type === 'fulfilled').at(-1)?.at;
  return at ? new Date(at) : null;
}

/** Whether the 30 days after fulfilment are still running. */
export function withinWindow(order: VoicedOrder, now: number): boolean {
  const at = fulfilledAt(order);
  return at !== null && now <= at.getTime() + AFTER_FULFILMENT_MS;
}

function subjectName(order: VoicedOrder, subject: string): string {
  if (subject === 'SUPPLIER') return order.supplier?.name ?? 'the supplier';
  if (subject === 'CLIENT') return order.client.name;
  if (subject === 'HUB') return 'the hub';
  return subject;
}

/**
 * What both parties said about the order (each sees all of it; the operator
 * too), and a form for each rating the signed-in party may still leave: the
 * client rates the supplier and the hub, the supplier the client and the hub.
 */
export function FeedbackSection({ order, meId, onChange }: { order: VoicedOrder; meId: string | null; onChange: () => Promise<void> }) {
  const isClient = meId !== null && order.client.id === meId;
  const isSupplier = meId !== null && order.supplier?.id === meId;
  const mine: Subject[] = isClient ? ['SUPPLIER', 'HUB'] : isSupplier ? ['CLIENT', 'HUB'] : [];
  const open = RATEABLE.has(order.status) && withinWindow(order, Date.now());
  const left = mine.filter((s) => !order.feedback.some((f) => f.author.id === meId && f.subject === s));
  const [done, setDone] = useState('');
  // Before fulfilment there is nothing to say yet, and nothing said.
  if (!RATEABLE.has(order.status) && order.feedback.length === 0) return null;

  return (
    <Section title={open && left.length > 0 ? 'Rate this order' : 'Feedback'} id="feedback">
      {order.feedback.length === 0 ? (
        <Empty>No feedback on this order yet.</Empty>
      ) : (
        <ul className="feedback-list">
          {order.feedback.map((f) => (
            <li key={f.id}>
              <strong>{f.author.id === meId ? 'You' : f.author.name}</strong> rated {subjectName(order, f.subject)}{' '}
              <span className="rating">{f.rating} / 5</span> {f.comment ? <span className="feedback-comment">“{f.comment}”</span> : null}{' '}
              <time className="muted" dateTime={f.createdAt}>
                {dateTimeWords(f.createdAt)}
              </time>
            </li>
          ))}
        </ul>
      )}
      {mine.length > 0 && !open && left.length > 0 ? <p className="hint">Ratings may be left for 30 days after fulfilment: that time has passed.</p> : null}
      {open
        ? left.map((s) => (
            <RateForm
              key={s}
              orderId={order.id}
              subject={s}
              name={subjectName(order, s)}
              who={s === 'HUB' ? 'the network operator' : s === 'SUPPLIER' ? 'the supplier' : 'the client'}
              onDone={async (words) => {
                setDone(words);
                await onChange();
              }}
            />
          ))
        : null}
      <FocusedDone>{done}</FocusedDone>
    </Section>
  );
}

function RateForm({
  orderId,
  subject,
  name: label,
  who,
  onDone,
}: {
  orderId: string;
  subject: Subject;
  name: string;
  who: string;
  onDone: (words: string) => Promise<void>;
}) {
  const radios = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState('');
  const [leave, m] = useMutation(LeaveFeedbackMutation);
  const firstRadio = useRef<HTMLInputElement>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // A refused submit moves focus to what needs fixing.
    if (rating === null) {
      setProblem(`Choose a rating of ${label} from 1 to 5.`);
      return firstRadio.current?.focus();
    }
    if (codePointLength(comment) > MAX_WORDS) {
      setProblem(`The comment may have at most 2,000 characters (now ${codePointLength(comment).toLocaleString('en')}).`);
      return commentBox.current?.focus();
    }
    setProblem('');
    const r = await leave({ input: { orderId, subject, rating, comment: comment.trim() || null } });
    if (r) await onDone(`Thank you: you rated ${label} ${r.leaveFeedback.rating} / 5.`);
  }

  return (
    <form onSubmit={submit} noValidate className="rate-form" aria-label={`Rate ${label}`}>
      <fieldset aria-describedby={problem ? `${radios}-problem` : undefined}>
        <legend>
          Your rating of {label} <span className="muted">({who}; 1 worst, 5 best)</span>
        </legend>
        <div className="rating-choices">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="check">
              <input ref={n === 1 ? firstRadio : undefined} type="radio" name={radios} value={n} checked={rating === n} onChange={() => setRating(n)} />
              {n}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label={`Comment on ${label} (optional)`}>
        {(p) => <textarea {...p} ref={commentBox} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      {problem ? (
        <p className="field-error" id={`${radios}-problem`}>
          {problem}
        </p>
      ) : null}
      <div className="buttons">
        <button type="submit" disabled={m.running}>
          Rate {label}
        </button>
      </div>
      <ErrorNote error={m.error} />
    </form>
  );
}
