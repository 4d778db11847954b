/**
 * @module
 * What a client of the wallet API does, for the route tests: sign in (as a user or an Admin),
 * send JSON with the session cookie and an Idempotency-Key, and read what came back; plus row
 * counts and balances read straight from the database, to prove a refused request changed
 * nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { grantRole } from '../../../server/auth/users.ts';
import { logIn, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import type { TestServer } from '../support/test-context.ts';

/** A signed-in client. */
export interface Client {
  userId: number;
  cookie: string;
  /** To sign in again after the clock moved past the session's end. */
  credentials: { username: string; password: string };
}

/** An answer: status, parsed body (JSON or text) and headers. */
export interface Answer {
  status: number;
  // biome-ignore lint: deliberate any, as in support/http.ts: assertions check the shape.
  body: any;
  headers: Headers;
}

/** Registers and signs in a fresh user; an Admin when `admin` is set. */
export async function apiUser(server: TestServer, options: { admin?: boolean } = {}):
Promise<Client> {
  const { user, cookie, registration } = await signedInUser(server);
  if (options.admin) await grantRole(server.ctx, user.id, 'Admin');
  return { userId: user.id, cookie, credentials: registration };
}

/** Signs `client` in again (a session lasts hours; budget tests move the clock by weeks). */
export async function signInAgain(server: TestServer, client: Client): Promise<void> {
  const { response, cookie } = await logIn(server, client.credentials);
  assert.equal(response.status, 200);
  assert.ok(cookie);
  client.cookie = cookie;
}

/**
 * Sends a request as `client` (or anonymously with null) and reads the answer.
 *
 * @param body - sent as JSON unless a string (sent as is, with its own content type).
 */
export async function call(
  server: TestServer,
  client: Client | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...(client ? { cookie: client.cookie } : {}),
    ...(body === undefined || typeof body === 'string'
      ? {} : { 'content-type': 'application/json' }),
    ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await server.app.request(path, init);
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await jsonOf(response) : await response.text();
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A fresh Idempotency-Key header. */
export function freshKey(): Record<string, string> {
  return { 'Idempotency-Key': randomUUID() };
}

/** Opens a wallet through the API and returns its JSON; fails loudly unless 201. */
export async function openWallet(
  server: TestServer,
  client: Client,
  input: Record<string, unknown> = {},
  // biome-ignore lint: deliberate any, see Answer.
): Promise<any> {
  const answer = await call(server, client, 'POST', '/api/wallets',
    { name: `wallet ${randomUUID().slice(0, 8)}`, currency: 'EUR', ...input });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** Posts a transaction with a fresh key; fails loudly unless 201. */
export async function post(
  server: TestServer,
  client: Client,
  walletId: number,
  body: Record<string, unknown>,
  // biome-ignore lint: deliberate any, see Answer.
): Promise<any> {
  const answer = await call(server, client, 'POST', `/api/wallets/${walletId}/transactions`,
    body, freshKey());
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** Rows in each wallet table that a posting writes. */
export async function walletRowCounts(server: TestServer): Promise<Record<string, number>> {
  const tables = ['ab_user_wallets', 'ab_wallet_transactions', 'ab_wallet_transaction_tags',
    'ab_wallet_audits', 'ab_transaction_categories', 'ab_wallet_budgets',
    'ab_wallet_budget_periods', 'ab_wallet_import_previews'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const rows = await server.ctx.sequelize.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

/** A wallet's balance in minor units as stored, read past the API. */
export async function storedBalanceMinor(server: TestServer, walletId: number): Promise<bigint> {
  const rows = await server.ctx.sequelize.query<{ balance: unknown }>(
    'SELECT CAST(balance_minor AS TEXT) AS balance FROM ab_user_wallets WHERE id = :walletId',
    { replacements: { walletId }, type: QueryTypes.SELECT });
  return BigInt(String(rows[0]?.balance));
}

/** Asserts a problem+json answer of `status` whose type ends with `/slug`. */
export function assertProblem(answer: Answer, status: number, slug: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('content-type'), 'application/problem+json');
  assert.equal(answer.body.type, `/api/problems/${slug}`, JSON.stringify(answer.body));
  assert.equal(answer.body.status, status);
}
