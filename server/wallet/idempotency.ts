/**
 * @module
 * Exactly-once for posting endpoints: the `Idempotency-Key` header.
 *
 * The first request with a key claims it; its response (success or 4xx failure) is stored
 * with a SHA-256 of the canonical request, and every later request with that key gets the
 * stored response again with `Idempotent-Replayed: true`. The key is kept at least
 * {@link idempotencyKeyTtlMs} by the context's clock.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/idempotency.test.ts.
 *  1. A key (per scope) has one request hash and at most one response, for its lifetime.
 *  2. A success's response is stored in the same database transaction as the work it reports,
 *     so a crash can never leave work done with the key still open (and done twice later).
 *  3. The same key with another request: 409 `idempotency-key-reused`, nothing done.
 *  4. The same key while its first request runs: 409 `idempotency-in-progress` with
 *     `Retry-After: 1`, nothing done. A claim whose process died expires after
 *     {@link idempotencyClaimTtlMs} and may then be taken over; the first holder then loses its
 *     claim and its work rolls back.
 *  5. A 5xx is not stored (it says nothing about the request); the key is released so a retry
 *     runs the work again.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError, problemTypePrefix, validationProblem } from '../http/problem.ts';
import { canonicalJson } from './canonical-json.ts';
import { isUniqueViolation } from './database-errors.ts';
import { walletModels, type IdempotencyKeyAttributes, type JsonValue } from './models.ts';
import { writeTransaction } from './write-transaction.ts';

/** How long a key and its response are kept: at least 24 hours. */
export const idempotencyKeyTtlMs = 24 * 60 * 60 * 1000;

/** How long a claim holds before another request may take the key over. */
export const idempotencyClaimTtlMs = 60 * 1000;

/** Longest key accepted, in characters (the column's width). */
export const idempotencyKeyLengthMax = 255;

/** Largest stored response body, as JSON, in characters; responses are built small. */
export const idempotencyResponseLengthMax = 256 * 1024;

/** Rounds of claim, read and retry before giving up with 409 in-progress. */
export const idempotencyClaimAttemptsMax = 3;

/** Most expired keys deleted by one purge. */
export const idempotencyPurgeRowsMax = 1000;

/** The response header that marks a replay. */
export const replayedHeader = 'Idempotent-Replayed';

/** Printable ASCII without spaces: what a key may hold. */
const isKeyRe = /^[\x21-\x7e]+$/;

/** One request that carries an `Idempotency-Key`. */
export interface IdempotentRequest {
  /** Whose keys these are; see {@link userIdempotencyScope}. */
  scope: string;
  /** The user the key belongs to, if any; the key goes when the user goes. */
  userId: number | null;
  /** The header's value. */
  key: string;
  method: string;
  /** The request path; one key on two paths is a reused key. */
  path: string;
  /** The parsed request body (or any JSON value that identifies the request). */
  body: unknown;
}

/** A response as the work builds it. */
export interface IdempotentResponse {
  status: number;
  body: JsonValue;
  headers?: Record<string, string>;
}

/** A response as the route sends it. */
export interface IdempotentOutcome {
  status: number;
  body: JsonValue;
  headers: Record<string, string>;
  /** True when this is the stored response of an earlier request. */
  replayed: boolean;
}

/** The scope of a user's keys. */
export function userIdempotencyScope(userId: number): string {
  assert(Number.isSafeInteger(userId), 'a user id is an integer');
  assert(userId > 0, 'a user id is positive');
  return `user:${userId}`;
}

/**
 * Runs `work` at most once per key and answers every request with the key alike.
 *
 * @param ctx - the context; its clock dates the key.
 * @param request - the key and what identifies the request.
 * @param work - does the work inside the given database transaction (pass it to the service
 *   as `{transaction}`) and builds the response; a ProblemError it throws is the response.
 * @returns the response, fresh or replayed.
 * @throws the work's ProblemError on the first request, a replayed one later (with
 *   `Idempotent-Replayed: true`), 400 for a malformed key, 409 `idempotency-key-reused`,
 *   409 `idempotency-in-progress`.
 * @example
 * const outcome = await runIdempotent(ctx, { scope, userId, key, method, path, body },
 *   async (transaction) => {
 *     const posting = await postTransaction(ctx, actor, input, { transaction });
 *     return { status: 201, body: transactionView(posting.transaction) };
 *   });
 * return c.json(outcome.body, outcome.status, outcome.headers);
 */
