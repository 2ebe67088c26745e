import { ValueTransformer } from 'typeorm';

/** Scores and parts are numeric(p, s) columns: pg returns them as strings; they are plain rates, not money. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
