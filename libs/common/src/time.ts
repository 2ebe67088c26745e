/** Lengths of time in milliseconds, the unit of Date arithmetic and of BullMQ's delays. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A day in seconds, the unit of PostgreSQL's epoch arithmetic and of BullMQ's job retention ages. */
export const DAY_SECONDS = DAY_MS / SECOND_MS;
