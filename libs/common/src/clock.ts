/**
 * Where business time comes from: when an order was placed, offered, accepted,
 * fulfilled or refunded, when a member joined, a term changed, feedback was
 * given, and the windows health and disputes measure back from "now". One port:
 * production wires it to real time (SystemClock); `TANDEM_SIMULATED_CLOCK=true`
 * wires a SimulatedClock that the demo moves forward through the database
 * (libs/persistence/src/simulated-clock.ts). Infrastructure time
 * (outbox, queue delays, webhook attempts, key use, rate limits) stays real.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** Real time. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * Real time shifted by an offset: simulated time flows at the real rate between
 * jumps, so offer timeouts and queue delays (real) still line up with it, and
 * events of one simulated day keep their order.
 */
export class SimulatedClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on, it is `at` (plus the real time that passes). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  /** Follows a clock kept elsewhere: the simulated time `at` was real time `realAt`. */
  follow(at: Date, realAt: Date): void {
    this.offsetMs = at.getTime() - realAt.getTime();
  }
}

/** The clock the settings ask for (`TANDEM_SIMULATED_CLOCK`). */
export function clockFor(config: { simulatedClock?: boolean }): Clock {
  return config.simulatedClock ? new SimulatedClock() : new SystemClock();
}
