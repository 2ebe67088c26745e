/**
 * A score's trend as a small line (0 to 100, oldest on the left). It carries
 * its meaning in words too (role="img" with a label), so it is no chart a
 * screen reader has to guess at.
 */
export function Sparkline({ scores, width = 96, height = 24 }: { scores: readonly number[]; width?: number; height?: number }) {
  if (scores.length < 2) return <span className="sparkline-none muted">{scores.length === 1 ? 'one snapshot' : 'none yet'}</span>;
  const step = width / (scores.length - 1);
  const y = (s: number) => height - 1 - (Math.min(100, Math.max(0, s)) / 100) * (height - 2);
  const points = scores.map((s, i) => `${(i * step).toFixed(1)},${y(s).toFixed(1)}`).join(' ');
  const from = Math.round(scores[0]);
  const to = Math.round(scores[scores.length - 1]);
  const direction = to > from ? 'rising' : to < from ? 'falling' : 'steady';
  const last = scores.length - 1;
  return (
    <svg
      className={`sparkline sparkline-${direction}`}
      role="img"
      aria-label={`Score ${direction}, ${from} to ${to} over ${scores.length} snapshots`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <polyline points={points} fill="none" strokeWidth="1.5" />
      <circle cx={(last * step).toFixed(1)} cy={y(scores[last]).toFixed(1)} r="2" />
    </svg>
  );
}
