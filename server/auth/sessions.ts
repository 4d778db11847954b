/**
 * @module
 * Server-side sessions in `ab_session`: what a session cookie's token stands for.
 *
 * Invariants:
 *  1. A token is {@link sessionTokenBytes} random bytes. Only its SHA-256 (hex) is stored, so a
 *     copy of the database holds no usable session.
 *  2. A session is valid while `now < expiresAt` (absolute, {@link sessionLifetimeMs} after
 *     login) and `now < lastSeenAt + sessionIdleMs` (idle). An expired session is deleted when
 *     it is presented, and the caller sees no session at all.
 *  3. A session's state is `active`, or `pending` (password accepted, second factor due). A
 *     pending session becomes active only through {@link activateSession}, which also issues a
 *     new token: a raise in privilege always gets a fresh id.
 *  4. Every login issues a new token ({@link createSession}); a token presented at login is
 *     deleted, so a token planted in a victim's browser never becomes a signed-in session.
 *  5. Time is the context clock's; `lastSeenAt` moves at most once per
 *     {@link sessionTouchIntervalMs} and never backwards.
 *
 * No function here opens a database transaction: each step is one statement whose outcome
 * (rows deleted, rows updated) decides the next, and on SQLite a transaction would take its own
 * connection and wait for the write lock on one of libuv's few worker threads.
 *
 * This module holds storage and rules and never sees Hono; `server/http/session.ts` carries
 * tokens to and from the cookie.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { authModels, type SessionRow } from './models.ts';

/** Random bytes in a session token (256 bits). */
export const sessionTokenBytes = 32;

/** A session unused this long has expired. */
export const sessionIdleMs = 30 * 60 * 1000;

/** A session this old has expired, however busy it is. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** `lastSeenAt` is written at most this often per session, to spare the database. */
export const sessionTouchIntervalMs = 60 * 1000;

/** Longest user agent kept (the `ab_session.user_agent` column). */
export const sessionUserAgentLengthMax = 512;

/** Where a session stands. */
export type SessionState = 'active' | 'pending';

/** A session as the rest of the server sees it. */
export interface SessionRecord {
  /** SHA-256 hex of the token; the row's key. */
  idHash: string;
  userId: number;
  state: SessionState;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end; the idle end is `lastSeenAt + sessionIdleMs`. */
  expiresAt: Date;
  /** When a second factor was passed in this session; null if never. */
  mfaVerifiedAt: Date | null;
}

/** A session and the token that opens it; the token is shown once, to go into the cookie. */
export interface IssuedSession {
  token: string;
  session: SessionRecord;
}

/** What a new session records about where it came from. */
export interface SessionOrigin {
  /** The client's address, or null when unknown. */
  ip: string | null;
  /** The `User-Agent` header, or null. */
  userAgent: string | null;
}

/** A token as it appears in a cookie: 32 bytes in base64url, no padding. */
const isSessionTokenRe = /^[A-Za-z0-9_-]{43}$/;

/** The SHA-256 hex of `token`, the session's key in `ab_session`. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Opens a new session for `userId` and returns its token.
 *
 * @param ctx - the server's context; the session starts at `ctx.clock.now()`.
 * @param input - the user, the state (`pending` when a second factor is due), where the
 *   request came from, and `replacingToken`: a token the client presented, deleted here.
 * @returns the new token and session.
 * @example
 * const { token } = await createSession(ctx, { userId, state: 'active', ip, userAgent,
 *   replacingToken: null });
 */
export async function createSession(
  ctx: AppContext,
  input: SessionOrigin & { userId: number; state: SessionState; replacingToken: string | null },
): Promise<IssuedSession> {
  assert(Number.isInteger(input.userId));
  assert(input.userId > 0);
  const now = ctx.clock.now();
  // Deleted first: if the insert then fails, the client is signed out, never left in the old one.
  if (input.replacingToken !== null) await deleteSession(ctx, input.replacingToken);
  return insertSession(ctx, {
    userId: input.userId,
    state: input.state,
    createdAt: now,
    expiresAt: new Date(now.getTime() + sessionLifetimeMs),
    mfaVerifiedAt: null,
    ip: input.ip,
    userAgent: input.userAgent,
  });
}

/**
 * The valid session `token` opens, or null. An expired session is deleted on the way.
 * A valid one has its `lastSeenAt` moved to now when it is older than the touch interval.
 *
 * @param ctx - the server's context.
 * @param token - the cookie's value, as sent; anything not shaped like a token is null.
 */
