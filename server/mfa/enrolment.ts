/**
 * @module
 * Setting up a method: TOTP (a secret, its URI and QR code, then a first code) and SMS or
 * email (a destination, then the code sent to it).
 *
 * Invariants. Each is tested in test/server/mfa/enrolment.test.ts.
 *  1. A method the applying policy does not allow cannot be set up (409).
 *  2. An account that has a usable method may set up another, or replace one, only from an
 *     active session that passed a second factor in the last 5 minutes (step-up); a pending
 *     session of such an account gets 403 `/mfa-required`, so a password alone never adds a
 *     factor. An account with no usable method enrols from any session, pending included.
 *  3. A TOTP enrolment is pending for {@link totpEnrolmentTtlMs}; its secret is stored only as
 *     a keyring token, and the code that confirms it counts as used (its step is the first
 *     accepted step).
 *  4. Confirming is a code attempt like any other: counted, delayed and locked by `lockout.ts`.
 *  5. The first method brings a set of backup codes, answered once; later methods answer an
 *     empty list and keep the set. Every confirmation is a factor change (`user-mfa.ts`) and
 *     tells the owner by email.
 */
import { Op } from 'sequelize';
import { mfaRequiredProblem } from '../auth/problems.ts';
import type { AppContext } from '../context.ts';
import { validationProblem } from '../http/problem.ts';
import type { MfaActor } from './actor.ts';
import { prepareBackupCodes, storeBackupCodes } from './backup-codes.ts';
import { maskDestination, normalizeEmail, normalizePhone } from './destinations.ts';
import { lockedUntilOf, recordFailure, recordSuccess, type AttemptClaim } from './lockout.ts';
import { mfaModels, type UserMfaAttributes, type UserMfaRow } from './models.ts';
import { notifyAccount } from './notifications.ts';
import { checkCode, sendCode } from './otp-codes.ts';
import { policyAllows } from './policies.ts';
import {
  methodUnavailableProblem,
  mfaLockedProblem,
  noPendingEnrolmentProblem,
} from './problems.ts';
import type { BackupCodes, CodeSent, PrimaryMethod, TotpSetup, TotpSetupQuery } from './schemas.ts';
import { claimOrRecord, failureProblem, reasonOf, type CheckOutcome } from './service.ts';
import { standingOf, type MfaStanding } from './standing.ts';
import { requireStepUp } from './step-up.ts';
import { generateTotpSecret, matchTotpStep, totpQrSvg, totpUri } from './totp.ts';
import { ensureUserMfa, recordFactorChange, totpParametersOf } from './user-mfa.ts';
import { recordVerification } from './verifications.ts';

/** How long a started TOTP enrolment waits for its first code. */
export const totpEnrolmentTtlMs = 10 * 60 * 1000;

/** Checks invariants 1 and 2 for setting up `method`; returns the standing read. */
async function mayEnrol(
  ctx: AppContext,
  actor: MfaActor,
  method: PrimaryMethod,
): Promise<MfaStanding> {
  const standing = await standingOf(ctx, actor.userId);
  if (standing.enrolled) {
    if (actor.session.state === 'pending') throw mfaRequiredProblem();
    requireStepUp(ctx, actor.session);
  }
  if (!policyAllows(standing.policy, method)) throw methodUnavailableProblem(method, 'not-allowed');
  return standing;
}

/**
 * Starts (or restarts) a TOTP enrolment: a new secret, its otpauth URI and QR code.
 *
 * @returns what the authenticator app needs; the route answers it with `no-store`.
 */
export async function startTotpEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  choice: TotpSetupQuery,
): Promise<TotpSetup> {
  await mayEnrol(ctx, actor, 'totp');
  const parameters = { ...choice };
  const secret = generateTotpSecret(parameters.algorithm);
  const otpauthUri = totpUri({ secret, accountName: actor.username, parameters });
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + totpEnrolmentTtlMs);
  const { TotpEnrolment } = mfaModels(ctx.sequelize);
  await ctx.sequelize.transaction(async (transaction) => {
    await TotpEnrolment.destroy({ where: { userId: actor.userId }, transaction });
    await TotpEnrolment.create(
      {
        userId: actor.userId,
        secret: ctx.keys.encryptString(secret),
        algorithm: parameters.algorithm,
        digits: parameters.digits,
        periodSeconds: parameters.periodSeconds,
        createdAt: now,
        expiresAt,
      },
      { transaction },
    );
  });
  return {
    secret,
    otpauthUri,
    qrSvg: await totpQrSvg(otpauthUri),
    ...parameters,
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * Confirms the pending TOTP enrolment with its first code and enables TOTP.
 *
 * @throws ProblemError 409 without a pending enrolment, 422/423/429 like any code attempt.
 */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  code: string,
): Promise<BackupCodes> {
  const standing = await mayEnrol(ctx, actor, 'totp');
  const { TotpEnrolment } = mfaModels(ctx.sequelize);
  const now = ctx.clock.now();
  await TotpEnrolment.destroy({ where: { userId: actor.userId, expiresAt: { [Op.lte]: now } } });
  const pending = await TotpEnrolment.findOne({ where: { userId: actor.userId } });
  if (pending === null) throw noPendingEnrolmentProblem();
  const record = await ensureUserMfa(ctx, actor.userId);
  const history = historyOf(actor, 'totp');
  const claim = await claimOrRecord(ctx, record, standing, history);
  const step = await matchTotpStep({
    secret: ctx.keys.decryptString(pending.secret),
    code,
    parameters: totpParametersOf({
      totpAlgorithm: pending.algorithm,
      totpDigits: pending.digits,
      totpPeriodSeconds: pending.periodSeconds,
    }),
    instantMs: now.getTime(),
    windowSteps: standing.policy.totpWindowSteps,
  });
  if (step === null) return failEnrolment(ctx, actor, { record, method: 'totp', claim }, 'wrong');
  const fields: Partial<UserMfaAttributes> = {
    totpSecret: pending.secret,
    totpAlgorithm: pending.algorithm,
    totpDigits: pending.digits,
    totpPeriodSeconds: pending.periodSeconds,
    // The confirming code counts as used (invariant 3).
    totpLastStep: step,
    totpEnabledAt: now,
  };
  const deleted = await TotpEnrolment.destroy({ where: { id: pending.id } });
  // A concurrent confirmation took the enrolment first; this one changes nothing.
  if (deleted === 0) throw noPendingEnrolmentProblem();
  return completeEnrolment(ctx, actor, standing, record, 'totp', fields);
}

