/**
 * @module
 * The per-account MFA record (`ab_user_mfa`): finding or making it, which methods it has
 * enabled, and recording that its factors changed.
 *
 * Invariants:
 *  1. An account has at most one record (unique `user_id`); making it is race-free
 *     (INSERT ... ON CONFLICT DO NOTHING, then read).
 *  2. Any change of a factor (enrolled, replaced, removed, reset) adds one to `factor_version`
 *     and deletes the account's remembered devices: a device is trusted for the factors it was
 *     remembered with, never for new ones (`trusted-devices.ts` checks the version too).
 */
import assert from 'node:assert/strict';
import { QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { mfaModels, type UserMfaRow } from './models.ts';
import type { PrimaryMethod } from './schemas.ts';
import {
  totpAlgorithms,
  totpDigitCounts,
  totpPeriods,
  type TotpAlgorithm,
  type TotpDigits,
  type TotpParameters,
  type TotpPeriodSeconds,
} from './totp.ts';

/** The record of `userId`, or null when the account never touched MFA. */
export async function findUserMfa(
  ctx: AppContext,
  userId: number,
  transaction?: Transaction,
): Promise<UserMfaRow | null> {
  const { UserMfa } = mfaModels(ctx.sequelize);
  return UserMfa.findOne({ where: { userId }, transaction });
}

/** The record of `userId`, made empty when missing (invariant 1). */
export async function ensureUserMfa(ctx: AppContext, userId: number): Promise<UserMfaRow> {
  assert(Number.isInteger(userId) && userId > 0);
  const existing = await findUserMfa(ctx, userId);
  if (existing) return existing;
  const now = ctx.clock.now();
  await ctx.sequelize.query(
    `INSERT INTO ab_user_mfa (user_id, factor_version, consecutive_failures,
        grace_prompts_skipped, created_at, updated_at)
      VALUES (:userId, 0, 0, 0, :now, :now)
      ON CONFLICT (user_id) DO NOTHING`,
    { replacements: { userId, now }, type: QueryTypes.INSERT },
  );
  const row = await findUserMfa(ctx, userId);
  assert(row !== null, 'the MFA record exists after its insert');
  return row;
}

/** The methods `row` has enabled, in the order totp, sms, email. */
export function enabledMethodsOf(row: UserMfaRow | null): PrimaryMethod[] {
  if (row === null) return [];
  const methods: PrimaryMethod[] = [];
  if (row.totpEnabledAt !== null) methods.push('totp');
  if (row.smsEnabledAt !== null) methods.push('sms');
  if (row.emailEnabledAt !== null) methods.push('email');
  return methods;
}

/** How the enabled TOTP of `row` is computed. */
export function totpParametersOf(row: {
  totpAlgorithm: string | null;
  totpDigits: number | null;
  totpPeriodSeconds: number | null;
}): TotpParameters {
  const algorithm = totpAlgorithms.find((known) => known === row.totpAlgorithm);
  const digits = totpDigitCounts.find((known) => known === row.totpDigits);
  const periodSeconds = totpPeriods.find((known) => known === row.totpPeriodSeconds);
  assert(algorithm && digits && periodSeconds, 'an enabled TOTP has all its parameters');
  return {
    algorithm: algorithm satisfies TotpAlgorithm,
    digits: digits satisfies TotpDigits,
    periodSeconds: periodSeconds satisfies TotpPeriodSeconds,
  };
}

/** The last accepted TOTP step of `row` (BIGINT: text on PostgreSQL), or null. */
export function lastTotpStepOf(row: UserMfaRow): number | null {
  if (row.totpLastStep === null) return null;
  const step = Number(row.totpLastStep);
  assert(Number.isSafeInteger(step) && step >= 0);
  return step;
}

/**
 * Records that the factors of `record` changed (invariant 2).
 *
 * @param ctx - the server's context.
 * @param record - the account's record.
 * @param transaction - the database transaction that changed the factor.
 */
export async function recordFactorChange(
  ctx: AppContext,
  record: { id: number; userId: number },
  transaction: Transaction,
): Promise<void> {
  const { UserMfa, TrustedDevice } = mfaModels(ctx.sequelize);
  await UserMfa.update(
    { factorVersion: ctx.sequelize.literal('factor_version + 1'), updatedAt: ctx.clock.now() },
    { where: { id: record.id }, transaction },
  );
  await TrustedDevice.destroy({ where: { userId: record.userId }, transaction });
}
