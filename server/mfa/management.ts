/**
 * @module
 * Managing the methods of one's own account: the status the MFA elements show, the preferred
 * method, removing a method, and regenerating backup codes.
 *
 * Invariants. Each is tested in test/server/mfa/management.test.ts.
 *  1. Removing a method and regenerating backup codes need a step-up (`step-up.ts`).
 *  2. While the applying policy is `required`, the last usable method cannot be removed (409).
 *  3. Removing the last enabled method also deletes the backup codes: they go with the factors.
 *  4. Each change is a factor change (remembered devices forgotten) and tells the owner.
 *  5. The status never shows a secret, a full phone number or a code.
 */
import assert from 'node:assert/strict';
import type { AppContext } from '../context.ts';
import type { MfaActor } from './actor.ts';
import { deleteBackupCodes, prepareBackupCodes, storeBackupCodes } from './backup-codes.ts';
import { maskEmail, maskPhone } from './destinations.ts';
import { lockedUntilOf } from './lockout.ts';
import { mfaModels, type UserMfaAttributes } from './models.ts';
import { notifyAccount } from './notifications.ts';
import { policyAllows } from './policies.ts';
import { lastMethodRequiredProblem, methodUnavailableProblem } from './problems.ts';
import type { BackupCodes, MfaStatus, PrimaryMethod } from './schemas.ts';
import { mfaStateFor } from './sign-in.ts';
import { standingOf, type MfaStanding } from './standing.ts';
import { requireStepUp, stepUpValidUntil } from './step-up.ts';
import { recordFactorChange } from './user-mfa.ts';
import { lastSuccessByMethod } from './verifications.ts';

/** The session a status is seen from; null for an Admin looking at an account. */
export type StatusSession = MfaActor['session'] | null;

/**
 * The MFA status of `userId` as `GET /api/mfa/status` answers it.
 *
 * @param session - the caller's own session, or null when an Admin looks.
 */
export async function statusOf(
  ctx: AppContext,
  userId: number,
  session: StatusSession,
): Promise<MfaStatus> {
  const [standing, lastUse, state] = await Promise.all([
    standingOf(ctx, userId),
    lastSuccessByMethod(ctx, userId),
    mfaStateFor(ctx, userId, session),
  ]);
  const { policy, record } = standing;
  const now = ctx.clock.now();
  const lockedUntil = lockedUntilOf(record, now);
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  const methodStatus = (method: PrimaryMethod, enabledAt: Date | null) => ({
    enabled: enabledAt !== null,
    allowed: policyAllows(policy, method),
    enabledAt: iso(enabledAt),
    lastUsedAt: iso(lastUse.get(method)),
  });
  return {
    ...state,
    policy: { id: policy.id, name: policy.name },
    allowedMethods: [...policy.allowedMethods],
    preferredMethod: preferredOf(standing),
    enrolment: {
      due: standing.grace.due,
      mustEnrolNow:
        session === null
          ? standing.mustEnrolNow
          : standing.grace.due && session.state === 'pending',
      graceEndsAt: iso(standing.grace.endsAt),
      promptsLeft: standing.grace.promptsLeft,
    },
    totp: {
      ...methodStatus('totp', record?.totpEnabledAt ?? null),
      algorithm: (record?.totpEnabledAt
        ? record.totpAlgorithm
        : null) as MfaStatus['totp']['algorithm'],
      digits: record?.totpEnabledAt ? record.totpDigits : null,
      periodSeconds: record?.totpEnabledAt ? record.totpPeriodSeconds : null,
    },
    sms: {
      ...methodStatus('sms', record?.smsEnabledAt ?? null),
      destination: record?.phone ? maskPhone(ctx.keys.decryptString(record.phone)) : null,
    },
    email: {
      ...methodStatus('email', record?.emailEnabledAt ?? null),
      destination: record?.email && record.emailEnabledAt ? maskEmail(record.email) : null,
    },
    backupCodes: { ...standing.backupCodes, generatedAt: iso(record?.backupCodesGeneratedAt) },
    lockedUntil: iso(lockedUntil),
    attemptsLeft:
      lockedUntil !== null
        ? 0
        : Math.max(0, policy.maxFailedAttempts - (record?.consecutiveFailures ?? 0)),
    stepUpValidUntil: session === null ? null : iso(stepUpValidUntil(ctx, session)),
    rememberDeviceDays: policy.rememberDeviceDays,
  };
}

