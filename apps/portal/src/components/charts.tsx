import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AcquisitionMonth } from '../lib/routing-summary';
import type { WeekTotals } from '../lib/weekly';

/*
 * Charts load in their own chunk (recharts is most of the bundle). Each chart
 * is decorative for screen readers: the page shows the same figures in a table.
 * Hidden from them, it must hold nothing focusable: recharts' keyboard layer is off.
 */

const INK = '#1f2933';
const colors = { earned: '#155e75', fees: '#b45309', net: '#15803d', joined: '#155e75', lost: '#b91c1c', retention: '#6d28d9' };

export function EarningsChart({ weeks, currency }: { weeks: WeekTotals[]; currency: string }) {
  const data = weeks.map((w) => ({ week: w.week, ...w.plot }));
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe1" />
          <XAxis dataKey="week" tick={{ fill: INK, fontSize: 12 }} />
          <YAxis tick={{ fill: INK, fontSize: 12 }} width={64} />
          <Tooltip formatter={(v) => `${v} ${currency}`} labelFormatter={(l) => `Week of ${l}`} />
          <Legend />
          <Bar maxBarSize={56} dataKey="earned" name="Earned business" fill={colors.earned} />
          <Bar maxBarSize={56} dataKey="fees" name="Fees paid" fill={colors.fees} />
          <Line dataKey="net" name="Net" stroke={colors.net} strokeWidth={2} type="monotone" />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function AcquisitionChart({ months }: { months: AcquisitionMonth[] }) {
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={months} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d5dbe1" />
          <XAxis dataKey="month" tick={{ fill: INK, fontSize: 12 }} />
          <YAxis yAxisId="members" allowDecimals={false} tick={{ fill: INK, fontSize: 12 }} width={40} />
          <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} unit=" %" tick={{ fill: INK, fontSize: 12 }} width={52} />
          <Tooltip />
          <Legend />
          <Bar maxBarSize={40} yAxisId="members" dataKey="joined" name="Joined, by role (acquisition)" fill={colors.joined} />
          <Bar maxBarSize={40} yAxisId="members" dataKey="lost" name="Lost, by role" fill={colors.lost} />
          <Line yAxisId="pct" dataKey="retainedPct" name="Cohort retained %" stroke={colors.retention} strokeWidth={2} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
