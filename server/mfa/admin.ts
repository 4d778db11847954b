/**
 * @module
 * What an Admin does to another account's MFA: look at it, unlock it, reset it.
 *
 * Invariants:
 *  1. Every unlock and reset leaves a history row naming the Admin (`actor_user_id`) and tells
 *     the account holder by email.
 *  2. A reset removes every factor, backup code, pending enrolment, unsent code and remembered
 *     device of the account in one database transaction; the history stays.
 *  3. Nothing here shows a secret, a full phone number or a code.
 */
import { authModels } from '../auth/models.ts';
import type { AppContext } from '../context.ts';
import { notFoundProblem } from '../http/problem.ts';
import type { MfaActor } from './actor.ts';
import { unlockAttempts } from './lockout.ts';
import { statusOf } from './management.ts';
import { mfaModels } from './models.ts';
import { notifyAccount } from './notifications.ts';
import type { z } from 'zod';
import type { adminUserSchema } from './schemas.ts';
import { standingOf } from './standing.ts';
import { findUserMfa } from './user-mfa.ts';
import { recordVerification } from './verifications.ts';

/** `GET /api/mfa/users/:id`. */
export type AdminUserView = z.infer<typeof adminUserSchema>;

async function requireUser(ctx: AppContext, userId: number) {
  const { User } = authModels(ctx.sequelize);
  const user = await User.findByPk(userId, { attributes: ['id', 'username'] });
  if (user === null) throw notFoundProblem(`There is no account ${userId}.`);
  return user;
}

/**
 * The MFA of account `userId` as an Admin sees it, with the policy that applies.
 *
 * @throws ProblemError 404 for an unknown account.
 */
export async function adminUserView(ctx: AppContext, userId: number): Promise<AdminUserView> {
  const user = await requireUser(ctx, userId);
  const [standing, status] = await Promise.all([
    standingOf(ctx, userId),
    statusOf(ctx, userId, null),
  ]);
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  return {
    userId,
    username: user.username,
    appliedPolicy: { id: standing.policy.id, name: standing.policy.name },
    status,
    consecutiveFailures: standing.record?.consecutiveFailures ?? 0,
    trustedDevices: await TrustedDevice.count({ where: { userId } }),
  };
}

/** Ends a lock and forgets the failures of account `userId` (invariant 1). */
export async function unlockUser(
  ctx: AppContext,
  admin: MfaActor,
  userId: number,
): Promise<AdminUserView> {
  await requireUser(ctx, userId);
  const record = await findUserMfa(ctx, userId);
  if (record !== null) await unlockAttempts(ctx, record.id);
  await recordAdminAct(ctx, admin, userId, 'unlock');
  await notifyAccount(ctx, userId, { kind: 'unlocked' });
  return adminUserView(ctx, userId);
}

/** Removes every factor of account `userId` (invariants 1 and 2). */
export async function resetUser(
  ctx: AppContext,
  admin: MfaActor,
  userId: number,
): Promise<AdminUserView> {
  await requireUser(ctx, userId);
  const { UserMfa, BackupCode, TotpEnrolment, OtpCode, TrustedDevice } = mfaModels(ctx.sequelize);
  await ctx.sequelize.transaction(async (transaction) => {
    const record = await findUserMfa(ctx, userId, transaction);
    if (record !== null) {
      await BackupCode.destroy({ where: { userMfaId: record.id }, transaction });
      await UserMfa.destroy({ where: { id: record.id }, transaction });
    }
    await TotpEnrolment.destroy({ where: { userId }, transaction });
    await OtpCode.destroy({ where: { userId }, transaction });
    await TrustedDevice.destroy({ where: { userId }, transaction });
  });
  await recordAdminAct(ctx, admin, userId, 'reset');
  await notifyAccount(ctx, userId, { kind: 'reset' });
  return adminUserView(ctx, userId);
}

async function recordAdminAct(
  ctx: AppContext,
  admin: MfaActor,
  userId: number,
  purpose: 'unlock' | 'reset',
): Promise<void> {
  await recordVerification(ctx, {
    userId,
    method: 'admin',
    purpose,
    outcome: 'success',
    reason: 'by-admin',
    actorUserId: admin.userId,
    ip: admin.ip,
    userAgent: admin.userAgent,
  });
}
