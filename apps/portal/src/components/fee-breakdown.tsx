import type { MoneyValue } from '../lib/money';
import { MoneyText } from './money';

export interface Fees {
  price: MoneyValue;
  clientFee: MoneyValue;
  supplierFee: MoneyValue;
  clientPays: MoneyValue;
  supplierReceives: MoneyValue;
  hubNet: MoneyValue;
  partnerShares: readonly { partner: { id: string; name: string }; referred: { id: string; name: string }; amount: MoneyValue }[];
}

/** How one order's money was split (docs/api.md's worked example), every line exact. */
export function FeeBreakdown({ fees, caption = 'Fee breakdown' }: { fees: Fees | null | undefined; caption?: string }) {
  if (!fees) return <p className="muted">Fees are fixed when the supplier accepts.</p>;
  return (
    <table className="fees">
      <caption>{caption}</caption>
      <tbody>
        <tr>
          <th scope="row">Price</th>
          <td>
            <MoneyText value={fees.price} />
          </td>
        </tr>
        <tr>
          <th scope="row">Client fee</th>
          <td>
            <MoneyText value={fees.clientFee} />
          </td>
        </tr>
        <tr>
          <th scope="row">Supplier fee</th>
          <td>
            <MoneyText value={fees.supplierFee} />
          </td>
        </tr>
        <tr className="total">
          <th scope="row">Client pays</th>
          <td>
            <MoneyText value={fees.clientPays} />
          </td>
        </tr>
        <tr className="total">
          <th scope="row">Supplier receives</th>
          <td>
            <MoneyText value={fees.supplierReceives} />
          </td>
        </tr>
        {fees.partnerShares.map((s) => (
          <tr key={`${s.partner.id}-${s.referred.id}`}>
            <th scope="row">
              Share to {s.partner.name} <span className="muted">(referred {s.referred.name})</span>
            </th>
            <td>
              <MoneyText value={s.amount} />
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">Hub keeps</th>
          <td>
            <MoneyText value={fees.hubNet} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}
