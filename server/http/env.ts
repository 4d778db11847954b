/**
 * @module
 * What Hono's context carries through one request.
 */
import type { AppContext } from '../context.ts';
import type { Logger } from '../logger.ts';

/** Variables set by middleware for the handlers after it. */
export interface AppVariables {
  /** The server's context: database, clock, keys, senders. */
  ctx: AppContext;
  /** The request's id, echoed in `X-Request-Id` and in every log line it causes. */
  requestId: string;
  /** A logger bound to this request's id. */
  log: Logger;
}

/** The Hono environment of the API. */
export interface AppEnv {
  Variables: AppVariables;
}
