import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; money must never pass through a JS number. */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

/** The one way to declare a bigint (minor units) column. */
export function BigIntColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): PropertyDecorator {
  return Column({ ...options, type: 'bigint', transformer: bigintTransformer });
}
