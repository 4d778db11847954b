/**
 * @module
 * Verifying a second factor (`POST /api/mfa/verify`) and sending a code for it
 * (`POST /api/mfa/challenge`). Takes the context and plain data, never Hono; the route then
 * upgrades the session (`activateCurrentSession`), which rotates its id.
 *
 * Invariants. Each is tested in test/server/mfa/verify.test.ts and its neighbours.
 *  1. Every attempt is counted before its code is checked: per client address
 *     ({@link verifyAttemptsPerAddressMax} per {@link verifyAddressWindowMs}) and per account
 *     (`lockout.ts`). While locked, even the right code is refused with 423.
 *  2. A TOTP step is accepted once: the last accepted step is moved forward by one conditional
 *     UPDATE (`totp_last_step < step`), so of N concurrent submits of one code exactly one
 *     succeeds, and a code of a step at or before the last accepted one is refused as reused.
 *  3. Every attempt leaves one history row (`verifications.ts`), success or not, with no code.
 *  4. A success resets the account's failures and gives the address its attempt back; a
 *     failure leaves both counted. The attempt that locks the account tells its owner by email.
 */
import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import { authModels } from '../auth/models.ts';
import type { AppContext } from '../context.ts';
import { ProblemError, tooManyRequestsProblem } from '../http/problem.ts';
import type { MfaActor } from './actor.ts';
import { consumeBackupCode } from './backup-codes.ts';
import { maskDestination } from './destinations.ts';
import {
  attemptsLeftAfter,
  claimAttempt,
  lockedUntilOf,
  recordFailure,
  recordSuccess,
  type AttemptClaim,
} from './lockout.ts';
import { mfaModels, type UserMfaRow } from './models.ts';
import { notifyAccount } from './notifications.ts';
import { checkCode, sendCode } from './otp-codes.ts';
import { invalidCodeProblem, methodUnavailableProblem, mfaLockedProblem } from './problems.ts';
import type { CodeSent, MfaMethod, VerifyBody } from './schemas.ts';
import { standingOf, type MfaStanding } from './standing.ts';
import { chargeWindow, refundWindow } from './throttle.ts';
import { matchTotpStep } from './totp.ts';
import { rememberDevice, type RememberedDevice } from './trusted-devices.ts';
import { lastTotpStepOf, totpParametersOf } from './user-mfa.ts';
import {
  recordVerification,
  type VerificationEntry,
  type VerificationPurpose,
  type VerificationReason,
} from './verifications.ts';

/** Verification attempts per client address per window, whatever the account. */
export const verifyAttemptsPerAddressMax = 30;

/** The window of {@link verifyAttemptsPerAddressMax}. */
export const verifyAddressWindowMs = 15 * 60 * 1000;

/** How checking one code ended. */
export type CheckOutcome = 'accepted' | 'wrong' | 'reused' | 'expired';

/** A passed verification, and the device remembered with it if asked and allowed. */
export interface VerifyResult {
  method: MfaMethod;
  device: RememberedDevice | null;
}

/** Why a session verifies: to finish signing in, or to step up an active session. */
export function purposeOf(actor: MfaActor): VerificationPurpose {
  return actor.session.state === 'pending' ? 'sign-in' : 'step-up';
}

/**
 * Checks `body.code` for `body.method` and, when right, remembers the device if asked.
 *
 * @throws ProblemError 409 for a method not usable, 422 `/invalid-code` with `attemptsLeft`,
 *   423 `/mfa-locked` with `lockedUntil`, 429 with `Retry-After`.
 */