export async function resolveSession(
  ctx: AppContext,
  token: string,
): Promise<SessionRecord | null> {
  if (!isSessionTokenRe.test(token)) return null;
  const { Session } = authModels(ctx.sequelize);
  const row = await Session.findByPk(hashSessionToken(token));
  if (!row) return null;
  const session = toRecord(row);
  const now = ctx.clock.now();
  if (now.getTime() >= sessionEndsAt(session).getTime()) {
    await Session.destroy({ where: { idHash: session.idHash } });
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= sessionTouchIntervalMs) {
    // Conditional, so two requests at once cannot move lastSeenAt backwards.
    await Session.update(
      { lastSeenAt: now },
      { where: { idHash: session.idHash, lastSeenAt: { [Op.lt]: now } } },
    );
    session.lastSeenAt = now;
  }
  return session;
}

/** When `session` expires if left alone: the earlier of the idle and the absolute end. */
export function sessionEndsAt(session: Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>): Date {
  const idleEndsMs = session.lastSeenAt.getTime() + sessionIdleMs;
  return new Date(Math.min(idleEndsMs, session.expiresAt.getTime()));
}

/**
 * Deletes the session `token` opens, if any (logout). Unknown tokens are fine.
 *
 * @returns whether a session was deleted.
 */
export async function deleteSession(
  ctx: AppContext,
  token: string,
  transaction?: Transaction,
): Promise<boolean> {
  const { Session } = authModels(ctx.sequelize);
  const idHash = hashSessionToken(token);
  const deleted = await Session.destroy({ where: { idHash }, transaction });
  return deleted > 0;
}

/**
 * Deletes every session of `userId` but the one keyed `exceptIdHash` (after a password change,
 * or when an account is disabled).
 *
 * @returns how many sessions were deleted.
 */
export async function deleteSessionsOfUser(
  ctx: AppContext,
  userId: number,
  exceptIdHash: string | null = null,
): Promise<number> {
  const { Session } = authModels(ctx.sequelize);
  const where = exceptIdHash === null ? { userId } : { userId, idHash: { [Op.ne]: exceptIdHash } };
  return Session.destroy({ where });
}

/**
 * Deletes every session that has expired by now. Expired sessions are also deleted when they
 * are presented; this catches the ones never presented again. For a periodic job.
 *
 * @returns how many sessions were deleted.
 */
export async function purgeExpiredSessions(ctx: AppContext): Promise<number> {
  const { Session } = authModels(ctx.sequelize);
  const nowMs = ctx.clock.now().getTime();
  return Session.destroy({
    where: {
      [Op.or]: [
        { expiresAt: { [Op.lte]: new Date(nowMs) } },
        { lastSeenAt: { [Op.lte]: new Date(nowMs - sessionIdleMs) } },
      ],
    },
  });
}

/**
 * Marks the second factor passed: replaces the session keyed `idHash` by an `active` one with a
 * new token, `mfaVerifiedAt` now, and the same absolute end. For MFA verification.
 *
 * @param ctx - the server's context.
 * @param idHash - the current session's key (`SessionRecord.idHash`).
 * @returns the new token and session, or null when the session no longer exists.
 */
export async function activateSession(
  ctx: AppContext,
  idHash: string,
): Promise<IssuedSession | null> {
  const { Session } = authModels(ctx.sequelize);
  const row = await Session.findByPk(idHash);
  if (!row) return null;
  const previous = toRecord(row);
  // The delete is the claim: of two verifications at once only the one that deleted the row
  // goes on, so one pending session never turns into two active ones.
  const deleted = await Session.destroy({ where: { idHash } });
  if (deleted === 0) return null;
  return insertSession(ctx, {
    userId: previous.userId,
    state: 'active',
    createdAt: previous.createdAt,
    expiresAt: previous.expiresAt,
    mfaVerifiedAt: ctx.clock.now(),
    ip: row.ip,
    userAgent: row.userAgent,
  });
}

async function insertSession(
  ctx: AppContext,
  fields: Omit<SessionRecord, 'idHash' | 'lastSeenAt'> & SessionOrigin,
): Promise<IssuedSession> {
  const { Session } = authModels(ctx.sequelize);
  const token = randomBytes(sessionTokenBytes).toString('base64url');
  assert(isSessionTokenRe.test(token));
  const row = await Session.create(
    {
      ...fields,
      idHash: hashSessionToken(token),
      lastSeenAt: ctx.clock.now(),
      userAgent: fields.userAgent?.slice(0, sessionUserAgentLengthMax) ?? null,
    },
  );
  return { token, session: toRecord(row) };
}

function toRecord(row: SessionRow): SessionRecord {
  assert(row.state === 'active' || row.state === 'pending', `unknown session state ${row.state}`);
  return {
    idHash: row.idHash,
    userId: row.userId,
    state: row.state,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    mfaVerifiedAt: row.mfaVerifiedAt,
  };
}
