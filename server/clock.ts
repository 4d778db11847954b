/**
 * @module
 * Time as the server sees it. Services read the clock from the context, never `Date.now()`,
 * so tests can move time (code expiry, lockouts, recurring postings) without patching modules.
 */

/** A source of the current time. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and benchmarks. */
export class ManualClock implements Clock {
  private instantMs: number;

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.instantMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.instantMs);
  }

  /** Moves the clock forward by `durationMs`. */
  advance(durationMs: number): void {
    this.instantMs += durationMs;
  }

  /** Sets the clock to `instant`. */
  set(instant: Date | string): void {
    this.instantMs = new Date(instant).getTime();
  }
}
