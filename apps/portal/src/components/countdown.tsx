import { useNow } from '../hooks/use-now';
import { formatRemaining, spokenRemaining } from '../lib/countdown';
import { dateTimeWords } from '../lib/words';

/** Time left on an offer, ticking each second; the spoken form is in the label, not announced every tick. */
export function Countdown({ until }: { until: string }) {
  const now = useNow(1000);
  const left = Date.parse(until) - now;
  const urgent = left > 0 && left < 60_000;
  return (
    <span
      className={`countdown${left <= 0 ? ' expired' : urgent ? ' urgent' : ''}`}
      role="timer"
      aria-label={`${spokenRemaining(left)}, expires ${dateTimeWords(until)}`}
      title={`Expires ${dateTimeWords(until)}`}
    >
      {left > 0 ? `${formatRemaining(left)} left` : 'Expired'}
    </span>
  );
}
