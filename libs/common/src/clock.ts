/**
 * Where business time comes from: when an order was placed, offered, accepted,
 * fulfilled or refunded, when a member joined, a term changed, feedback was
 * given, and the windows health and disputes measure back from "now". One port:
 * production wires it to real time (SystemClock); `TANDEM_SIMULATED_CLOCK=true`
 * wires a SimulatedClock that the demo moves forward through the database
 * (libs/persistence/src/simulated-clock.ts; PersistenceModule provides it). Infrastructure time
 * (outbox, queue delays, webhook attempts, key use, rate limits) stays real.
 */
export abstract class Clock {
  abstract now(): Date;

  /** The real time at which business time `at` comes: what a queue delay (real time) waits for. */
  abstract realTimeOf(at: Date): Date;

  /** The business time at real time `real` (the database's clock_timestamp(), say). */
  abstract businessTimeOf(real: Date): Date;

  /**
   * False for real time: code that lets the database stamp a row (its now() or
   * clock_timestamp()) keeps doing so, and passes this clock's time only when true.
   */
  abstract readonly simulated: boolean;

  /** This clock's time when it is simulated, else null: for `coalesce($n, now())` in SQL. */
  simulatedNow(): Date | null {
    return this.simulated ? this.now() : null;
  }
}

/** Real time. */
export class SystemClock extends Clock {
  readonly simulated = false;

  now(): Date {
    return new Date();
  }

  realTimeOf(at: Date): Date {
    return at;
  }

  businessTimeOf(real: Date): Date {
    return real;
  }
}

/**
 * Real time shifted by an offset: simulated time flows at the real rate between
 * jumps, so offer timeouts and queue delays (real) still line up with it, and
 * events of one simulated day keep their order.
 */
export class SimulatedClock extends Clock {
  readonly simulated = true;
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  realTimeOf(at: Date): Date {
    return new Date(at.getTime() - this.offsetMs);
  }

  businessTimeOf(real: Date): Date {
    return new Date(real.getTime() + this.offsetMs);
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