export async function verifySecondFactor(
  ctx: AppContext,
  actor: MfaActor,
  body: VerifyBody,
): Promise<VerifyResult> {
  const standing = await standingOf(ctx, actor.userId);
  const record = requireUsable(standing, body.method);
  const purpose = purposeOf(actor);
  const history = { userId: actor.userId, method: body.method, purpose, ...originOf(actor) };
  const addressKey = `mfa:verify:ip:${actor.ip ?? 'unknown'}`;
  const address = await chargeWindow(ctx, {
    key: addressKey,
    countMax: verifyAttemptsPerAddressMax,
    windowMs: verifyAddressWindowMs,
  });
  if (!address.allowed) {
    await recordVerification(ctx, { ...history, outcome: 'refused', reason: 'throttled' });
    throw tooManyRequestsProblem(address.retryAfterMs, 'Too many attempts from this address.');
  }
  const claim = await claimOrRecord(ctx, record, standing, history);
  const outcome = await checkMethodCode(ctx, standing, record, body);
  if (outcome !== 'accepted') {
    await recordFailure(ctx, record.id);
    await recordVerification(ctx, { ...history, outcome: 'failure', reason: reasonOf(outcome) });
    throw await failureProblem(ctx, actor.userId, claim, outcome);
  }
  await recordSuccess(ctx, record.id);
  await refundWindow(ctx, addressKey, address.windowStartedAt);
  await recordVerification(ctx, { ...history, outcome: 'success' });
  if (body.method === 'backup') {
    const remaining = standing.backupCodes.remaining - 1;
    await notifyAccount(ctx, actor.userId, { kind: 'backup-code-used', remaining });
  }
  const device = body.rememberDevice ? await rememberIfAllowed(ctx, actor, standing) : null;
  return { method: body.method, device };
}

function originOf(actor: MfaActor) {
  return { ip: actor.ip, userAgent: actor.userAgent };
}

/** The record, when `method` may be used to verify now; a 409 problem otherwise. */
function requireUsable(standing: MfaStanding, method: MfaMethod): UserMfaRow {
  const { record } = standing;
  if (record === null) throw methodUnavailableProblem(method, 'not-enrolled');
  if (method === 'backup') {
    // Backup codes stand in for a usable method; without one they are no way in.
    const usable = standing.enrolled && standing.backupCodes.total > 0;
    if (!usable) throw methodUnavailableProblem(method, 'not-enrolled');
    return record;
  }
  if (!standing.enabledMethods.includes(method)) {
    throw methodUnavailableProblem(method, 'not-enrolled');
  }
  if (!standing.usableMethods.includes(method)) {
    throw methodUnavailableProblem(method, 'not-allowed');
  }
  return record;
}

/** Claims the attempt; a refusal (locked, too soon) is recorded before it is thrown. */
export async function claimOrRecord(
  ctx: AppContext,
  record: UserMfaRow,
  standing: MfaStanding,
  history: Omit<VerificationEntry, 'outcome' | 'reason'>,
): Promise<AttemptClaim> {
  try {
    return await claimAttempt(ctx, record.id, standing.policy);
  } catch (error) {
    if (error instanceof ProblemError) {
      const reason = error.status === 423 ? 'locked' : 'throttled';
      await recordVerification(ctx, { ...history, outcome: 'refused', reason });
    }
    throw error;
  }
}

/** The problem a failed attempt answers; the attempt that locked tells the owner (4). */
export async function failureProblem(
  ctx: AppContext,
  userId: number,
  claim: AttemptClaim,
  outcome: Exclude<CheckOutcome, 'accepted'>,
): Promise<ProblemError> {
  const now = ctx.clock.now();
  const lockedUntil = lockedUntilOf({ lockedUntil: claim.lockedUntil }, now);
  if (lockedUntil !== null) {
    await notifyAccount(ctx, userId, { kind: 'locked', lockedUntil });
    return mfaLockedProblem(lockedUntil, now);
  }
  const detail = {
    wrong: 'The code is not right.',
    reused: 'This code was used already. Wait for the next one.',
    expired: 'The code has expired. Ask for a new one.',
  }[outcome];
  return invalidCodeProblem(attemptsLeftAfter(claim), detail);
}

/** The history reason of a failed check. */
export function reasonOf(outcome: Exclude<CheckOutcome, 'accepted'>): VerificationReason {
  return outcome === 'wrong' ? 'wrong-code' : outcome === 'reused' ? 'reused-code' : 'expired-code';
}

async function checkMethodCode(
  ctx: AppContext,
  standing: MfaStanding,
  record: UserMfaRow,
  body: VerifyBody,
): Promise<CheckOutcome> {
  switch (body.method) {
    case 'totp':
      return checkTotp(ctx, record, body.code, standing.policy.totpWindowSteps);
    case 'backup':
      return consumeBackupCode(ctx, record.id, body.code);
    case 'sms':
    case 'email': {
      const input = { userId: record.userId, channel: body.method, purpose: 'verify' as const };
      return (await checkCode(ctx, { ...input, code: body.code })).outcome;
    }
  }
}

