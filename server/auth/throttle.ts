/**
 * @module
 * Login throttling: failed logins counted per username and per client address in
 * `ab_rate_limit`, which every server process shares.
 *
 * Rules:
 *  1. Each login attempt is counted under `login:user:<username, lower-cased>` and
 *     `login:ip:<address>` *before* the password is checked. Counting first means a burst of
 *     parallel attempts cannot all slip past the limit while their counts are in flight.
 *  2. A count covers a window of {@link loginFailureWindowMs} from its first attempt. The
 *     attempt that takes a count past its limit ({@link loginFailuresPerUsernameMax},
 *     {@link loginFailuresPerAddressMax}) starts a block of one window; while blocked, every
 *     attempt answers 429 with `Retry-After` and no password is checked. Attempts during a
 *     block do not lengthen it.
 *  3. A successful login takes its own attempt back: it deletes the username's count and
 *     subtracts one from the address's, so a count is made of failures only.
 *  4. Unknown usernames are counted exactly like known ones, so the throttle says nothing
 *     about which accounts exist.
 *
 * Each attempt is added by one UPDATE ... RETURNING whose arithmetic happens in the database
 * (after an INSERT ... ON CONFLICT DO NOTHING makes sure the row exists). One statement is
 * atomic on both databases, so N parallel attempts see N distinct counts, 1..N.
 */
import assert from 'node:assert/strict';
import { Op, QueryTypes } from 'sequelize';
import type { AppContext } from '../context.ts';
import { tooManyRequestsProblem } from '../http/problem.ts';
import { authModels, normalizeLogin } from './models.ts';

/** How long one count of failed logins lasts, and how long a block lasts. */
export const loginFailureWindowMs = 15 * 60 * 1000;

/** Failed logins per username per window before that username is blocked. */
export const loginFailuresPerUsernameMax = 5;

/** Failed logins per client address per window before that address is blocked. */
export const loginFailuresPerAddressMax = 20;

/** The two counts one login attempt was entered in; hand it back on success. */
export interface LoginAttempt {
  usernameKey: string;
  addressKey: string;
  /** The address count's window, so the refund lands in the window that was charged. */
  addressWindowStartedAt: Date;
}

