/**
 * @module
 * Where a user and a session stand with the second factor: the one place `GET /api/auth/me`
 * asks. Login decides through `server/mfa/sign-in.ts` (`decideSignIn`), which also honours a
 * remembered device and counts grace prompts; both follow the rules written there.
 */
import type { AppContext } from '../context.ts';
import { mfaStateFor } from '../mfa/sign-in.ts';
import type { SessionState } from './sessions.ts';
import type { MfaState } from './schemas.ts';

/** What {@link mfaStateOf} needs of a session: whether and when it passed a second factor. */
export interface MfaSessionFacts {
  mfaVerifiedAt: Date | null;
  /** Pending sessions always owe a factor; absent means unknown (treated as active). */
  state?: SessionState;
  /** The session's key, to tell whether a remembered device opened it. */
  idHash?: string;
}

/**
 * The MFA state of `userId`, as seen from `session` (null while logging in).
 *
 * @param ctx - the server's context.
 * @param userId - the account.
 * @param session - the current session, or null when no session exists yet (at login).
 * @returns `{required, verified, methods}`.
 */
export async function mfaStateOf(
  ctx: AppContext,
  userId: number,
  session: MfaSessionFacts | null,
): Promise<MfaState> {
  return mfaStateFor(ctx, userId, session);
}
