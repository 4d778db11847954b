/**
 * @module
 * RFC 9457 problem details: the one shape of every 4xx and 5xx body the API sends.
 *
 * Services throw {@link ProblemError} for operating errors a user can act on (a wrong code,
 * insufficient funds); `app.ts` turns it, a zod error or anything unexpected into
 * `application/problem+json` in exactly one place. Unexpected errors become a bare 500 whose
 * body says nothing about the server's insides.
 */

/** The media type of every error body. */
export const problemContentType = 'application/problem+json';

/** Where problem types live; a type is this prefix plus a slug, e.g. `/api/problems/not-found`. */
export const problemTypePrefix = '/api/problems/';

/** One invalid field of a request. */
export interface FieldError {
  /** Dotted path into the request, e.g. `body.amount` or `query.limit`. */
  path: string;
  /** What is wrong, written for the person who sent it. */
  message: string;
}

/** The JSON body of a problem response. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An operating error that the API reports as problem+json with `status`. */
export class ProblemError extends Error {
  /** The problem type slug, e.g. `invalid-code`; the body's `type` ends with it. */
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  /** Extra members of the body (`attemptsLeft`, `errors`, ...). */
  readonly extensions: Record<string, unknown>;
  /** Response headers to add, e.g. `Retry-After`. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** The body this error is sent as. */
  toBody(instance?: string): ProblemBody {
    return {
      type: problemTypePrefix + this.slug,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

/** 400 with one entry per invalid field. */
export function validationProblem(errors: FieldError[], detail?: string): ProblemError {
  return new ProblemError(400, 'validation', 'The request is not valid.', detail ?? describe(errors), {
    extensions: { errors },
  });
}

function describe(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'The request is not valid.';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.path ? `${first.path}: ` : ''}${first.message}${more}`;
}

/** 404 for a thing that does not exist, or that the caller may not know exists. */
export function notFoundProblem(detail = 'There is nothing here.'): ProblemError {
  return new ProblemError(404, 'not-found', 'Not found.', detail);
}

/** 401 for a request that needs a session. */
export function unauthenticatedProblem(detail = 'Sign in first.'): ProblemError {
  return new ProblemError(401, 'unauthenticated', 'Authentication required.', detail);
}

/** 403 for a request the session may not make. */
export function forbiddenProblem(detail = 'You may not do this.'): ProblemError {
  return new ProblemError(403, 'forbidden', 'Forbidden.', detail);
}

/** 429 with `Retry-After` in whole seconds (at least 1). */
export function tooManyRequestsProblem(retryAfterMs: number, detail: string): ProblemError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ProblemError(429, 'too-many-requests', 'Too many attempts.', detail, {
    extensions: { retryAfter: retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
