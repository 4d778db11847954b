/**
 * @module
 * Wrong codes, per account: consecutive failures, an escalating delay between attempts, and a
 * lock after the policy's maximum. Kept in `ab_user_mfa`, so every server process sees them.
 *
 * Rules. Each is tested in test/server/mfa/lockout.test.ts.
 *  1. Every code attempt is *claimed* before its code is checked, by one conditional UPDATE
 *     that adds one to `consecutive_failures`. Parallel attempts therefore get distinct counts,
 *     and at most `maxFailedAttempts` codes are ever checked per lock, however many requests
 *     arrive at once.
 *  2. The claim that brings the count to the maximum also sets `locked_until`; that attempt is
 *     still checked, and every later one is refused with 423 until the lock ends, even with the
 *     right code. The count never exceeds the maximum.
 *  3. Only a success resets the count ({@link recordSuccess}); a lock running out does not, so
 *     after a lock each further wrong code locks again at once. An Admin unlock resets it too.
 *  4. After `n` failures the next claim waits {@link failureDelayMs}(n) from the last failure
 *     (1 s, 2 s, 4 s, ... up to {@link failureDelayMsMax}); earlier it is refused with 429 and
 *     `Retry-After`.
 *  5. The maximum never exceeds {@link failedAttemptsMaxLimit} whatever the policy says.
 */
import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { AppContext } from '../context.ts';
import { tooManyRequestsProblem } from '../http/problem.ts';
import { mfaModels } from './models.ts';
import type { MfaPolicy } from './policies.ts';
import { mfaLockedProblem } from './problems.ts';
import { failedAttemptsMaxLimit } from './schemas.ts';
import { asDate } from './throttle.ts';

/** The wait after the first failure; it doubles with each further one. */
export const failureDelayMsBase = 1000;

/** The longest wait between attempts. */
export const failureDelayMsMax = 30_000;

/** A claimed attempt: check the code, then report the outcome. */
export interface AttemptClaim {
  /** Failures counted, this attempt included. */
  failures: number;
  /**
   * The lock's end after this claim: in the future when this claim locked the account (its
   * attempt is the last before the lock); null or past otherwise (an old, expired lock).
   */
  lockedUntil: Date | null;
  /** The policy's maximum when the claim was made. */
  failuresMax: number;
}

/** The wait before the next attempt after `failures` consecutive failures (rule 4). */
export function failureDelayMs(failures: number): number {
  assert(Number.isInteger(failures) && failures >= 0);
  if (failures === 0) return 0;
  return Math.min(failureDelayMsBase * 2 ** Math.min(failures - 1, 16), failureDelayMsMax);
}

/** Attempts left after `claim` failed. */
export function attemptsLeftAfter(claim: AttemptClaim): number {
  return Math.max(0, claim.failuresMax - claim.failures);
}

/** `CASE consecutive_failures WHEN 1 THEN :before1 ... END`: when the last failure must be. */
function delayThresholdSql(): string {
  const branches = Array.from(
    { length: failedAttemptsMaxLimit },
    (_, index) => `WHEN ${index + 1} THEN :before${index + 1}`,
  );
  // ELSE the column itself: no wait at 0 failures, and the CASE takes the column's type (a
  // CASE of bare literals would be text on PostgreSQL, which a timestamp cannot compare to).
  return `CASE consecutive_failures ${branches.join(' ')} ELSE last_failure_at END`;
}

const claimSql = `UPDATE ab_user_mfa SET
  consecutive_failures = CASE WHEN consecutive_failures >= :failuresMax THEN :failuresMax
    ELSE consecutive_failures + 1 END,
  locked_until = CASE WHEN consecutive_failures + 1 >= :failuresMax THEN :lockEndsAt
    ELSE locked_until END,
  updated_at = :now
WHERE id = :id
  AND (locked_until IS NULL OR locked_until <= :now)
  AND (last_failure_at IS NULL OR last_failure_at <= ${delayThresholdSql()})
RETURNING consecutive_failures AS "failures", locked_until AS "lockedUntil"`;