/** The preferred method if still usable, else the first usable one, else null. */
function preferredOf(standing: MfaStanding): PrimaryMethod | null {
  const preferred = standing.record?.preferredMethod;
  const usable = standing.usableMethods;
  return usable.find((method) => method === preferred) ?? usable[0] ?? null;
}

/**
 * Makes `method` the one the verify step offers first.
 *
 * @throws ProblemError 409 when the method is not usable.
 */
export async function setPreferredMethod(
  ctx: AppContext,
  actor: MfaActor,
  method: PrimaryMethod,
): Promise<MfaStatus> {
  const standing = await standingOf(ctx, actor.userId);
  if (!standing.usableMethods.includes(method) || standing.record === null) {
    throw methodUnavailableProblem(method, 'not-enrolled');
  }
  const { UserMfa } = mfaModels(ctx.sequelize);
  await UserMfa.update(
    { preferredMethod: method, updatedAt: ctx.clock.now() },
    { where: { id: standing.record.id } },
  );
  return statusOf(ctx, actor.userId, actor.session);
}

const clearedFields: Record<PrimaryMethod, Partial<UserMfaAttributes>> = {
  totp: {
    totpSecret: null,
    totpAlgorithm: null,
    totpDigits: null,
    totpPeriodSeconds: null,
    totpLastStep: null,
    totpEnabledAt: null,
  },
  sms: { phone: null, smsEnabledAt: null },
  email: { email: null, emailEnabledAt: null },
};

/**
 * Removes `method` from the account (invariants 1 to 4).
 *
 * @throws ProblemError 403 `/step-up-required`, 409 when not enabled or the last required one.
 */
export async function disableMethod(
  ctx: AppContext,
  actor: MfaActor,
  method: PrimaryMethod,
): Promise<MfaStatus> {
  requireStepUp(ctx, actor.session);
  const standing = await standingOf(ctx, actor.userId);
  const record = standing.record;
  if (record === null || !standing.enabledMethods.includes(method)) {
    throw methodUnavailableProblem(method, 'not-enrolled');
  }
  const usableAfter = standing.usableMethods.filter((usable) => usable !== method);
  if (standing.policy.enforcement === 'required' && usableAfter.length === 0) {
    throw lastMethodRequiredProblem();
  }
  const enabledAfter = standing.enabledMethods.filter((enabled) => enabled !== method);
  const { UserMfa } = mfaModels(ctx.sequelize);
  await ctx.sequelize.transaction(async (transaction) => {
    const preferredMethod =
      record.preferredMethod === method ? (enabledAfter[0] ?? null) : record.preferredMethod;
    await UserMfa.update(
      { ...clearedFields[method], preferredMethod, updatedAt: ctx.clock.now() },
      { where: { id: record.id }, transaction },
    );
    if (enabledAfter.length === 0) await deleteBackupCodes(ctx, record.id, transaction);
    await recordFactorChange(ctx, record, transaction);
  });
  await notifyAccount(ctx, actor.userId, { kind: 'factor-removed', method });
  return statusOf(ctx, actor.userId, actor.session);
}

/**
 * Replaces the backup codes with a new set (step-up required).
 *
 * @returns the new codes, shown once.
 * @throws ProblemError 403 `/step-up-required`, 409 when no method is set up.
 */
export async function regenerateBackupCodes(
  ctx: AppContext,
  actor: MfaActor,
): Promise<BackupCodes> {
  requireStepUp(ctx, actor.session);
  const standing = await standingOf(ctx, actor.userId);
  const record = standing.record;
  if (record === null || !standing.enrolled)
    throw methodUnavailableProblem('backup', 'not-enrolled');
  const prepared = await prepareBackupCodes(ctx);
  await ctx.sequelize.transaction(async (transaction) => {
    await storeBackupCodes(ctx, record.id, prepared, transaction);
    await recordFactorChange(ctx, record, transaction);
  });
  await notifyAccount(ctx, actor.userId, { kind: 'backup-codes-regenerated' });
  assert(prepared.codes.length > 0);
  return { backupCodes: prepared.codes };
}
