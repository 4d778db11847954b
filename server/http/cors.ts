/**
 * @module
 * CORS with credentials for the origins in `ALLOWED_ORIGINS`, so the elements can live on
 * other sites' pages and still send the session cookie.
 *
 * An allowed origin gets `Access-Control-Allow-Origin` (its own origin, never `*`, which
 * browsers refuse with credentials), `Access-Control-Allow-Credentials: true` and the exposed
 * headers; its preflight is answered 204 with the allowed methods and headers. Any other
 * origin gets no `Access-Control-*` header at all, so the browser keeps the response from the
 * page. Every response says `Vary: Origin`, because its headers depend on it.
 *
 * Hono's `cors()` sets the credentials and exposed headers for every origin and answers every
 * preflight with its methods, so this middleware writes the few headers itself.
 */
import type { MiddlewareHandler } from 'hono';

/** Options of {@link cors}. */
export interface CorsOptions {
  /** Origins that may call the API with credentials (`ALLOWED_ORIGINS`). */
  allowedOrigins: readonly string[];
}

/** Methods an allowed origin may use. */
export const corsAllowedMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Request headers an allowed origin may send beyond the CORS-safelisted ones. */
export const corsAllowedHeaders = ['Content-Type', 'Idempotency-Key', 'X-Request-Id'] as const;

/** Response headers an allowed origin's scripts may read beyond the safelisted ones. */
export const corsExposedHeaders = ['Retry-After', 'Idempotent-Replayed', 'X-Request-Id'] as const;

/** How long a browser may reuse a preflight answer. */
export const corsPreflightMaxAgeSeconds = 600;

/**
 * Answers CORS for `allowedOrigins` only.
 *
 * @param options.allowedOrigins - origins granted CORS with credentials; empty grants none.
 * @returns the middleware.
 * @example api.use('*', cors({ allowedOrigins: config.allowedOrigins }));
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins);
  return async function corsHandler(c, next) {
    const origin = c.req.header('origin');
    const isAllowed = origin !== undefined && allowed.has(origin);
    const isPreflight =
      c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
    if (isPreflight) {
      // Answered here for every origin; only an allowed one is told it may proceed.
      const headers = new Headers({ Vary: 'Origin' });
      if (isAllowed) {
        headers.set('Access-Control-Allow-Origin', origin);
        headers.set('Access-Control-Allow-Credentials', 'true');
        headers.set('Access-Control-Allow-Methods', corsAllowedMethods.join(', '));
        headers.set('Access-Control-Allow-Headers', corsAllowedHeaders.join(', '));
        headers.set('Access-Control-Max-Age', String(corsPreflightMaxAgeSeconds));
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    // c.header, not c.res.headers: it copies a response whose headers are immutable.
    c.header('Vary', 'Origin', { append: true });
    if (isAllowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Expose-Headers', corsExposedHeaders.join(', '));
    }
  };
}
