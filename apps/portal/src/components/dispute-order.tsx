import { useRef, useState, type FormEvent } from 'react';
import type { ResultOf } from '../graphql/graphql';
import { DisputeFields, OpenDisputeMutation, RefundOrderPartiallyMutation, RespondToDisputeMutation } from '../graphql/disputes-operations';
import { useMutation } from '../hooks/use-query';
import { hrefOf } from '../hooks/use-route';
import { formatMoney } from '../lib/money';
import { codePointLength } from '../lib/order-validation';
import { dateTimeWords } from '../lib/words';
import { Fact } from './fact';
import { FocusedDone } from './dispute-done';
import { Empty, ErrorNote } from './feedback';
import { Field } from './field';
import { MoneyText } from './money';
import { Section } from './page';
import { RefundLegsTable, RefundPreviewForm, refundLegsOf, type RefundLegs } from './dispute-refund-preview';
import { MAX_WORDS, withinWindow, type VoicedOrder } from './rating-feedback';

export type DisputeView = ResultOf<typeof DisputeFields>;

const DISPUTE_STATUS: Record<string, string> = { OPEN: 'Open', RESOLVED: 'Resolved', REJECTED: 'Rejected' };
export function DisputeBadge({ status }: { status: string }) {
  return <span className={`badge dispute-${status.toLowerCase()}`}>{DISPUTE_STATUS[status] ?? status}</span>;
}

/** Both sides' words and the operator's decision, as everyone party to the dispute sees them (the status badge is the caller's, in its heading). */
export function DisputeWords({ dispute, clientName, supplierName }: { dispute: DisputeView; clientName: string; supplierName: string }) {
  return (
    <>
      <dl className="facts">
        <Fact term="Opened">{dateTimeWords(dispute.createdAt)}</Fact>
        {dispute.resolvedAt ? <Fact term={dispute.status === 'REJECTED' ? 'Rejected' : 'Resolved'}>{dateTimeWords(dispute.resolvedAt)}</Fact> : null}
        {dispute.status === 'RESOLVED' ? (
          <Fact term="Refunded by the resolution">
            <MoneyText value={dispute.refund} />
          </Fact>
        ) : null}
      </dl>
      <div className="dispute-words">
        <figure>
          <figcaption>{clientName} (client) says</figcaption>
          <blockquote data-testid="dispute-reason">{dispute.reason}</blockquote>
        </figure>
        <figure>
          <figcaption>{supplierName} (supplier) answers</figcaption>
          {dispute.supplierResponse ? (
            <blockquote data-testid="dispute-response">{dispute.supplierResponse}</blockquote>
          ) : (
            <p className="muted">No answer yet.</p>
          )}
        </figure>
        {dispute.resolution ? (
          <figure>
            <figcaption>The hub's decision</figcaption>
            <blockquote data-testid="dispute-resolution">{dispute.resolution}</blockquote>
          </figure>
        ) : null}
      </div>
    </>
  );
}

/** A text of 1 to 2,000 code points, checked as the API checks it. */
function textProblem(text: string, what: string): string {
  if (!text.trim()) return `Write ${what}.`;
  const n = codePointLength(text.trim());
  return n > MAX_WORDS ? `${what[0].toUpperCase()}${what.slice(1)} may have at most 2,000 characters (now ${n.toLocaleString('en')}).` : '';
}

/**
 * The order's dispute: both sides' words once it exists; for the client, the
 * form that opens one (FULFILLED or PARTIALLY_REFUNDED, within 30 days of
 * fulfilment, once); for the supplier, the form that answers an open one.
 */
export function DisputeSection({
  order,
  meId,
  operator,
  onChange,
}: {
  order: VoicedOrder;
  meId: string | null;
  operator: boolean;
  onChange: () => Promise<void>;
}) {
  const isClient = meId !== null && order.client.id === meId;
  const isSupplier = meId !== null && order.supplier?.id === meId;
  const d = order.dispute;
  const canOpen = isClient && !d && ['FULFILLED', 'PARTIALLY_REFUNDED'].includes(order.status) && withinWindow(order, Date.now());
  const canAnswer = isSupplier && d?.status === 'OPEN' && !d.supplierResponse;
  const [done, setDone] = useState('');
  if (!d && !canOpen && !done) return null;
  const after = async (words: string) => {
    setDone(words);
    await onChange();
  };
  return (
    <Section title="Dispute" id="dispute" aside={d ? <DisputeBadge status={d.status} /> : undefined}>
      {d ? <DisputeWords dispute={d} clientName={order.client.name} supplierName={order.supplier?.name ?? 'The supplier'} /> : null}
      {canOpen ? <OpenDisputeForm orderId={order.id} onDone={after} /> : null}
      {canAnswer ? <AnswerForm disputeId={d.id} clientName={order.client.name} onDone={after} /> : null}
      {operator && d?.status === 'OPEN' ? (
        <p>
          <a href={hrefOf('disputes')}>Decide on the Disputes page</a>, with a refund previewed leg by leg or a rejection.
        </p>
      ) : null}
      <FocusedDone>{done}</FocusedDone>
    </Section>
  );
}