/** One count after an attempt was added to it. */
interface CountAfterAttempt {
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

/** The `ab_rate_limit` key counting logins as `username`. */
export function usernameThrottleKey(username: string): string {
  return `login:user:${normalizeLogin(username)}`;
}

/** The `ab_rate_limit` key counting logins from `address` (null: address unknown). */
export function addressThrottleKey(address: string | null): string {
  return `login:ip:${address ?? 'unknown'}`;
}

/**
 * Counts a login attempt for `username` from `address`, or refuses it.
 *
 * @param ctx - the server's context; the window is read on its clock.
 * @param input - the username as typed and the client's address (null when unknown).
 * @returns the attempt, to pass to {@link forgiveLoginAttempt} if the password is right.
 * @throws ProblemError 429 with `Retry-After` when either count is past its limit.
 */
export async function beginLoginAttempt(
  ctx: AppContext,
  input: { username: string; address: string | null },
): Promise<LoginAttempt> {
  const usernameKey = usernameThrottleKey(input.username);
  const addressKey = addressThrottleKey(input.address);
  // One after the other, each in its own statement: no attempt ever locks two counts at once.
  const byUsername = await countAttempt(ctx, usernameKey, loginFailuresPerUsernameMax);
  const byAddress = await countAttempt(ctx, addressKey, loginFailuresPerAddressMax);
  const nowMs = ctx.clock.now().getTime();
  const blockedUntilMs = Math.max(
    blockEnd(byUsername, loginFailuresPerUsernameMax),
    blockEnd(byAddress, loginFailuresPerAddressMax),
  );
  if (blockedUntilMs > 0) {
    throw tooManyRequestsProblem(
      Math.max(0, blockedUntilMs - nowMs),
      'Too many failed sign-ins. Wait before trying again.',
    );
  }
  return { usernameKey, addressKey, addressWindowStartedAt: byAddress.windowStartedAt };
}

/**
 * Takes back a successful attempt: resets the username's count and removes the attempt from
 * the address's.
 */
export async function forgiveLoginAttempt(ctx: AppContext, attempt: LoginAttempt): Promise<void> {
  const { RateLimit } = authModels(ctx.sequelize);
  const { sequelize } = ctx;
  await RateLimit.destroy({ where: { key: attempt.usernameKey } });
  await RateLimit.update(
    { failures: sequelize.literal('failures - 1') },
    {
      where: {
        key: attempt.addressKey,
        windowStartedAt: attempt.addressWindowStartedAt,
        failures: { [Op.gt]: 0 },
      },
    },
  );
}

/**
 * Deletes login counts whose window and block have both run out: they would restart at the
 * next attempt anyway. For a periodic job, so `ab_rate_limit` does not grow with every address.
 *
 * @returns how many counts were deleted.
 */
export async function purgeLoginCounts(ctx: AppContext): Promise<number> {
  const { RateLimit } = authModels(ctx.sequelize);
  const now = ctx.clock.now();
  return RateLimit.destroy({
    where: {
      key: { [Op.like]: 'login:%' },
      windowStartedAt: { [Op.lte]: new Date(now.getTime() - loginFailureWindowMs) },
      [Op.or]: [{ blockedUntil: null }, { blockedUntil: { [Op.lte]: now } }],
    },
  });
}

/** 0 when `count` is within `max`; otherwise the block's end in epoch milliseconds. */
function blockEnd(count: CountAfterAttempt, max: number): number {
  if (count.failures <= max) return 0;
  assert(count.blockedUntil !== null, 'a count past its limit carries its block');
  return count.blockedUntil.getTime();
}

/**
 * The window restarts when it has run out and no block is still running. The expressions read
 * the row as it was before this statement (SQL evaluates every SET against the old row).
 */
const windowRestartsSql = `(window_started_at <= :windowOpenedBefore
  AND (blocked_until IS NULL OR blocked_until <= :now))`;

/** Makes sure the count exists; a no-op when it does. */
const ensureCountSql = `INSERT INTO ab_rate_limit
  ("key", failures, window_started_at, blocked_until)
VALUES (:key, 0, :now, NULL)
ON CONFLICT ("key") DO NOTHING`;

/** Adds one attempt to the count and reads it back, in one atomic statement. */
const addAttemptSql = `UPDATE ab_rate_limit SET
  failures = CASE WHEN ${windowRestartsSql} THEN 1 ELSE failures + 1 END,
  window_started_at = CASE WHEN ${windowRestartsSql} THEN :now ELSE window_started_at END,
  blocked_until = CASE WHEN ${windowRestartsSql} THEN NULL
    WHEN failures + 1 > :max THEN COALESCE(blocked_until, :blockEndsAt)
    ELSE NULL END
WHERE "key" = :key
RETURNING failures, window_started_at AS "windowStartedAt", blocked_until AS "blockedUntil"`;

/** Tries to add an attempt; a count deleted in between (a success elsewhere) is made again. */
const countAttemptTriesMax = 3;

interface CountRow {
  failures: number | string;
  windowStartedAt: Date | string;
  blockedUntil: Date | string | null;
}

async function countAttempt(ctx: AppContext, key: string, max: number): Promise<CountAfterAttempt> {
  assert(Number.isInteger(max));
  assert(max >= 1);
  const now = ctx.clock.now();
  const replacements = {
    key,
    now,
    max,
    windowOpenedBefore: new Date(now.getTime() - loginFailureWindowMs),
    blockEndsAt: new Date(now.getTime() + loginFailureWindowMs),
  };
  // No database transaction: the UPDATE is atomic on its own, and on SQLite a transaction
  // would take a connection of its own and wait for the write lock on a worker thread.
  for (let tries = 1; tries <= countAttemptTriesMax; tries += 1) {
    await ctx.sequelize.query(ensureCountSql, { type: QueryTypes.INSERT, replacements });
    // SELECT as the type, so Sequelize hands back the RETURNING rows on SQLite too.
    const rows = await ctx.sequelize.query<CountRow>(addAttemptSql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    const row = rows[0];
    if (row === undefined) continue;
    assert.equal(rows.length, 1);
    const count = {
      failures: Number(row.failures),
      windowStartedAt: asDate(row.windowStartedAt),
      blockedUntil: row.blockedUntil === null ? null : asDate(row.blockedUntil),
    };
    assert(Number.isInteger(count.failures));
    assert(count.failures >= 1);
    return count;
  }
  assert.fail(`the count ${key} vanished ${countAttemptTriesMax} times in a row`);
}

/** A timestamp as the driver returns it: a Date (PostgreSQL) or Sequelize's text (SQLite). */
function asDate(value: Date | string): Date {
  const date = value instanceof Date ? value : new Date(value);
  assert(!Number.isNaN(date.getTime()), `unreadable timestamp ${String(value)}`);
  return date;
}
