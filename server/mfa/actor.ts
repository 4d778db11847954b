/**
 * @module
 * Who is asking: the plain data an MFA service needs about the request, so services never see
 * Hono. Routes build it with {@link actorOf}; services import only the type.
 */
import type { Context } from 'hono';
import { clientAddress } from '../auth/client-address.ts';
import type { SessionState } from '../auth/sessions.ts';
import type { AppEnv } from '../http/env.ts';
import { requireCurrentSession } from '../http/session.ts';
import { trustedDeviceTokenOf } from './device-cookie.ts';

/** The signed-in (or half signed-in) account behind a request. */
export interface MfaActor {
  userId: number;
  username: string;
  email: string;
  roles: string[];
  session: {
    /** The session's key (SHA-256 of its token). */
    idHash: string;
    state: SessionState;
    /** When this session last passed a second factor; null if never. */
    mfaVerifiedAt: Date | null;
  };
  ip: string | null;
  userAgent: string | null;
  /** The remember-this-device token the request carries, if any. */
  deviceToken: string | null;
}

/** The plain data services need about the request's account and session. */
export function actorOf(c: Context<AppEnv>): MfaActor {
  const { session, user } = requireCurrentSession(c);
  return {
    userId: user.id,
    username: user.username,
    email: user.email,
    roles: user.roles,
    session: {
      idHash: session.idHash,
      state: session.state,
      mfaVerifiedAt: session.mfaVerifiedAt,
    },
    ip: clientAddress(c, c.var.ctx.config),
    userAgent: c.req.header('user-agent') ?? null,
    deviceToken: trustedDeviceTokenOf(c),
  };
}
