/**
 * @module
 * CSRF protection: refuses an unsafe request that a browser sent from a page of a foreign
 * origin.
 *
 * The rule, for every method but GET, HEAD and OPTIONS, whatever the content type:
 *  1. `Origin` present: it must be the server's own origin (the scheme and `Host` of the
 *     request, or `PUBLIC_ORIGIN` when set) or one of `ALLOWED_ORIGINS`. `Origin: null`
 *     (sandboxed frames, some redirects) names no origin and is refused.
 *  2. `Origin` absent: `Sec-Fetch-Site` must be `same-origin` or `none` (typed by the user);
 *     `same-site` and `cross-site` are refused, since a sibling subdomain is another origin.
 *  3. Neither header: the request passes. Browsers send at least one of them on unsafe
 *     requests, so this is a non-browser client, which carries no ambient cookies to abuse.
 *
 * Hono's own `csrf()` checks only form-like content types and refuses rule 3, so it does not
 * fit this contract; this middleware keeps its shape.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ProblemError } from './problem.ts';

/** Options of {@link csrf}. */
export interface CsrfOptions {
  /**
   * The server's own origin behind a proxy (`PUBLIC_ORIGIN`); when null, the request's own
   * scheme and `Host`.
   */
  publicOrigin: string | null;
  /** Other origins whose pages may send unsafe requests (`ALLOWED_ORIGINS`). */
  allowedOrigins: readonly string[];
}

/** Methods that change nothing, and so need no CSRF check. */
const isSafeMethodRe = /^(GET|HEAD|OPTIONS)$/;

/** `Sec-Fetch-Site` values that mean the request did not come from another site's page. */
const isOwnFetchSiteRe = /^(same-origin|none)$/;

/**
 * Refuses cross-origin unsafe requests with 403 problem+json (type ending `/csrf`).
 *
 * @param options.publicOrigin - the server's origin behind a proxy; null means the request's.
 * @param options.allowedOrigins - origins trusted besides the server's own; none by default in
 *   the configuration.
 * @returns the middleware.
 * @example
 * api.use('*', csrf({ publicOrigin: config.publicOrigin, allowedOrigins: config.allowedOrigins }));
 */
export function csrf(options: CsrfOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins);
  return async function csrfHandler(c, next) {
    if (isSafeMethodRe.test(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const own = options.publicOrigin ?? requestOrigin(c);
      if (origin !== own && !allowed.has(origin)) {
        throw csrfProblem(`Requests from ${origin} may not change anything here.`);
      }
      return next();
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && !isOwnFetchSiteRe.test(site)) {
      throw csrfProblem(`A ${site} request may not change anything here.`);
    }
    return next();
  };
}

/** The scheme and host the request was addressed to. */
function requestOrigin(c: Context): string {
  return new URL(c.req.url).origin;
}

function csrfProblem(detail: string): ProblemError {
  return new ProblemError(403, 'csrf', 'Cross-site request refused.', detail);
}