/**
 * Checks a TOTP code against the enabled secret of `record` and claims its step (invariant 2).
 *
 * @param windowSteps - the policy's window, 0 to 2.
 */
export async function checkTotp(
  ctx: AppContext,
  record: UserMfaRow,
  code: string,
  windowSteps: number,
): Promise<CheckOutcome> {
  assert(record.totpSecret !== null, 'an enabled TOTP has a secret');
  const step = await matchTotpStep({
    secret: ctx.keys.decryptString(record.totpSecret),
    code,
    parameters: totpParametersOf(record),
    instantMs: ctx.clock.now().getTime(),
    windowSteps,
  });
  if (step === null) return 'wrong';
  const last = lastTotpStepOf(record);
  if (last !== null && step <= last) return 'reused';
  return (await acceptTotpStep(ctx, record.id, step)) ? 'accepted' : 'reused';
}

/**
 * Moves the last accepted step of `userMfaId` to `step` if it is still before it: the one
 * statement that decides which of several concurrent submits wins.
 *
 * @returns whether this call moved it.
 */
export async function acceptTotpStep(
  ctx: AppContext,
  userMfaId: number,
  step: number,
): Promise<boolean> {
  assert(Number.isSafeInteger(step) && step >= 0);
  const { UserMfa } = mfaModels(ctx.sequelize);
  const [changed] = await UserMfa.update(
    { totpLastStep: step, updatedAt: ctx.clock.now() },
    {
      where: {
        id: userMfaId,
        [Op.or]: [{ totpLastStep: { [Op.is]: null } }, { totpLastStep: { [Op.lt]: step } }],
      },
    },
  );
  assert(changed === 0 || changed === 1);
  return changed === 1;
}

async function rememberIfAllowed(
  ctx: AppContext,
  actor: MfaActor,
  standing: MfaStanding,
): Promise<RememberedDevice | null> {
  const days = standing.policy.rememberDeviceDays;
  const record = standing.record;
  if (days < 1 || record === null) return null;
  const { User } = authModels(ctx.sequelize);
  const user = await User.findByPk(actor.userId, { attributes: ['id', 'passwordChangedOn'] });
  assert(user !== null);
  const { UserMfa } = mfaModels(ctx.sequelize);
  const fresh = await UserMfa.findByPk(record.id, { attributes: ['id', 'factorVersion'] });
  assert(fresh !== null);
  return rememberDevice(ctx, {
    userId: actor.userId,
    factorVersion: fresh.factorVersion,
    passwordChangedOn: user.passwordChangedOn,
    rememberDeviceDays: days,
    ...originOf(actor),
  });
}

/**
 * Sends a sign-in or step-up code by `method` to the account's enrolled destination.
 *
 * @throws ProblemError 409 when the method is not usable, 423 while locked, 429 within the
 *   cooldown or past a daily cap, 502 when the provider refused.
 */
export async function sendChallenge(
  ctx: AppContext,
  actor: MfaActor,
  method: 'sms' | 'email',
): Promise<CodeSent> {
  const standing = await standingOf(ctx, actor.userId);
  const record = requireUsable(standing, method);
  const now = ctx.clock.now();
  const lockedUntil = lockedUntilOf(record, now);
  if (lockedUntil !== null) throw mfaLockedProblem(lockedUntil, now);
  const destination = method === 'sms' ? record.phone : record.email;
  assert(destination !== null, 'an enabled method has a destination');
  const plain = method === 'sms' ? ctx.keys.decryptString(destination) : destination;
  const sent = await sendCode(ctx, {
    userId: actor.userId,
    channel: method,
    purpose: 'verify',
    destination: plain,
    ip: actor.ip,
  });
  return {
    method,
    sentTo: maskDestination(method, plain),
    expiresAt: sent.expiresAt.toISOString(),
    resendAvailableAt: sent.resendAvailableAt.toISOString(),
  };
}
