/**
 * @module
 * The verification history (`ab_mfa_verifications`): every code attempt, every sign-in by a
 * remembered device and every Admin unlock or reset, with its outcome and where it came from.
 *
 * Invariants:
 *  1. A row never holds a code, a secret or a destination; `reason` is one of a few fixed words.
 *  2. Rows are only ever added, never changed; they go when the account goes.
 *  3. The user agent is cut to {@link userAgentLengthMax} characters.
 */
import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { AppContext } from '../context.ts';
import { mfaModels, type VerificationRow } from './models.ts';
import type { VerificationView } from './schemas.ts';

/** Longest user agent kept. */
export const userAgentLengthMax = 512;

/** Methods a history row may name. */
export type HistoryMethod = 'totp' | 'sms' | 'email' | 'backup' | 'device' | 'admin';

/** Why a row was written. */
export type VerificationPurpose = 'sign-in' | 'step-up' | 'enrolment' | 'unlock' | 'reset';

/** How it ended. */
export type VerificationOutcome = 'success' | 'failure' | 'refused';

/** Why it ended so; fixed words only (invariant 1). */
export type VerificationReason =
  | 'wrong-code'
  | 'reused-code'
  | 'expired-code'
  | 'locked'
  | 'throttled'
  | 'remembered-device'
  | 'by-admin';

/** One row to write. */
export interface VerificationEntry {
  userId: number;
  method: HistoryMethod;
  purpose: VerificationPurpose;
  outcome: VerificationOutcome;
  reason?: VerificationReason | null;
  sessionIdHash?: string | null;
  actorUserId?: number | null;
  ip: string | null;
  userAgent: string | null;
}

/** Writes one history row and a log line that carries no code. */
export async function recordVerification(ctx: AppContext, entry: VerificationEntry): Promise<void> {
  const { Verification } = mfaModels(ctx.sequelize);
  await Verification.create({
    userId: entry.userId,
    method: entry.method,
    purpose: entry.purpose,
    outcome: entry.outcome,
    reason: entry.reason ?? null,
    sessionIdHash: entry.sessionIdHash ?? null,
    actorUserId: entry.actorUserId ?? null,
    ip: entry.ip,
    userAgent: entry.userAgent?.slice(0, userAgentLengthMax) ?? null,
    createdAt: ctx.clock.now(),
  });
  ctx.logger.info('mfa verification', {
    userId: entry.userId,
    method: entry.method,
    purpose: entry.purpose,
    outcome: entry.outcome,
    reason: entry.reason ?? null,
  });
}

/** `row` as the API shows it. */
export function verificationView(row: VerificationRow): VerificationView {
  return {
    id: row.id,
    method: row.method as VerificationView['method'],
    purpose: row.purpose as VerificationView['purpose'],
    outcome: row.outcome as VerificationView['outcome'],
    reason: row.reason,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The history of `userId`, newest first, `limit` rows older than row `beforeId`. */
export async function listVerifications(
  ctx: AppContext,
  userId: number,
  page: { limit: number; beforeId: number | null },
): Promise<{ rows: VerificationRow[]; more: boolean }> {
  assert(page.limit >= 1);
  const { Verification } = mfaModels(ctx.sequelize);
  const rows = await Verification.findAll({
    where: { userId, ...(page.beforeId === null ? {} : { id: { [Op.lt]: page.beforeId } }) },
    order: [['id', 'DESC']],
    limit: page.limit + 1,
  });
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}

/** When each method of `userId` last verified successfully. */
export async function lastSuccessByMethod(
  ctx: AppContext,
  userId: number,
): Promise<Map<string, Date>> {
  const { Verification } = mfaModels(ctx.sequelize);
  const rows = await Verification.findAll({
    attributes: ['method', [ctx.sequelize.fn('MAX', ctx.sequelize.col('created_at')), 'lastAt']],
    where: { userId, outcome: 'success', method: { [Op.in]: ['totp', 'sms', 'email', 'backup'] } },
    group: ['method'],
    raw: true,
  });
  const result = new Map<string, Date>();
  for (const row of rows as unknown as { method: string; lastAt: Date | string }[]) {
    result.set(row.method, row.lastAt instanceof Date ? row.lastAt : new Date(row.lastAt));
  }
  return result;
}

/** Whether the session keyed `sessionIdHash` was opened by a remembered device. */
export async function openedByRememberedDevice(
  ctx: AppContext,
  sessionIdHash: string,
): Promise<boolean> {
  const { Verification } = mfaModels(ctx.sequelize);
  const count = await Verification.count({
    where: { sessionIdHash, method: 'device', outcome: 'success' },
  });
  return count > 0;
}