function historyOf(actor: MfaActor, method: PrimaryMethod) {
  return {
    userId: actor.userId,
    method,
    purpose: 'enrolment' as const,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}

/** Records a failed confirmation and throws its problem, like a failed verification. */
async function failEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  failed: { record: UserMfaRow; method: PrimaryMethod; claim: AttemptClaim },
  outcome: Exclude<CheckOutcome, 'accepted'>,
): Promise<never> {
  await recordFailure(ctx, failed.record.id);
  await recordVerification(ctx, {
    ...historyOf(actor, failed.method),
    outcome: 'failure',
    reason: reasonOf(outcome),
  });
  throw await failureProblem(ctx, actor.userId, failed.claim, outcome);
}

/**
 * Enables `method` with `fields` as one factor change, brings backup codes with the first
 * method, resets the failures and tells the owner (invariant 5).
 */
async function completeEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  standing: MfaStanding,
  record: UserMfaRow,
  method: PrimaryMethod,
  fields: Partial<UserMfaAttributes>,
): Promise<BackupCodes> {
  const wasEnabled = standing.enabledMethods.includes(method);
  const prepared = standing.backupCodes.remaining === 0 ? await prepareBackupCodes(ctx) : null;
  const { UserMfa } = mfaModels(ctx.sequelize);
  await ctx.sequelize.transaction(async (transaction) => {
    await UserMfa.update(
      { ...fields, preferredMethod: record.preferredMethod ?? method, updatedAt: ctx.clock.now() },
      { where: { id: record.id }, transaction },
    );
    await recordFactorChange(ctx, record, transaction);
    if (prepared !== null) await storeBackupCodes(ctx, record.id, prepared, transaction);
  });
  await recordSuccess(ctx, record.id);
  await recordVerification(ctx, { ...historyOf(actor, method), outcome: 'success' });
  const kind = wasEnabled ? 'destination-changed' : 'factor-added';
  await notifyAccount(ctx, actor.userId, { kind, method });
  return { backupCodes: prepared?.codes ?? [] };
}

/**
 * Starts setting up SMS (to `input.phone`) or email (to `input.email`, or the account's
 * address): sends a code to prove the destination.
 *
 * @throws ProblemError 400 for a phone number that is not one, 409/403 per invariants 1 and 2,
 *   423 while locked, 429 and 502 as for any code sent.
 */
export async function startCodeEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  channel: 'sms' | 'email',
  input: { phone?: string; email?: string },
): Promise<CodeSent> {
  const standing = await mayEnrol(ctx, actor, channel);
  const destination =
    channel === 'sms'
      ? normalizePhone(input.phone ?? '')
      : normalizeEmail(input.email ?? actor.email);
  if (destination === null) {
    throw validationProblem([
      {
        path: 'body.phone',
        message: 'Enter the number in international format, like +44 7700 900123.',
      },
    ]);
  }
  const now = ctx.clock.now();
  const lockedUntil = lockedUntilOf(standing.record, now);
  if (lockedUntil !== null) throw mfaLockedProblem(lockedUntil, now);
  const sent = await sendCode(ctx, {
    userId: actor.userId,
    channel,
    purpose: 'enrolment',
    destination,
    ip: actor.ip,
  });
  return {
    method: channel,
    sentTo: maskDestination(channel, destination),
    expiresAt: sent.expiresAt.toISOString(),
    resendAvailableAt: sent.resendAvailableAt.toISOString(),
  };
}

/**
 * Confirms an SMS or email set-up with the code sent to the new destination.
 *
 * @throws ProblemError 422/423/429 like any code attempt.
 */
export async function confirmCodeEnrolment(
  ctx: AppContext,
  actor: MfaActor,
  channel: 'sms' | 'email',
  code: string,
): Promise<BackupCodes> {
  const standing = await mayEnrol(ctx, actor, channel);
  const record = await ensureUserMfa(ctx, actor.userId);
  const claim = await claimOrRecord(ctx, record, standing, historyOf(actor, channel));
  const checked = await checkCode(ctx, {
    userId: actor.userId,
    channel,
    purpose: 'enrolment',
    code,
  });
  if (checked.outcome !== 'accepted' || checked.destination === null) {
    const outcome = checked.outcome === 'accepted' ? 'wrong' : checked.outcome;
    return failEnrolment(ctx, actor, { record, method: channel, claim }, outcome);
  }
  const now = ctx.clock.now();
  const fields: Partial<UserMfaAttributes> =
    channel === 'sms'
      ? { phone: ctx.keys.encryptString(checked.destination), smsEnabledAt: now }
      : { email: checked.destination, emailEnabledAt: now };
  return completeEnrolment(ctx, actor, standing, record, channel, fields);
}