export async function runIdempotent(
  ctx: AppContext,
  request: IdempotentRequest,
  work: (databaseTransaction: Transaction) => Promise<IdempotentResponse>,
): Promise<IdempotentOutcome> {
  checkKey(request.key);
  const requestHash = hashRequest(request);
  const claim = await claimKey(ctx, request, requestHash);
  if (claim.kind === 'replay') return replay(claim.row);
  try {
    return await writeTransaction(ctx, async (databaseTransaction) => {
      const response = await work(databaseTransaction);
      await completeKey(ctx, databaseTransaction, claim.id, claim.token, response);
      return { ...response, headers: response.headers ?? {}, replayed: false };
    });
  } catch (error) {
    if (error instanceof ProblemError && error.slug === 'idempotency-in-progress') throw error;
    if (error instanceof ProblemError && error.status < 500) {
      const failure = { status: error.status, body: failureBody(error), headers: error.headers };
      await writeTransaction(ctx, (databaseTransaction) =>
        completeKey(ctx, databaseTransaction, claim.id, claim.token, failure));
      throw error;
    }
    await releaseKey(ctx, claim.id, claim.token);
    throw error;
  }
}

/**
 * Deletes keys past their lifetime, at most {@link idempotencyPurgeRowsMax} per call.
 *
 * @returns how many were deleted.
 */
export async function purgeExpiredIdempotencyKeys(ctx: AppContext): Promise<number> {
  const deleted = await ctx.sequelize.query(
    `DELETE FROM ab_idempotency_keys WHERE id IN
       (SELECT id FROM ab_idempotency_keys WHERE expires_at <= :now ORDER BY id LIMIT :limit)`,
    {
      replacements: { now: ctx.clock.now(), limit: idempotencyPurgeRowsMax },
      type: QueryTypes.BULKDELETE,
    },
  );
  assert(typeof deleted === 'number', 'a delete reports its count');
  return deleted;
}

