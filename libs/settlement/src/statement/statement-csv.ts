import { formatAmount } from '@tandem/money';
import { StatementEntity } from './statement.entity';

export interface StatementCsvLine {
  orderId: string | null;
  line: string;
  amount: bigint;
  postedAt: Date;
}

// OWASP "CSV Injection": a cell starting with = + - @, or with a TAB or CR
// (which spreadsheets skip before reading a formula), gets a quote in front.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell, safe for spreadsheets: a leading = + - @ TAB or CR could start a
 * formula, so it gets a single quote in front (negative amounts too: "'-3.50");
 * cells with a comma, quote or line break are quoted (RFC 4180).
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');

/** The statement as CSV: its figures as field,value rows, a blank line, then the postings it closed. */
export function statementCsv(s: StatementEntity, memberName: string, lines: readonly StatementCsvLine[]): string {
  const money = (minor: bigint) => formatAmount(minor, s.currency);
  const out = [
    row(['field', 'value']),
    row(['statement', s.id]),
    row(['member_id', s.memberId]),
    row(['member', memberName]),
    row(['currency', s.currency]),
    row(['period_start', s.periodStart.toISOString()]),
    row(['period_end', s.periodEnd.toISOString()]),
    row(['status', s.status]),
    row(['orders_as_client', s.ordersAsClient]),
    row(['orders_as_supplier', s.ordersAsSupplier]),
    row(['purchases', money(s.purchasesMinor)]),
    row(['client_fees', money(s.clientFeesMinor)]),
    row(['earned_business', money(s.earnedBusinessMinor)]),
    row(['supplier_fees', money(s.supplierFeesMinor)]),
    row(['partner_shares', money(s.partnerSharesMinor)]),
    row(['net', money(s.netMinor)]),
    '',
    row(['order_id', 'line', 'amount', 'currency', 'posted_at']),
    ...lines.map((l) => row([l.orderId, l.line, money(l.amount), s.currency, l.postedAt.toISOString()])),
  ];
  return out.join('\r\n') + '\r\n';
}
