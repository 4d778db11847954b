/**
 * @module
 * The wallet {@link Actor} of a request: the signed-in user, whether they are an Admin, and
 * where the request came from. Routes build it here; services take the plain value and never
 * see Hono.
 */
import type { Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import type { AppEnv } from '../http/env.ts';
import { requireCurrentSession } from '../http/session.ts';
import type { Actor } from './actor.ts';

/** The role that may set exchange rates and read every audit. */
export const adminRoleName = 'Admin';

/**
 * The actor behind a request that passed a `session` or `admin` access guard.
 *
 * @throws ProblemError 401 without a session (the guard has normally answered already).
 */
export function walletActorOf(c: Context<AppEnv>): Actor {
  const { user } = requireCurrentSession(c);
  return {
    userId: user.id,
    isAdmin: user.roles.includes(adminRoleName),
    ip: clientAddress(c, c.var.ctx.config),
    userAgent: c.req.header('user-agent') ?? null,
  };
}