/** SHA-256 of the canonical request: method, path and body. */
export function hashRequest(request: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string {
  const material = canonicalJson({
    method: request.method.toUpperCase(),
    path: request.path,
    body: request.body ?? null,
  });
  return createHash('sha256').update(material).digest('hex');
}

function checkKey(key: unknown): void {
  const valid = typeof key === 'string' && key.length >= 1 &&
    key.length <= idempotencyKeyLengthMax && isKeyRe.test(key);
  if (!valid) {
    throw validationProblem([{ path: 'headers.Idempotency-Key',
      message: `must be 1 to ${idempotencyKeyLengthMax} visible ASCII characters.` }]);
  }
}

type Claim =
  | { kind: 'claimed'; id: number; token: string }
  | { kind: 'replay'; row: IdempotencyKeyAttributes };

async function claimKey(
  ctx: AppContext,
  request: IdempotentRequest,
  requestHash: string,
): Promise<Claim> {
  const { IdempotencyKey } = walletModels(ctx.sequelize);
  const where = { scope: request.scope, idempotencyKey: request.key };
  for (let attempt = 0; attempt < idempotencyClaimAttemptsMax; attempt += 1) {
    const now = ctx.clock.now();
    const existing = await IdempotencyKey.findOne({ where });
    if (!existing) {
      const token = randomUUID();
      try {
        const row = await IdempotencyKey.create({
          ...where, userId: request.userId, requestHash, status: 'in-progress',
          claimToken: token, claimExpiresAt: new Date(now.getTime() + idempotencyClaimTtlMs),
          responseStatus: null, responseBody: null, responseHeaders: null, createdAt: now,
          completedAt: null, expiresAt: new Date(now.getTime() + idempotencyKeyTtlMs),
        });
        return { kind: 'claimed', id: row.id, token };
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    if (existing.expiresAt <= now) {
      await IdempotencyKey.destroy({ where: { id: existing.id, expiresAt: { [Op.lte]: now } } });
      continue;
    }
    if (existing.requestHash !== requestHash) throw keyReusedProblem();
    if (existing.status === 'done') return { kind: 'replay', row: existing.get({ plain: true }) };
    const claimExpiresAt = existing.claimExpiresAt;
    assert(claimExpiresAt, 'an in-progress key has a claim');
    if (claimExpiresAt > now) throw inProgressProblem();
    // The first request's process died or stalled: take the key over.
    const token = randomUUID();
    const [taken] = await IdempotencyKey.update(
      { claimToken: token, claimExpiresAt: new Date(now.getTime() + idempotencyClaimTtlMs) },
      { where: { id: existing.id, status: 'in-progress', claimToken: existing.claimToken } },
    );
    if (taken === 1) return { kind: 'claimed', id: existing.id, token };
  }
  throw inProgressProblem();
}

async function completeKey(
  ctx: AppContext,
  databaseTransaction: Transaction,
  id: number,
  token: string,
  response: IdempotentResponse,
): Promise<void> {
  assert(Number.isInteger(response.status), 'a status is an integer');
  assert(response.status >= 100, 'a status is at least 100');
  assert(response.status <= 599, 'a status is at most 599');
  const body = JSON.stringify(response.body);
  assert(body.length <= idempotencyResponseLengthMax, 'an idempotent response is too large');
  const { IdempotencyKey } = walletModels(ctx.sequelize);
  const [completed] = await IdempotencyKey.update(
    {
      status: 'done', claimToken: null, claimExpiresAt: null, responseStatus: response.status,
      responseBody: body, responseHeaders: JSON.stringify(response.headers ?? {}),
      completedAt: ctx.clock.now(),
    },
    { where: { id, status: 'in-progress', claimToken: token }, transaction: databaseTransaction },
  );
  // Another request took the key over after our claim expired: its result counts, not ours.
  if (completed !== 1) throw inProgressProblem();
}

async function releaseKey(ctx: AppContext, id: number, token: string): Promise<void> {
  const { IdempotencyKey } = walletModels(ctx.sequelize);
  await IdempotencyKey.destroy({ where: { id, status: 'in-progress', claimToken: token } });
}

function replay(row: IdempotencyKeyAttributes): IdempotentOutcome {
  assert.equal(row.status, 'done');
  assert(row.responseStatus !== null, 'a done key has a status');
  assert(row.responseBody !== null, 'a done key has a body');
  const body = JSON.parse(row.responseBody) as JsonValue;
  const stored = JSON.parse(row.responseHeaders ?? '{}') as Record<string, string>;
  const headers = { ...stored, [replayedHeader]: 'true' };
  if (row.responseStatus < 400) {
    return { status: row.responseStatus, body, headers, replayed: true };
  }
  assert(typeof body === 'object' && body !== null, 'a stored problem is an object');
  assert(!Array.isArray(body), 'a stored problem is not an array');
  const { type, title, status, detail, instance: _instance, ...extensions } = body;
  assert(typeof type === 'string', 'a stored problem has a type');
  assert(type.startsWith(problemTypePrefix), 'a stored problem type has the prefix');
  assert(typeof title === 'string', 'a stored problem has a title');
  assert(status === row.responseStatus, 'a stored problem has the stored status');
  throw new ProblemError(row.responseStatus, type.slice(problemTypePrefix.length), title,
    typeof detail === 'string' ? detail : undefined, { extensions, headers });
}

function failureBody(error: ProblemError): JsonValue {
  return JSON.parse(JSON.stringify(error.toBody())) as JsonValue;
}

function keyReusedProblem(): ProblemError {
  return new ProblemError(409, 'idempotency-key-reused', 'Idempotency key reused.',
    'This Idempotency-Key was used with a different request; use a new key for a new request.');
}

function inProgressProblem(): ProblemError {
  return new ProblemError(409, 'idempotency-in-progress', 'Request in progress.',
    'The first request with this Idempotency-Key is still running; retry shortly.',
    { headers: { 'Retry-After': '1' } });
}
