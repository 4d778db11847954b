/**
 * @packageDocumentation
 * `ApiClient`: how elements call the ab-elements server. JSON in and out, the session cookie
 * sent along (`credentials: 'include'`, so elements work on another site's pages too), and every
 * failure turned into a typed error: {@link ProblemError} for an error answer,
 * {@link NetworkError} for no answer.
 *
 * The base URL is the element's `api-base` attribute (see `api-base.ts`) or the page-wide
 * default, same-origin `/api`, which {@link setDefaultApiBase} changes.
 *
 * @example
 * ```ts
 * const api = new ApiClient();                       // base: the default, '/api'
 * const { user } = await api.post<Session>('/auth/login', { username, password });
 * ```
 */
import { NetworkError, problemFromResponse } from './api-errors.ts';

export {
  NetworkError,
  ProblemError,
  type FieldProblem,
  type ProblemDetails,
} from './api-errors.ts';

/** The default base URL: the API of the page's own origin. */
export const sameOriginApiBase = '/api';

let defaultApiBase = sameOriginApiBase;

/**
 * Sets the base URL every element without an `api-base` attribute uses from now on, e.g.
 * `https://wallet.example.com/api` when the elements live on another site.
 */
export function setDefaultApiBase(base: string): void {
  const trimmed = base.trim();
  if (trimmed === '') throw new TypeError('The default API base must not be empty.');
  defaultApiBase = trimmed;
}

/** The base URL elements without an `api-base` attribute use. */
export function getDefaultApiBase(): string {
  return defaultApiBase;
}

/** Query parameters; `undefined` and `null` entries are left out. */
export type QueryParameters = Record<string, string | number | boolean | null | undefined>;

/** Options of one request. */
export interface ApiRequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: HeadersInit;
  /** Appended to the URL as `?name=value&...`. */
  query?: QueryParameters;
  /** Cancels the request; the promise then rejects with the signal's `AbortError`. */
  signal?: AbortSignal;
}

/** Options of an {@link ApiClient}. */
export interface ApiClientOptions {
  /** Base URL of the API; the page-wide default (`/api`) when left out. */
  baseUrl?: string;
  /** The `fetch` to use; the global one when left out. */
  fetch?: typeof fetch;
}

/** Calls the ab-elements API. One instance per base URL; it holds no other state. */
export class ApiClient {
  /** Base URL every path is appended to, without a trailing slash. */
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? defaultApiBase).replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** `GET path`. */
  get<T>(path: string, options: Omit<ApiRequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /** `POST path` with `body` as JSON. */
  post<T>(path: string, body?: unknown, options: ApiRequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  /** `PUT path` with `body` as JSON. */
  put<T>(path: string, body?: unknown, options: ApiRequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  /** `PATCH path` with `body` as JSON. */
  patch<T>(path: string, body?: unknown, options: ApiRequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  /** `DELETE path`. */
  delete<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Sends one request and reads the JSON answer. A 204 (or any empty body) resolves to
   * `undefined`.
   *
   * The answer is typed by the caller, not checked: the server's schemas are the contract.
   *
   * @throws {@link ProblemError} for any non-2xx answer
   * @throws {@link NetworkError} when no answer arrived
   */
  async request<T>(method: string, path: string, options: ApiRequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const headers = new Headers(options.headers);
    headers.set('Accept', 'application/json, application/problem+json');
    const hasBody = options.body !== undefined;
    if (hasBody) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: hasBody ? JSON.stringify(options.body) : undefined,
        credentials: 'include',
        signal: options.signal,
      });
    } catch (error) {
      // A cancelled request is the caller's doing, not a network failure: pass it through.
      if (options.signal?.aborted) throw error;
      throw new NetworkError(url, error);
    }
    if (!response.ok) throw await problemFromResponse(response);
    const text = await response.text();
    // An empty body (204, or 200 with nothing) has no JSON to parse.
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The full URL of `path` (with or without a leading slash) and `query`. */
  url(path: string, query: QueryParameters = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) search.append(name, String(value));
    }
    const queryText = search.toString() === '' ? '' : `?${search}`;
    return `${this.baseUrl}/${path.replace(/^\/+/, '')}${queryText}`;
  }
}
