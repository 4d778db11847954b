/**
 * @module
 * Gives each request an id and writes one structured log line when it is answered.
 */
import type { MiddlewareHandler } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { AppEnv } from './env.ts';

/** A request id a client or proxy may pass along: short and plain, so it is safe to log. */
const isSafeRequestIdRe = /^[\w.:-]{8,128}$/;

/**
 * Sets `requestId` and a request-bound `log`, echoes `X-Request-Id`, and logs method, path,
 * status and duration. The query string is left out: it may carry tokens.
 *
 * @param logger - the server's logger.
 * @returns the middleware.
 * @example app.use('*', requestLog(ctx.logger));
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLogHandler(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && isSafeRequestIdRe.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const startedMs = performance.now();
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - startedMs) * 10) / 10,
    };
    if (c.res.status >= 500) log.error('request failed', fields);
    else log.info('request', fields);
  };
}
