/**
 * @packageDocumentation
 * Validation rules beyond the native constraints, for every form control: the `validators`
 * property (functions, synchronous or asynchronous) and the `validate-url` attribute (a check
 * on the server). {@link ValidationRules} runs them for one control; `FormControlMixin` owns one
 * per control and turns its answer into a `customError`.
 *
 * The rules, in order:
 *
 * 1. They run only for a value the control would submit and that passes its built-in
 *    constraints (`required`, `pattern`, lengths, ranges, the type's format): an empty value is
 *    `required`'s business, and a value already known to be wrong needs no server round trip.
 * 2. Every validator is called, in array order, on each change of the value. The first one that
 *    answers a message wins; an asynchronous one is awaited before the ones after it count.
 * 3. When every validator accepted the value, `validate-url` asks the server, once the value has
 *    rested for {@link validationDebounceMs}: `GET {url}?value=...&name=...` through an
 *    `ApiClient`. GET, because the check changes nothing on the server and any origin the API
 *    allows may send it without CSRF concerns; the value travels in the query string, so never
 *    point `validate-url` at a secret (a password field).
 * 4. The server answers `200 {"valid": true}` or `200 {"valid": false, "message": "..."}`, or a
 *    `422` problem whose `detail` is the message. Any other failure (no answer, a 5xx) accepts
 *    the value: the server validates the submitted form again, and a broken checker must not
 *    lock users out.
 * 5. A newer value cancels the run for the older one: its timers stop, its request is aborted
 *    and a late answer is dropped, so a stale answer never decides the validity.
 * 6. While a run is pending, the control is `validating` and counts as invalid, so a form cannot
 *    be submitted on a value nobody has checked yet. A submit attempt during the debounce sends
 *    the request at once instead of waiting for the rest of the pause.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from './api-client.ts';

/** A validator's verdict: a message saying what is wrong, or `null` when the value is fine. */
export type ValidatorResult = string | null;

/**
 * A validation rule: gets the value, the control and a signal that aborts when the value has
 * changed again (pass it to `fetch`), and returns `null` to accept or a message to refuse.
 *
 * @example
 * ```ts
 * field.validators = [
 *   (value) => (value.includes(' ') ? 'No spaces, please.' : null),
 *   async (value, _control, signal) => ((await isTaken(value, signal)) ? 'Taken.' : null),
 * ];
 * ```
 */
export type Validator = (
  value: string,
  control: HTMLElement,
  signal: AbortSignal,
) => ValidatorResult | Promise<ValidatorResult>;

/** How long a value must rest before `validate-url` asks the server, in milliseconds. */
export const validationDebounceMs = 300;

/** The most validators one control runs; any after these are ignored, with a warning. */
export const validatorsMax = 16;

/** The body of a `200` answer from a `validate-url` endpoint. */
export interface ValidationAnswer {
  /** Whether the server accepts the value. */
  valid: boolean;
  /** Why not, written for the user; the control's generic message when left out. */
  message?: string | null;
}

/** What one run of the rules looks at. */
export interface RuleInput {
  /** The value to check, or `null` when no rule applies to the control right now. */
  value: string | null;
  /** The control's validators, in order. */
  validators: readonly Validator[];
  /** The `validate-url` path under the API base; `''` for none. */
  url: string;
  /** The control's `name`, sent along so one endpoint can check several fields. */
  name: string;
  /** The client for `url`; a new one for `apiBase` (or the page default) when left out. */
  api: ApiClient | undefined;
  /** The API base the default client uses; `''` for the page-wide default. */
  apiBase: string;
  /** The message for a refusal that came without one. */
  rejectedMessage: string;
}

/** A pause that a submit attempt can cut short, and a newer value can cancel. */
interface Pause {
  done: Promise<void>;
  end(): void;
}

/** Runs a control's validators and `validate-url`, keeping only the newest value's answer. */
export class ValidationRules implements ReactiveController {
  /** Whether an answer for the current value is still outstanding. */
  pending = false;
  /** The current value's refusal, `''` when accepted (or while pending). */
  message = '';

  readonly #host: ReactiveControllerHost & HTMLElement;
  #input: RuleInput | undefined;
  /** Increases with every run; an answer from an older run is dropped. */
  #run = 0;
  #abort: AbortController | undefined;
  #pause: Pause | undefined;

  /** @param host the control; it is asked to update whenever an answer arrives */
  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    // Back on the page after a disconnect: the host's next update starts a fresh run.
    if (!this.#input) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    // Nothing may answer for a control that left the page; it checks again when it returns.
    this.#cancel();
    this.#input = undefined;
    this.pending = false;
  }

