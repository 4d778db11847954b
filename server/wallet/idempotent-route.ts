/**
 * @module
 * The HTTP side of exactly-once: reads the `Idempotency-Key` header, runs a route's work
 * through {@link runIdempotent}, and turns the outcome into a response.
 *
 * What a client sees (design.md, "Idempotency"):
 *  - no key where one is required: 400 naming `headers.Idempotency-Key`;
 *  - a replay after the first request finished: its status and body again, with
 *    `Idempotent-Replayed: true` (a stored failure is replayed as the same problem);
 *  - the key while its first request still runs: 409 `idempotency-in-progress`,
 *    `Retry-After: 1`;
 *  - the key with another body or path: 409 `idempotency-key-reused`.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Transaction } from 'sequelize';
import type { AppEnv } from '../http/env.ts';
import { validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import {
  idempotencyKeyLengthMax,
  runIdempotent,
  userIdempotencyScope,
  type IdempotentResponse,
} from './idempotency.ts';
import { writeTransaction } from './write-transaction.ts';

/** The request header that carries the key. */
export const idempotencyKeyHeader = 'Idempotency-Key';

/** How the header is documented on each route that reads it. */
export function idempotencyHeaderSpec(required: boolean) {
  return {
    [idempotencyKeyHeader]: {
      description: `A unique key per intended request, 1 to ${idempotencyKeyLengthMax} visible ` +
        'ASCII characters; a retry with the same key and body gets the first response again.',
      required,
    },
  };
}

/** The documented answers every idempotent route may give besides its own. */
export const idempotencyAnswers = {
  409: {
    description: '`/idempotency-key-reused` (the key came with another request) or ' +
      '`/idempotency-in-progress` (its first request still runs; retry after Retry-After).',
    headers: { 'Retry-After': 'Seconds to wait, for `/idempotency-in-progress`.' },
  },
} as const;

/** What {@link respondIdempotently} needs besides the work. */
export interface IdempotentRouteOptions {
  /** Whether a request without the header is refused (400) or run once without a key. */
  required: boolean;
  /** The parsed request body, hashed with the method and path to recognise a reused key. */
  body: unknown;
  /**
   * Runs after a fresh (not replayed) success committed; never changes the response. Budget
   * alerts are checked here, so a posting never waits on them inside its database transaction.
   */
  afterCommit?: () => Promise<void>;
}

/**
 * Runs `work` at most once per `Idempotency-Key` and answers with its response.
 *
 * @param c - the request's context.
 * @param actor - the caller; the key's scope is theirs alone.
 * @param options - whether the key is required, the body, and what to run after a commit.
 * @param work - the service call inside the given database transaction, and its response.
 * @returns the response to send, fresh or replayed.
 * @throws ProblemError 400 without a required key, 409 as above, or the work's problem.
 * @example
 * return respondIdempotently(c, actor, { required: true, body }, async (transaction) => ({
 *   status: 201,
 *   body: transactionView((await postTransaction(ctx, actor, input, { transaction }))
 *     .transaction),
 * }));
 */
export async function respondIdempotently(
  c: Context<AppEnv>,
  actor: Actor,
  options: IdempotentRouteOptions,
  work: (databaseTransaction: Transaction) => Promise<IdempotentResponse>,
): Promise<Response> {
  const { ctx } = c.var;
  const key = c.req.header(idempotencyKeyHeader);
  if (key === undefined && options.required) {
    throw validationProblem([{ path: `headers.${idempotencyKeyHeader}`,
      message: 'Required: send a unique key per request, and the same key on a retry.' }]);
  }
  const outcome = key === undefined
    ? { ...(await writeTransaction(ctx, work)), replayed: false }
    : await runIdempotent(ctx, {
      scope: userIdempotencyScope(actor.userId), userId: actor.userId, key,
      method: c.req.method, path: c.req.path, body: options.body ?? null,
    }, work);
  if (!outcome.replayed && outcome.status < 400 && options.afterCommit) {
    await options.afterCommit();
  }
  c.header('Cache-Control', 'no-store');
  return c.json(outcome.body, outcome.status as ContentfulStatusCode, outcome.headers ?? {});
}
