import { DAY_MS } from '@tandem/common';

/** Feedback may be left, and a dispute opened, for this long after the order's fulfilment (libs/disputes/README.md, "Rules"). */
export const AFTER_FULFILMENT_WINDOW_MS = 30 * DAY_MS;

/** Whether `now` is within the window after the fulfilment (an order never fulfilled is outside it). */
export function withinWindow(fulfilledAt: Date | null, now: Date): boolean {
  return fulfilledAt !== null && now.getTime() <= fulfilledAt.getTime() + AFTER_FULFILMENT_WINDOW_MS;
}

/** Reasons, responses, notes and comments: at most this many code points. */
export const MAX_TEXT = 2000;