  /**
   * Starts a run for `input` unless it is the one already running or answered. Synchronous
   * validators have answered when this returns; otherwise `pending` is set.
   */
  update(input: RuleInput): void {
    if (this.#input && sameInput(this.#input, input)) return;
    this.#input = input;
    this.#cancel();
    const run = ++this.#run;
    this.message = '';
    this.pending = false;
    const { value } = input;
    if (value === null || (input.validators.length === 0 && input.url === '')) return;
    if (input.validators.length > validatorsMax) {
      console.warn(`ab-elements: only the first ${validatorsMax} validators run.`);
    }
    const abort = new AbortController();
    this.#abort = abort;
    const results = input.validators
      .slice(0, validatorsMax)
      .map((validator) => callValidator(validator, value, this.#host, abort.signal));
    // Answer at once as far as the synchronous validators go: most rules never wait.
    let index = 0;
    for (; index < results.length; index += 1) {
      const result = results[index];
      if (result instanceof Promise) break;
      if (result) {
        this.message = result;
        abort.abort();
        return;
      }
    }
    if (index === results.length && input.url === '') return;
    this.pending = true;
    void this.#finish(run, results.slice(index), input, abort.signal);
  }

  /** Ends a debounce pause now, so a submit attempt does not wait for the user to rest. */
  flush(): void {
    this.#pause?.end();
  }

  async #finish(
    run: number,
    rest: ReadonlyArray<ValidatorResult | Promise<ValidatorResult>>,
    input: RuleInput,
    signal: AbortSignal,
  ): Promise<void> {
    for (const result of rest) {
      const message = await settleSafely(result);
      if (run !== this.#run) return;
      if (message) return this.#answer(run, message);
    }
    if (input.url === '' || input.value === null) return this.#answer(run, '');
    const pause = startPause(validationDebounceMs);
    this.#pause = pause;
    await pause.done;
    if (run !== this.#run) return;
    this.#pause = undefined;
    try {
      this.#answer(run, await askServer(input, input.value, signal));
    } catch (error) {
      // Only an abort gets here: the value changed and a newer run owns the answer.
      if (!signal.aborted) throw error;
    }
  }

  #answer(run: number, message: string): void {
    if (run !== this.#run) return;
    this.message = message;
    this.pending = false;
    this.#abort = undefined;
    this.#host.requestUpdate();
  }

  #cancel(): void {
    this.#run += 1;
    this.#abort?.abort();
    this.#abort = undefined;
    this.#pause?.end();
    this.#pause = undefined;
  }
}

function sameInput(a: RuleInput, b: RuleInput): boolean {
  return (
    a.value === b.value &&
    a.validators === b.validators &&
    a.url === b.url &&
    a.name === b.name &&
    a.api === b.api &&
    a.apiBase === b.apiBase
  );
}

/**
 * A validator's answer. One that throws is a bug in the page: reported, and not held against
 * the user.
 */
function callValidator(
  validator: Validator,
  value: string,
  control: HTMLElement,
  signal: AbortSignal,
): ValidatorResult | Promise<ValidatorResult> {
  try {
    const result = validator(value, control, signal);
    return result instanceof Promise ? result : result || null;
  } catch (error) {
    console.error('ab-elements: a validator threw; the value is accepted.', error);
    return null;
  }
}

async function settleSafely(result: ValidatorResult | Promise<ValidatorResult>) {
  try {
    return (await result) || null;
  } catch (error) {
    console.error('ab-elements: a validator failed; the value is accepted.', error);
    return null;
  }
}

function startPause(durationMs: number): Pause {
  let end: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationMs);
    end = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, end };
}

/**
 * Asks the `validate-url` endpoint about `value`: the refusal's message, or `''` when the server
 * accepts it or cannot answer. Rejects only when `signal` aborted.
 */
async function askServer(input: RuleInput, value: string, signal: AbortSignal): Promise<string> {
  // The client loads only for controls that use `validate-url`, so the others stay small.
  const { ApiClient, ProblemError } = await import('./api-client.ts');
  const api = input.api ?? new ApiClient(input.apiBase ? { baseUrl: input.apiBase } : {});
  const queryStart = input.url.indexOf('?');
  const path = queryStart < 0 ? input.url : input.url.slice(0, queryStart);
  const query: Record<string, string> = Object.fromEntries(
    new URLSearchParams(queryStart < 0 ? '' : input.url.slice(queryStart + 1)),
  );
  query.value = value;
  if (input.name !== '') query.name = input.name;
  try {
    const answer = await api.get<ValidationAnswer | undefined>(path, { query, signal });
    if (answer?.valid !== false) return '';
    return answer.message || input.rejectedMessage;
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof ProblemError && error.status === 422) {
      return error.detail || error.errors[0]?.message || input.rejectedMessage;
    }
    return '';
  }
}
