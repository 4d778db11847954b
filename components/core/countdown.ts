/**
 * @packageDocumentation
 * `CountdownController`: counts down to a deadline and re-renders its host while it does, for
 * the waits the server sets (a resend cooldown, a lock after wrong codes, a `Retry-After`);
 * and {@link formatWait}, which says how long is left the way a person would.
 *
 * @example
 * ```ts
 * class AbResend extends LitElement {
 *   #resend = new CountdownController(this, { onEnd: () => this.announce('Ready') });
 *
 *   async send() {
 *     const sent = await sendChallenge(this.api, 'sms');
 *     this.#resend.untilMs = Date.parse(sent.resendAvailableAt);
 *   }
 *
 *   render() {
 *     const seconds = this.#resend.seconds;
 *     return html`<button ?disabled=${seconds > 0}>Send</button>
 *       ${seconds > 0 ? formatWait(seconds, localeOf(this)) : nothing}`;
 *   }
 * }
 * ```
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatRelativeTime } from './format.ts';

/** How often a running countdown re-renders its host; under a second, so no number is skipped. */
export const countdownTickMs = 500;

/** Waits of this many seconds or more read in minutes (rounded up); shorter ones in seconds. */
export const waitInMinutesFromSeconds = 120;

/** Options of a {@link CountdownController}. */
export interface CountdownOptions {
  /** Called once when a running countdown reaches its deadline; not when it is stopped. */
  onEnd?: () => void;
  /** The clock, in epoch milliseconds; `Date.now` unless replaced (by a test, say). */
  now?: () => number;
  /** How often the host re-renders while the countdown runs; {@link countdownTickMs} by default. */
  tickMs?: number;
}

/**
 * Counts down to {@link CountdownController.untilMs} and re-renders its host while it runs, on
 * a timer that runs only then: while the deadline is ahead and the host is connected.
 *
 * {@link CountdownController.seconds} reads the clock as it was at the last tick, so one render
 * shows one consistent number.
 */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #onEnd: (() => void) | undefined;
  readonly #now: () => number;
  readonly #tickMs: number;
  #untilMs = 0;
  #nowMs: number;
  #connected = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param host the element that shows the countdown
   * @param options what to do at the end, and the clock and tick to use
   */
  constructor(host: ReactiveControllerHost, options: CountdownOptions = {}) {
    this.#host = host;
    this.#onEnd = options.onEnd;
    this.#now = options.now ?? Date.now;
    this.#tickMs = options.tickMs ?? countdownTickMs;
    this.#nowMs = this.#now();
    host.addController(this);
  }

  /**
   * When the countdown ends, in epoch milliseconds; 0 when none runs. Setting it starts the
   * countdown (or stops it, for 0 or a time that has passed) without calling `onEnd`.
   */
  get untilMs(): number {
    return this.#untilMs;
  }

  set untilMs(untilMs: number) {
    // An unreadable date (`Date.parse` of a bad string) is no deadline at all.
    this.#untilMs = Number.isFinite(untilMs) ? untilMs : 0;
    this.#nowMs = this.#now();
    this.#host.requestUpdate();
    this.#schedule();
  }

  /** Whole seconds left, rounded up; 0 once the deadline has passed or when there is none. */
  get seconds(): number {
    return Math.max(0, Math.ceil((this.#untilMs - this.#nowMs) / 1000));
  }

  /** Whether the deadline is still ahead. */
  get running(): boolean {
    return this.#untilMs > this.#nowMs;
  }

  /** Resumes the timer when the host is back in a document and time is left. */
  hostConnected(): void {
    this.#connected = true;
    this.#schedule();
  }

  /** Stops the timer while the host is out of the document. */
  hostDisconnected(): void {
    this.#connected = false;
    this.#schedule();
  }

  /** Runs the timer exactly while there is something to count and someone to show it. */
  #schedule(): void {
    const wanted = this.#connected && this.running;
    if (wanted && this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    } else if (!wanted && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #tick(): void {
    this.#nowMs = this.#now();
    this.#host.requestUpdate();
    if (this.running) return;
    this.#untilMs = 0;
    this.#schedule();
    this.#onEnd?.();
  }
}

/** `in 42 seconds`, `in 15 minutes`: how long a wait has left, in `locale`. */
export function formatWait(seconds: number, locale: string | undefined): string {
  const always = { numeric: 'always' } as const;
  if (seconds < waitInMinutesFromSeconds) {
    return formatRelativeTime(seconds, 'second', always, locale);
  }
  return formatRelativeTime(Math.ceil(seconds / 60), 'minute', always, locale);
}
