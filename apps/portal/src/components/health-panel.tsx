import { useState, type FormEvent } from 'react';
import { Fact } from './fact';
import type { ResultOf } from '../graphql/graphql';
import { RelationshipHealthQuery, SetAcquisitionBaselineMutation } from '../graphql/operations';
import { useMutation, useQuery } from '../hooks/use-query';
import { acquisitionWords } from '../lib/acquisition';
import { dateTimeWords, ratioWords } from '../lib/words';
import { Done, ErrorNote, QueryView } from './feedback';
import { Field } from './field';
import { MoneyText } from './money';
import { Section } from './page';

export type Health = ResultOf<typeof RelationshipHealthQuery>['relationshipHealth'];

// What each part measures (docs/health.md), in a reader's words.
const PARTS: { key: 'credibility' | 'reliability' | 'intimacy' | 'selfOrientation'; label: string; help: string }[] = [
  { key: 'credibility', label: 'Credibility', help: 'vetting standing, setbacks and refunds' },
  { key: 'reliability', label: 'Reliability', help: 'offers accepted, expiries, on-time delivery, cancellations' },
  { key: 'intimacy', label: 'Intimacy', help: 'tenure, repeat business and breadth' },
  { key: 'selfOrientation', label: 'Self-orientation', help: "the hub's take against the network's norm, and fee rises: lower is better" },
];

export function HealthPanel({ memberId, currency, canSetBaseline }: { memberId: string; currency: string; canSetBaseline: boolean }) {
  const q = useQuery(RelationshipHealthQuery, { memberId });
  return (
    <QueryView state={q} label="Loading relationship health…">
      {({ relationshipHealth: h }) => <HealthView health={h} currency={currency} canSetBaseline={canSetBaseline} memberId={memberId} onChange={q.refetch} />}
    </QueryView>
  );
}

function HealthView({
  health: h,
  currency,
  canSetBaseline,
  memberId,
  onChange,
}: {
  health: Health;
  currency: string;
  canSetBaseline: boolean;
  memberId: string;
  onChange: () => Promise<void>;
}) {
  return (
    <>
      <Section title="Relationship health" id="health">
        <p className={`health-score${h.atRisk ? ' at-risk' : ''}`}>
          <strong data-testid="health-score">{Math.round(h.score)}</strong> / 100{' '}
          {h.atRisk ? <span className="badge at-risk">At risk</span> : <span className="badge healthy">Healthy</span>}
        </p>
        <p className="muted">
          Over the last {h.windowDays} days, computed {dateTimeWords(h.computedAt)}. Trust = (credibility + reliability + intimacy) / self-orientation ={' '}
          <strong>{h.trust.toFixed(2)}</strong>.
        </p>
        <ul className="parts">
          {PARTS.map((p) => (
            <li key={p.key}>
              <span className="part-label" id={`part-${p.key}`}>
                {p.label} <span className="muted">({p.help})</span>
              </span>
              <meter min={1} max={10} low={4} high={7} optimum={p.key === 'selfOrientation' ? 1 : 10} value={h[p.key]} aria-labelledby={`part-${p.key}`} />
              <span className="part-value">{h[p.key].toFixed(1)} / 10</span>
            </li>
          ))}
        </ul>
        <h3>Signals</h3>
        {h.signals.length === 0 ? (
          <p className="muted">Nothing to report.</p>
        ) : (
          <ul className="signals">
            {h.signals.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        )}
        <dl className="totals">
          <Fact term="Value to the member">
            <MoneyText value={h.valueToMember} />
          </Fact>
          <Fact term="Value to the hub">
            <MoneyText value={h.valueToHub} />
          </Fact>
          <Fact term="Hub's take">
            {ratioWords(h.measures.takeRate)} <span className="muted">(network: {ratioWords(h.measures.networkTakeRate)})</span>
          </Fact>
        </dl>
      </Section>
      <Section title="Acquisition cost" id="acquisition">
        <dl className="totals">
          <div>
            <dt>Cost per order through the hub</dt>
            <dd data-testid="acquisition-cost">
              <MoneyText value={h.acquisitionCostPerOrder} />
            </dd>
          </div>
          <div>
            <dt>Declared baseline elsewhere</dt>
            <dd data-testid="acquisition-baseline">
              <MoneyText value={h.acquisitionBaseline} />
            </dd>
          </div>
        </dl>
        <p>{acquisitionWords(h.acquisitionCostPerOrder, h.acquisitionBaseline)}</p>
        {canSetBaseline ? <BaselineForm memberId={memberId} currency={h.acquisitionBaseline?.currency ?? currency} onChange={onChange} /> : null}
      </Section>
    </>
  );
}

function BaselineForm({ memberId, currency, onChange }: { memberId: string; currency: string; onChange: () => Promise<void> }) {
  const [amount, setAmount] = useState('');
  const [set, m] = useMutation(SetAcquisitionBaselineMutation);
  const [done, setDone] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone('');
    if (await set({ memberId, amount: { amount: amount.trim(), currency } })) {
      setDone('Baseline saved.');
      setAmount('');
      await onChange();
    }
  }
  return (
    <form onSubmit={submit} className="inline">
      <Field label={`What winning a customer costs elsewhere (${currency})`}>
        {(p) => <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="100.00" required />}
      </Field>
      <button type="submit" disabled={m.running || !amount.trim()}>
        Save baseline
      </button>
      <ErrorNote error={m.error} />
      <Done>{done}</Done>
    </form>
  );
}
