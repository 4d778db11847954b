/**
 * @module
 * Helpers for the wallet tests: users inserted straight into `ab_user` (the auth service is
 * not what these tests prove), actors, wallets, and an assertion for problem errors.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { AppContext } from '../../../server/context.ts';
import { ProblemError } from '../../../server/http/problem.ts';
import type { Actor } from '../../../server/wallet/actor.ts';
import type { WalletAttributes } from '../../../server/wallet/models.ts';
import { createWallet, type CreateWalletInput } from '../../../server/wallet/wallets.ts';

/** Inserts a user into `ab_user` and returns an actor for it. */
export async function createTestUser(
  ctx: AppContext,
  options: { isAdmin?: boolean; name?: string } = {},
): Promise<Actor> {
  const username = `${options.name ?? 'user'}_${randomBytes(4).toString('hex')}`;
  const now = ctx.clock.now();
  await ctx.sequelize.query(
    `INSERT INTO ab_user (username, email, first_name, last_name, password, active,
       login_count, fail_login_count, created_on, changed_on)
     VALUES (:username, :email, 'Test', 'User', 'not-a-hash', :active, 0, 0, :now, :now)`,
    { replacements: { username, email: `${username}@example.test`, active: true, now } },
  );
  const rows = await ctx.sequelize.query<{ id: unknown }>(
    'SELECT id FROM ab_user WHERE username = :username',
    { replacements: { username }, type: QueryTypes.SELECT },
  );
  const id = Number(rows[0]?.id);
  assert(Number.isSafeInteger(id) && id > 0);
  return { userId: id, isAdmin: options.isAdmin ?? false, ip: '203.0.113.7',
    userAgent: 'node:test' };
}

/** Opens a wallet for `actor`; name defaults to a fresh one. */
export async function openWallet(
  ctx: AppContext,
  actor: Actor,
  input: Partial<CreateWalletInput> = {},
): Promise<WalletAttributes> {
  return createWallet(ctx, actor, {
    name: `wallet ${randomBytes(3).toString('hex')}`,
    currency: 'EUR',
    ...input,
  });
}

/**
 * Awaits `promise` and asserts it failed with a ProblemError of `status` and `slug`.
 *
 * @returns the error, for further assertions.
 */
export async function rejectsWithProblem(
  promise: Promise<unknown>,
  status: number,
  slug: string,
): Promise<ProblemError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert(caught instanceof ProblemError, `expected a ProblemError ${slug}, got ${String(caught)}`);
  assert.equal(caught.slug, slug, caught.message);
  assert.equal(caught.status, status);
  return caught;
}

/** Asserts `action` throws a ProblemError of `status` and `slug` synchronously. */
export function throwsProblem(action: () => unknown, status: number, slug: string): ProblemError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert(caught instanceof ProblemError, `expected a ProblemError ${slug}, got ${String(caught)}`);
  assert.equal(caught.slug, slug, caught.message);
  assert.equal(caught.status, status);
  return caught;
}
