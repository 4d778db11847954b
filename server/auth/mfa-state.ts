/**
 * @module
 * Where a user and a session stand with the second factor: the one place login and
 * `GET /api/auth/me` ask. Login makes the session `pending` when a factor is required and not
 * yet verified, so this function alone decides who must pass MFA.
 *
 * Until MFA enrolment exists nobody has a method, so nothing is required. The MFA work replaces
 * the body of {@link mfaStateOf} (reading `ab_user_mfa` and the policies), keeping its signature.
 */
import type { AppContext } from '../context.ts';
import type { MfaState } from './schemas.ts';

/** What {@link mfaStateOf} needs of a session: whether and when it passed a second factor. */
export interface MfaSessionFacts {
  mfaVerifiedAt: Date | null;
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
  return { required: false, verified: session?.mfaVerifiedAt != null, methods: [] };
}
