/**
 * @module
 * The second factor at sign-in: what `POST /api/auth/login` and `GET /api/auth/me` answer in
 * `mfa: {required, verified, methods}`, and whether the new session is pending.
 *
 * Rules. Each is tested in test/server/mfa/sign-in.test.ts.
 *  1. An enrolled account (see `standing.ts`) signs in to a pending session, which reaches
 *     only the MFA routes, for at most {@link pendingSessionLifetimeMs}, until a verification
 *     rotates its id and makes it active. A remembered device the rules of
 *     `trusted-devices.ts` honour skips this: the session starts active and verified.
 *  2. An account whose setup is due and whose grace is over signs in to a pending session
 *     whose `methods` is empty: it can only enrol, and enrolling makes it active.
 *  3. An account still in grace signs in to an active session; each such sign-in uses up one
 *     skippable prompt, and the first one starts the grace period's days.
 *  4. Anyone else (optional policy, nothing enrolled) signs in to an active session.
 */
import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { MfaState } from '../auth/schemas.ts';
import type { AppContext } from '../context.ts';
import { mfaModels } from './models.ts';
import { standingFrom, standingOf, type MfaStanding } from './standing.ts';
import { honouredDevice } from './trusted-devices.ts';
import { ensureUserMfa, findUserMfa } from './user-mfa.ts';
import { effectivePolicy } from './policies.ts';
import { openedByRememberedDevice, recordVerification } from './verifications.ts';

/** Longest a pending session lives (password accepted, second factor due). */
export const pendingSessionLifetimeMs = 10 * 60 * 1000;

/** What sign-in needs to know about the account. */
export interface SignInAccount {
  userId: number;
  passwordChangedOn: Date | null;
  /** The remember-this-device token the browser sent, if any. */
  deviceToken: string | null;
}

/** How sign-in goes on: the answer's `mfa`, and the remembered device that vouched, if any. */
export interface SignInDecision {
  state: MfaState;
  trustedDeviceId: number | null;
}

/**
 * Decides the second factor of a sign-in whose password was right (rules 1 to 4).
 *
 * @param ctx - the server's context.
 * @param account - the account, its password date, and the device token presented.
 * @returns the `mfa` answer (`required && !verified` means a pending session) and the device.
 */
export async function decideSignIn(
  ctx: AppContext,
  account: SignInAccount,
): Promise<SignInDecision> {
  let standing = await standingOf(ctx, account.userId);
  if (standing.grace.due) standing = await chargeGracePrompt(ctx, account.userId, standing);
  const required = standing.enrolled || standing.mustEnrolNow;
  let trustedDeviceId: number | null = null;
  if (standing.enrolled && standing.record !== null) {
    trustedDeviceId = await honouredDevice(ctx, account.deviceToken, {
      userId: account.userId,
      factorVersion: standing.record.factorVersion,
      passwordChangedOn: account.passwordChangedOn,
      policy: standing.policy,
    });
  }
  const state = { required, verified: trustedDeviceId !== null, methods: standing.methods };
  assert(!state.verified || state.required, 'a device only vouches where a factor is due');
  return { state, trustedDeviceId };
}

/** Starts the grace period and uses up a prompt when the grace still holds (rule 3). */
async function chargeGracePrompt(
  ctx: AppContext,
  userId: number,
  standing: MfaStanding,
): Promise<MfaStanding> {
  const { UserMfa } = mfaModels(ctx.sequelize);
  const record = await ensureUserMfa(ctx, userId);
  const now = ctx.clock.now();
  await UserMfa.update(
    { graceStartedAt: now, updatedAt: now },
    { where: { id: record.id, graceStartedAt: { [Op.is]: null } } },
  );
  const started = await findUserMfa(ctx, userId);
  assert(started !== null);
  const before = await standingFrom(ctx, standing.policy, started);
  if (!before.grace.holds || before.grace.promptsLeft === null) return before;
  await UserMfa.update(
    { gracePromptsSkipped: ctx.sequelize.literal('grace_prompts_skipped + 1'), updatedAt: now },
    { where: { id: record.id } },
  );
  // This sign-in is inside the grace it was granted, even if it used the last prompt.
  return before;
}

/**
 * Records that a remembered device opened the session `sessionIdHash`, so later requests of
 * that session report `verified: true` (and never count for step-up).
 */
export async function recordRememberedSignIn(
  ctx: AppContext,
  input: { userId: number; sessionIdHash: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await recordVerification(ctx, {
    userId: input.userId,
    method: 'device',
    purpose: 'sign-in',
    outcome: 'success',
    reason: 'remembered-device',
    sessionIdHash: input.sessionIdHash,
    ip: input.ip,
    userAgent: input.userAgent,
  });
}

/** Facts of a session that the state depends on. */
export interface SessionFacts {
  mfaVerifiedAt: Date | null;
  state?: 'active' | 'pending';
  idHash?: string;
}

/**
 * The `mfa` answer for `userId` as seen from `session` (null: before any session exists).
 * With a session: `required` when it is pending or the account is enrolled; `verified` when
 * it passed a second factor or a remembered device opened it.
 */
export async function mfaStateFor(
  ctx: AppContext,
  userId: number,
  session: SessionFacts | null,
): Promise<MfaState> {
  const standing = await standingFrom(
    ctx,
    await effectivePolicy(ctx, userId),
    await findUserMfa(ctx, userId),
  );
  if (session === null) {
    return {
      required: standing.enrolled || standing.mustEnrolNow,
      verified: false,
      methods: standing.methods,
    };
  }
  let verified = session.mfaVerifiedAt !== null;
  if (!verified && session.state === 'active' && session.idHash !== undefined) {
    verified = standing.enrolled && (await openedByRememberedDevice(ctx, session.idHash));
  }
  return {
    required: session.state === 'pending' || standing.enrolled,
    verified,
    methods: standing.methods,
  };
}

/** Whether a pending session created at `createdAt` has outlived its 10 minutes (rule 1). */
export function pendingSessionExpired(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() >= pendingSessionLifetimeMs;
}
