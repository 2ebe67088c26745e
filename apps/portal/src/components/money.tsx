import { formatMoney, toMinor, type MoneyValue } from '../lib/money';

export function MoneyText({ value, signed }: { value: MoneyValue | null | undefined; signed?: boolean }) {
  if (!value) return <span className="money">—</span>;
  const negative = toMinor(value.amount).minor < 0n;
  const positive = toMinor(value.amount).minor > 0n;
  return (
    <span className={`money${signed && negative ? ' negative' : ''}`}>
      {signed && positive ? '+' : ''}
      {formatMoney(value)}
    </span>
  );
}
