/**
 * @packageDocumentation
 * The two ways an API call fails, as typed errors an element can show in place:
 * {@link ProblemError} when the server answered with an error (an RFC 9457 problem+json body),
 * {@link NetworkError} when no answer arrived at all; and what an element says about either
 * ({@link errorMessage}).
 */

/** One invalid field of a request, as the server's validation problems list them. */
export interface FieldProblem {
  /** Dotted path into the request, e.g. `body.amount`. */
  path: string;
  /** What is wrong, written for the person who sent it. */
  message: string;
}

/** The body of an `application/problem+json` response. */
export interface ProblemDetails {
  /** Identifies the kind of problem; ends with a slug such as `/invalid-code`. */
  type: string;
  /** Short summary of the kind of problem. */
  title: string;
  /** The HTTP status code. */
  status: number;
  /** What went wrong this time, written for the user. */
  detail?: string;
  /** The request path the problem is about. */
  instance?: string;
  /** For validation problems: one entry per invalid field. */
  errors?: FieldProblem[];
  /** Extensions such as `retryAfter`, `attemptsLeft`, `lockedUntil`. */
  [extension: string]: unknown;
}

/** Members of a problem body that are not extensions. */
const standardMembers = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

/** An error answer from the API, with the problem's members typed. */
export class ProblemError extends Error {
  /** Identifies the kind of problem; compare its end with {@link ProblemError.is}. */
  readonly type: string;
  /** Short summary of the kind of problem. */
  readonly title: string;
  /** The HTTP status code. */
  readonly status: number;
  /** What went wrong this time, written for the user, if the server said. */
  readonly detail: string | undefined;
  /** The request path the problem is about, if the server said. */
  readonly instance: string | undefined;
  /** One entry per invalid field; empty unless this is a validation problem. */
  readonly errors: readonly FieldProblem[];
  /** Every non-standard member of the body (`retryAfter`, `attemptsLeft`, ...). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /**
   * How long to wait before trying again, from the `Retry-After` header or the body's
   * `retryAfter`; `undefined` when neither is given.
   */
  readonly retryAfterSeconds: number | undefined;

  /**
   * @param problem the response body
   * @param retryAfterSeconds the parsed `Retry-After` header, which wins over the body's member
   */
  constructor(problem: ProblemDetails, retryAfterSeconds?: number) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.extensions = Object.fromEntries(
      Object.entries(problem).filter(([key]) => !standardMembers.has(key)),
    );
    const fromBody = this.extensions.retryAfter;
    this.retryAfterSeconds =
      retryAfterSeconds ?? (typeof fromBody === 'number' && fromBody >= 0 ? fromBody : undefined);
  }

  /** Attempts left before a lock-out, when the server counts them (wrong MFA codes). */
  get attemptsLeft(): number | undefined {
    const value = this.extensions.attemptsLeft;
    return typeof value === 'number' ? value : undefined;
  }

  /**
   * Whether this is the problem named `slug`: the type's last path segment.
   *
   * @example
   * ```ts
   * if (error instanceof ProblemError && error.is('invalid-code')) ...
   * ```
   */
  is(slug: string): boolean {
    return this.type === slug || this.type.endsWith(`/${slug}`);
  }
}

/** No answer from the server: offline, refused, blocked by CORS, or the URL is wrong. */
export class NetworkError extends Error {
  /** The URL the request went to. */
  readonly url: string;

  constructor(url: string, cause?: unknown) {
    super('Could not reach the server. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
    this.url = url;
  }
}

/** `error` as an `Error`: itself when it is one, else an `Error` with its text. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * What an element's alert says about `error`: the server's `detail` (else its `title`) for a
 * {@link ProblemError}, `network` for a {@link NetworkError}, `unexpected` for anything else.
 * Elements check the problems they word themselves (a 401, a lock) before calling it.
 *
 * @param error the failure to describe
 * @param unexpected what to say about a failure that is neither an answer nor a lost connection
 * @param network what to say when no answer arrived; the error's own message by default
 * @returns the text for the alert
 *
 * @example
 * ```ts
 * if (error.status === 401) return strings.signedOut;
 * return errorMessage(error, strings.unexpectedError, strings.networkError);
 * ```
 */
export function errorMessage(error: Error, unexpected: string, network = error.message): string {
  if (error instanceof ProblemError) return error.detail || error.title;
  if (error instanceof NetworkError) return network;
  return unexpected;
}

/**
 * Reads a failed response as a {@link ProblemError}. A body that is not problem+json (a proxy's
 * HTML error page, say) still becomes one, built from the status line.
 */
export async function problemFromResponse(response: Response): Promise<ProblemError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const fallback: ProblemDetails = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  const contentType = response.headers.get('content-type') ?? '';
  if (!/\bjson\b/.test(contentType)) return new ProblemError(fallback, retryAfterSeconds);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ProblemError(fallback, retryAfterSeconds);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return new ProblemError(fallback, retryAfterSeconds);
  }
  const members = body as Record<string, unknown>;
  const problem: ProblemDetails = {
    ...members,
    type: typeof members.type === 'string' ? members.type : fallback.type,
    title: typeof members.title === 'string' ? members.title : fallback.title,
    status: typeof members.status === 'number' ? members.status : fallback.status,
    detail: typeof members.detail === 'string' ? members.detail : undefined,
    errors: parseFieldProblems(members.errors),
  };
  return new ProblemError(problem, retryAfterSeconds);
}

/**
 * `Retry-After` in whole seconds from now: the header is either a number of seconds or an HTTP
 * date. `undefined` when missing or unreadable.
 */
export function parseRetryAfter(
  header: string | null,
  nowMs: number = Date.now(),
): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

function parseFieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((entry): entry is Record<string, unknown> => {
      return typeof entry === 'object' && entry !== null;
    })
    .map((entry) => ({ path: String(entry.path ?? ''), message: String(entry.message ?? '') }));
}
