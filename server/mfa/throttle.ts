/**
 * @module
 * Counts in fixed windows, kept in `ab_rate_limit` (shared by every server process) under keys
 * that start with `mfa:`: verification attempts per address, codes sent per user, destination
 * and address per day, and the resend cooldown.
 *
 * Rules:
 *  1. A charge is counted *before* the thing it pays for happens, by one UPDATE ... RETURNING
 *     whose arithmetic runs in the database, so N parallel requests see N distinct counts and
 *     no burst slips past a limit.
 *  2. A window lasts `windowMs` from its first charge; the first charge after it has run out
 *     starts a new one at 1. A charge that takes the count past `countMax` is refused, with the
 *     time left in the window as its `Retry-After`. Refused charges still count, so hammering
 *     does not help.
 *  3. A refund (a successful verification takes back its attempt) lands only in the window it
 *     was charged to, and never takes a count below 0.
 *
 * The per-user lock on wrong codes is another rule with other storage: see `lockout.ts`.
 */
import assert from 'node:assert/strict';
import { Op, QueryTypes } from 'sequelize';
import { authModels } from '../auth/models.ts';
import type { AppContext } from '../context.ts';

/** One limited count. */
export interface WindowedLimit {
  /** The `ab_rate_limit` key, starting `mfa:`. */
  key: string;
  /** Charges allowed per window. */
  countMax: number;
  /** Length of a window. */
  windowMs: number;
}

/** The count after a charge. */
export interface WindowCharge {
  allowed: boolean;
  count: number;
  windowStartedAt: Date;
  /** 0 when allowed; otherwise how long until the window ends. */
  retryAfterMs: number;
}

/** The longest window any MFA count uses; older counts are purged. */
export const mfaCountWindowMsMax = 24 * 60 * 60 * 1000;

const ensureCountSql = `INSERT INTO ab_rate_limit
  ("key", failures, window_started_at, blocked_until)
VALUES (:key, 0, :now, NULL)
ON CONFLICT ("key") DO NOTHING`;

const chargeSql = `UPDATE ab_rate_limit SET
  failures = CASE WHEN window_started_at <= :windowOpenedBefore THEN 1 ELSE failures + 1 END,
  window_started_at = CASE WHEN window_started_at <= :windowOpenedBefore THEN :now
    ELSE window_started_at END
WHERE "key" = :key
RETURNING failures, window_started_at AS "windowStartedAt"`;

interface ChargeRow {
  failures: number | string;
  windowStartedAt: Date | string;
}

/** Tries to charge; a count deleted in between (a purge) is made again. */
const chargeTriesMax = 3;

/**
 * Adds one to the count of `limit.key` (rule 1) and says whether that stays within the limit.
 *
 * @param ctx - the server's context; windows are read on its clock.
 * @param limit - the key, its limit and its window.
 * @returns the count after this charge and whether it is allowed.
 */
export async function chargeWindow(ctx: AppContext, limit: WindowedLimit): Promise<WindowCharge> {
  assert(limit.key.startsWith('mfa:'), 'MFA counts live under mfa: keys');
  assert(Number.isInteger(limit.countMax) && limit.countMax >= 1);
  assert(limit.windowMs > 0 && limit.windowMs <= mfaCountWindowMsMax);
  const now = ctx.clock.now();
  const replacements = {
    key: limit.key,
    now,
    windowOpenedBefore: new Date(now.getTime() - limit.windowMs),
  };
  for (let tries = 1; tries <= chargeTriesMax; tries += 1) {
    await ctx.sequelize.query(ensureCountSql, { type: QueryTypes.INSERT, replacements });
    // SELECT as the type, so Sequelize hands back the RETURNING rows on SQLite too.
    const rows = await ctx.sequelize.query<ChargeRow>(chargeSql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    const row = rows[0];
    if (row === undefined) continue;
    const count = Number(row.failures);
    const windowStartedAt = asDate(row.windowStartedAt);
    assert(Number.isInteger(count) && count >= 1);
    const endsMs = windowStartedAt.getTime() + limit.windowMs;
    const allowed = count <= limit.countMax;
    return {
      allowed,
      count,
      windowStartedAt,
      retryAfterMs: allowed ? 0 : Math.max(0, endsMs - now.getTime()),
    };
  }
  assert.fail(`the count ${limit.key} vanished ${chargeTriesMax} times in a row`);
}

/** Takes back one charge of `key` made in the window that started at `windowStartedAt`. */
export async function refundWindow(
  ctx: AppContext,
  key: string,
  windowStartedAt: Date,
): Promise<void> {
  const { RateLimit } = authModels(ctx.sequelize);
  await RateLimit.update(
    { failures: ctx.sequelize.literal('failures - 1') },
    { where: { key, windowStartedAt, failures: { [Op.gt]: 0 } } },
  );
}

/**
 * Deletes MFA counts whose longest possible window has run out. For a periodic job.
 *
 * @returns how many counts were deleted.
 */
export async function purgeMfaCounts(ctx: AppContext): Promise<number> {
  const { RateLimit } = authModels(ctx.sequelize);
  const openedBefore = new Date(ctx.clock.now().getTime() - mfaCountWindowMsMax);
  return RateLimit.destroy({
    where: { key: { [Op.like]: 'mfa:%' }, windowStartedAt: { [Op.lte]: openedBefore } },
  });
}

/** A timestamp as the driver returns it: a Date (PostgreSQL) or Sequelize's text (SQLite). */
export function asDate(value: Date | string): Date {
  const date = value instanceof Date ? value : new Date(value);
  assert(!Number.isNaN(date.getTime()), `unreadable timestamp ${String(value)}`);
  return date;
}