function OpenDisputeForm({ orderId, onDone }: { orderId: string; onDone: (words: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [open, m] = useMutation(OpenDisputeMutation);
  const box = useRef<HTMLTextAreaElement>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = textProblem(reason, 'what went wrong');
    setProblem(p);
    if (p) return box.current?.focus();
    if (await open({ orderId, reason: reason.trim() })) {
      setReason('');
      await onDone('Dispute opened: the supplier may answer, then the hub decides.');
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Open a dispute">
      <h3>Open a dispute</h3>
      <Field
        label="What went wrong"
        hint="The supplier can answer, and the hub's operator decides, with a refund of part or all of the price or none. One dispute per order, within 30 days of fulfilment."
        error={problem || undefined}
      >
        {(p) => <textarea {...p} ref={box} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" className="danger" disabled={m.running}>
          Open a dispute
        </button>
      </div>
      <ErrorNote error={m.error} />
    </form>
  );
}

function AnswerForm({ disputeId, clientName, onDone }: { disputeId: string; clientName: string; onDone: (words: string) => Promise<void> }) {
  const [response, setResponse] = useState('');
  const [problem, setProblem] = useState('');
  const [respond, m] = useMutation(RespondToDisputeMutation);
  const box = useRef<HTMLTextAreaElement>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = textProblem(response, 'your answer');
    setProblem(p);
    if (p) return box.current?.focus();
    if (await respond({ disputeId, response: response.trim() })) {
      setResponse('');
      await onDone('Answer sent: the hub reads both sides before it decides.');
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Answer the dispute">
      <h3>Answer the dispute</h3>
      <Field label={`Your answer to ${clientName}`} hint="You may answer once; the hub's operator sees both sides." error={problem || undefined}>
        {(p) => <textarea {...p} ref={box} rows={3} value={response} onChange={(e) => setResponse(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={m.running}>
          Send the answer
        </button>
      </div>
      <ErrorNote error={m.error} />
    </form>
  );
}

/** Every refund of the order with the legs it reversed; for the operator, a partial refund previewed before it is made. */
export function RefundsSection({ order, operator, onChange }: { order: VoicedOrder; operator: boolean; onChange: () => Promise<void> }) {
  const [refund, m] = useMutation(RefundOrderPartiallyMutation);
  const [done, setDone] = useState('');
  const canRefund = operator && order.fees !== null && order.fees !== undefined && ['FULFILLED', 'PARTIALLY_REFUNDED'].includes(order.status);
  if (order.refunds.length === 0 && !canRefund) return null;
  return (
    <Section title="Refunds" id="refunds" aside={<span className="muted">Refunded so far: {formatMoney(order.refundedAmount)}</span>}>
      {order.refunds.length === 0 ? (
        <Empty>No refund yet.</Empty>
      ) : (
        <ol className="refunds">
          {order.refunds.map((r, i) => (
            <li key={r.id}>
              <RefundLegsTable
                legs={legsOf(r)}
                caption={`Refund ${i + 1}: ${formatMoney(r.amount)}, ${dateTimeWords(r.createdAt)}${r.reason ? ` (“${r.reason}”)` : ''}`}
              />
            </li>
          ))}
        </ol>
      )}
      {canRefund && order.fees ? (
        <>
          <h3>Refund part of the price</h3>
          <RefundPreviewForm
            orderId={order.id}
            fees={order.fees}
            refundedAmount={order.refundedAmount}
            subject={`this order for ${order.client.name}`}
            noteLabel="Reason (optional, shown with the refund)"
            confirmLabel={(a) => `Confirm: refund ${formatMoney(a)}`}
            running={m.running}
            error={m.error}
            onConfirm={async (amount, reason) => {
              setDone('');
              const r = await refund({ orderId: order.id, amount, reason });
              if (!r) return false;
              setDone(`Refunded ${formatMoney(amount)}: every leg reversed in proportion.`);
              await onChange();
              return true;
            }}
          />
        </>
      ) : null}
      <FocusedDone>{done}</FocusedDone>
    </Section>
  );
}

type RefundRow = VoicedOrder['refunds'][number];

/** A refund as the API lists it, in the preview's lines (what each party gives back or gets back). */
function legsOf(r: RefundRow): RefundLegs {
  return refundLegsOf(r.reversed);
}