interface ClaimRow {
  failures: number | string;
  lockedUntil: Date | string | null;
}

/** Claims lost to a concurrent change before giving up with a short 429. */
const claimTriesMax = 3;

/**
 * Claims one code attempt for the record `userMfaId` under `policy` (rules 1, 2 and 4).
 *
 * @throws ProblemError 423 `/mfa-locked` while locked; 429 with `Retry-After` too soon after
 *   a failure.
 */
export async function claimAttempt(
  ctx: AppContext,
  userMfaId: number,
  policy: MfaPolicy,
): Promise<AttemptClaim> {
  const failuresMax = Math.min(policy.maxFailedAttempts, failedAttemptsMaxLimit);
  assert(failuresMax >= 1);
  const now = ctx.clock.now();
  const replacements: Record<string, unknown> = {
    id: userMfaId,
    now,
    failuresMax,
    lockEndsAt: new Date(now.getTime() + policy.lockoutMinutes * 60_000),
  };
  for (let failures = 1; failures <= failedAttemptsMaxLimit; failures += 1) {
    replacements[`before${failures}`] = new Date(now.getTime() - failureDelayMs(failures));
  }
  for (let tries = 1; tries <= claimTriesMax; tries += 1) {
    const rows = await ctx.sequelize.query<ClaimRow>(claimSql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    const row = rows[0];
    if (row !== undefined) {
      const claim = {
        failures: Number(row.failures),
        lockedUntil: row.lockedUntil === null ? null : asDate(row.lockedUntil),
        failuresMax,
      };
      assert(claim.failures >= 1 && claim.failures <= failuresMax, 'rule 2: at most the max');
      return claim;
    }
    await refuseClaim(ctx, userMfaId, now);
  }
  throw tooManyRequestsProblem(1000, 'Another attempt is being checked. Try again.');
}

/** Throws why a claim was refused; returns when the row no longer refuses (a race). */
async function refuseClaim(ctx: AppContext, userMfaId: number, now: Date): Promise<void> {
  const { UserMfa } = mfaModels(ctx.sequelize);
  const row = await UserMfa.findByPk(userMfaId);
  assert(row !== null, 'the MFA record of a claim exists');
  if (row.lockedUntil !== null && row.lockedUntil.getTime() > now.getTime()) {
    throw mfaLockedProblem(row.lockedUntil, now);
  }
  if (row.lastFailureAt !== null) {
    const nextMs = row.lastFailureAt.getTime() + failureDelayMs(row.consecutiveFailures);
    if (nextMs > now.getTime()) {
      throw tooManyRequestsProblem(
        nextMs - now.getTime(),
        'Too soon after a wrong code. Wait before trying again.',
      );
    }
  }
}

/** Marks the claimed attempt failed: the delay runs from now (rule 4). */
export async function recordFailure(ctx: AppContext, userMfaId: number): Promise<void> {
  const { UserMfa } = mfaModels(ctx.sequelize);
  const now = ctx.clock.now();
  await UserMfa.update({ lastFailureAt: now, updatedAt: now }, { where: { id: userMfaId } });
}

/** Marks the claimed attempt successful: the count, the delay and any lock end (rule 3). */
export async function recordSuccess(ctx: AppContext, userMfaId: number): Promise<void> {
  const { UserMfa } = mfaModels(ctx.sequelize);
  await UserMfa.update(
    { consecutiveFailures: 0, lastFailureAt: null, lockedUntil: null, updatedAt: ctx.clock.now() },
    { where: { id: userMfaId } },
  );
}

/** An Admin's unlock: the same reset as a success (rule 3). */
export const unlockAttempts = recordSuccess;

/** Whether the record is locked now, and until when. */
export function lockedUntilOf(row: { lockedUntil: Date | null } | null, now: Date): Date | null {
  if (row?.lockedUntil == null) return null;
  return row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : null;
}
