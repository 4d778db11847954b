/**
 * @packageDocumentation
 * `SuggestionsController`: asks a source for suggestions while the user types, without flooding
 * it and without ever showing an old answer for a newer query.
 *
 * - Debounced: a query is sent only once the user has paused for `debounceMs`.
 * - Stale answers dropped: every new query aborts the request still in flight (its
 *   `AbortSignal`) and, for a source that ignores the signal, its answer is discarded anyway.
 * - Torn down with its host: a disconnected element sends nothing more.
 *
 * The source is a function, so a test (or an app with its own transport) can inject one;
 * {@link suggestionsFromUrl} is the usual one: `GET {url}?q={query}` with the user's cookies.
 *
 * @example
 * ```ts
 * class AbCitySearch extends LitElement {
 *   #suggestions = new SuggestionsController(this, {
 *     source: () => suggestionsFromUrl('/api/cities'),
 *     onResults: (cities) => { this.cities = cities; },
 *   });
 *   #handleInput(event: InputEvent) {
 *     this.#suggestions.request((event.target as HTMLInputElement).value);
 *   }
 * }
 * ```
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Answers a query with suggestions. It should stop when `signal` aborts; its answer is ignored
 * then either way.
 */
export type SuggestionsSource = (query: string, signal: AbortSignal) => Promise<string[]>;

/** How long the user must pause typing before a query is sent, by default. */
export const suggestionsDebounceMsDefault = 250;

/** The most suggestions kept from one answer; a larger answer is cut, not trusted. */
export const suggestionsAnswerMax = 100;

/** Options of a {@link SuggestionsController}. */
export interface SuggestionsControllerOptions {
  /**
   * The source to ask, read when a query is sent (so it follows the element's properties);
   * `undefined` means there is none and nothing is sent.
   */
  source: () => SuggestionsSource | undefined;
  /** Wait after the last `request()` before asking; {@link suggestionsDebounceMsDefault}. */
  debounceMs?: number;
  /** Receives the answer to the latest query, at most {@link suggestionsAnswerMax} entries. */
  onResults(results: string[], query: string): void;
  /** Receives the failure of the latest query (never an abort). */
  onError?(error: unknown, query: string): void;
}

/** Debounces queries to a suggestions source and keeps only the answer to the latest one. */
export class SuggestionsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: SuggestionsControllerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: AbortController | undefined;
  /** Counts queries; an answer counts only while its query is still the latest. */
  #generation = 0;

  constructor(host: ReactiveControllerHost, options: SuggestionsControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether a query is waiting out the pause or waiting for its answer. */
  get pending(): boolean {
    return this.#timer !== undefined || this.#inFlight !== undefined;
  }

  /** Asks for suggestions for `query` once the user pauses; supersedes every earlier query. */
  request(query: string): void {
    this.cancel();
    const generation = this.#generation;
    const debounceMs = this.#options.debounceMs ?? suggestionsDebounceMsDefault;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#ask(query, generation);
    }, debounceMs);
    this.#host.requestUpdate();
  }

  /** Forgets the waiting query and aborts the one in flight; no answer arrives after this. */
  cancel(): void {
    this.#generation += 1;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#inFlight?.abort();
    this.#inFlight = undefined;
  }

  hostDisconnected(): void {
    this.cancel();
  }

  async #ask(query: string, generation: number): Promise<void> {
    const source = this.#options.source();
    if (!source) return;
    const controller = new AbortController();
    this.#inFlight = controller;
    const isLatest = () => generation === this.#generation && !controller.signal.aborted;
    try {
      const results = await source(query, controller.signal);
      if (!isLatest()) return;
      this.#options.onResults(results.slice(0, suggestionsAnswerMax), query);
    } catch (error) {
      if (!isLatest()) return;
      this.#options.onError?.(error, query);
    } finally {
      if (this.#inFlight === controller) this.#inFlight = undefined;
      this.#host.requestUpdate();
    }
  }
}

/**
 * The usual source: `GET {url}?q={query}` (any `q` already in `url` is replaced), sent with the
 * user's cookies, answered by a JSON array of strings; entries that are not strings are skipped.
 *
 * @throws `ProblemError` for an error answer, `NetworkError` when none arrived (both from
 * `api-errors.ts`, loaded only when a request fails, so elements that never fail stay small)
 */
export function suggestionsFromUrl(url: string): SuggestionsSource {
  return async function fetchSuggestions(query, signal) {
    const target = new URL(url, document.baseURI);
    target.searchParams.set('q', query);
    let response: Response;
    try {
      response = await fetch(target, {
        credentials: 'include',
        headers: { Accept: 'application/json' },
        signal,
      });
    } catch (error) {
      // An abort is the controller's doing, not a network failure.
      if (signal.aborted) throw error;
      const { NetworkError } = await import('./api-errors.ts');
      throw new NetworkError(target.href, error);
    }
    if (!response.ok) {
      const { problemFromResponse } = await import('./api-errors.ts');
      throw await problemFromResponse(response);
    }
    const body: unknown = await response.json();
    if (!Array.isArray(body)) return [];
    return body.filter((entry): entry is string => typeof entry === 'string');
  };
}
