export {
  type Money,
  type ParseAmountOptions,
  type ParseMoneyOptions,
  MAX_AMOUNT_MINOR,
  isWithinMaximum,
  normalizeCurrency,
  currencyExponent,
  parseAmount,
  parseMoney,
  formatAmount,
  toMoneyOutput,
  money,
  bpsOf,
  allocate,
  sumMinor,
} from './money';
export { MoneyObject } from './money.object';
export { MoneyInput } from './money.input';
