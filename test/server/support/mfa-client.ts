/**
 * @module
 * What a client of the MFA API does, for server tests: enrol, compute authenticator codes on
 * the test clock, verify (following the rotated session cookie), read the development outbox,
 * make Admins and set policies. Codes are computed with otplib directly, not through the
 * server's own `totp.ts`, so a test of the server does not grade its own homework.
 */
import { createHash } from 'node:crypto';
import { generate } from 'otplib';
import { QueryTypes } from 'sequelize';
import { grantRole } from '../../../server/auth/users.ts';
import { readOutbox, type OutboxMessage } from '../../../server/mfa/outbox.ts';
import { savePolicy } from '../../../server/mfa/policies.ts';
import { policyBodySchema, type PolicyBody } from '../../../server/mfa/schemas.ts';
import {
  logIn,
  postJson,
  send,
  sessionCookieOf,
  signedInUser,
  type UserJson,
} from './auth-client.ts';
import { jsonOf } from './http.ts';
import type { TestServer } from './test-context.ts';

/** TOTP parameters as the tests name them. */
export interface TotpChoice {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: 6 | 8;
  periodSeconds: 30 | 60;
}

export const defaultTotp: TotpChoice = { algorithm: 'SHA1', digits: 6, periodSeconds: 30 };

/** The code an authenticator app shows `offsetSteps` steps from the test clock's now. */
export function authenticatorCode(
  server: TestServer,
  secret: string,
  offsetSteps = 0,
  choice: TotpChoice = defaultTotp,
): Promise<string> {
  const epoch =
    Math.floor(server.clock.now().getTime() / 1000) + offsetSteps * choice.periodSeconds;
  return generate({
    secret,
    epoch,
    algorithm: choice.algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
    digits: choice.digits,
    period: choice.periodSeconds,
  });
}

/** Moves the clock to the start of the next TOTP step, so a fresh code exists. */
export function nextStep(server: TestServer, periodSeconds = 30): void {
  const nowMs = server.clock.now().getTime();
  const periodMs = periodSeconds * 1000;
  server.clock.set(new Date((Math.floor(nowMs / periodMs) + 1) * periodMs));
}

/**
 * The client address a request with `cookie` comes from: one per session, derived from its
 * token, so the per-address limits of one test's attempts do not spill into another's.
 */
export function addressOf(cookie: string | null): string {
  const digest = createHash('sha256')
    .update(cookie ?? 'anonymous')
    .digest();
  return `10.${digest[0]}.${digest[1]}.${digest[2]}`;
}

/** Sends JSON with `method` to `path` with `cookie`, from the session's own address. */
export function sendJson(
  server: TestServer,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
  ip: string = addressOf(cookie),
): Promise<Response> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  return send(server, path, init, { ip });
}

/** The session cookie a response set, or `previous` when it set none. */
export function followCookie(response: Response, previous: string): string {
  return sessionCookieOf(response) ?? previous;
}

/** A signed-in account with TOTP enrolled, its secret, backup codes and current cookie. */
export interface EnrolledUser {
  user: UserJson;
  registration: { username: string; password: string };
  cookie: string;
  secret: string;
  backupCodes: string[];
}

/** Starts and confirms a TOTP enrolment for the session `cookie`; fails loudly otherwise. */
export async function enrolTotp(
  server: TestServer,
  cookie: string,
  choice: TotpChoice = defaultTotp,
): Promise<{ cookie: string; secret: string; backupCodes: string[] }> {
  const query = new URLSearchParams({
    algorithm: choice.algorithm,
    digits: String(choice.digits),
    periodSeconds: String(choice.periodSeconds),
  });
  const setup = await sendJson(server, 'POST', `/api/mfa/totp/setup?${query}`, cookie);
  if (setup.status !== 200)
    throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const { secret } = (await jsonOf(setup)) as { secret: string };
  const code = await authenticatorCode(server, secret, 0, choice);
  const confirm = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
  if (confirm.status !== 200) {
    throw new Error(`confirm answered ${confirm.status}: ${await confirm.text()}`);
  }
  const { backupCodes } = (await jsonOf(confirm)) as { backupCodes: string[] };
  return { cookie: followCookie(confirm, cookie), secret, backupCodes };
}

/** Registers, signs in and enrols TOTP; the clock then moves to the next step. */
export async function enrolledUser(
  server: TestServer,
  choice: TotpChoice = defaultTotp,
): Promise<EnrolledUser> {
  const { user, registration, cookie } = await signedInUser(server);
  const enrolled = await enrolTotp(server, cookie, choice);
  nextStep(server, choice.periodSeconds);
  return { user, registration, ...enrolled };
}

/** Signs in again; answers the response, its body and the new cookie. */
export async function signInAgain(
  server: TestServer,
  registration: { username: string; password: string },
  headers: Record<string, string> = {},
  // `any` like `jsonOf`: the test's assertions are what check the body's shape.
  // biome-ignore lint: deliberate any, see above
): Promise<{ response: Response; body: any; cookie: string }> {
  const { response, cookie } = await logIn(server, registration, { headers });
  if (cookie === null)
    throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return { response, body: await jsonOf(response), cookie };
}

/** `POST /api/mfa/verify`; answers the response and the cookie to use afterwards. */
export async function verify(
  server: TestServer,
  cookie: string,
  body: { method: string; code: string; rememberDevice?: boolean },
  headers: Record<string, string> = {},
  ip: string = addressOf(cookie),
): Promise<{ response: Response; cookie: string }> {
  const response = await sendJson(server, 'POST', '/api/mfa/verify', cookie, body, headers, ip);
  return { response, cookie: followCookie(response, cookie) };
}

/** Verifies with the current TOTP code; fails loudly unless it is accepted. */
export async function stepUp(server: TestServer, cookie: string, secret: string): Promise<string> {
  nextStep(server);
  const code = await authenticatorCode(server, secret);
  const { response, cookie: next } = await verify(server, cookie, { method: 'totp', code });
  if (response.status !== 200) throw new Error(`verify answered ${response.status}`);
  return next;
}

/** Messages the development outbox kept for `userId`, newest first. */
export async function outboxOf(server: TestServer, userId: number): Promise<OutboxMessage[]> {
  const { messages } = await readOutbox(server.ctx, userId, { limit: 100, beforeId: null });
  return messages;
}

/** The code in the newest outbox message for `userId` on `channel`. */
export async function lastCodeSent(
  server: TestServer,
  userId: number,
  channel: 'sms' | 'email',
): Promise<string> {
  const message = (await outboxOf(server, userId)).find((kept) => kept.channel === channel);
  const code = message?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no ${channel} code in the outbox of user ${userId}`);
  return code;
}

/** Makes `userId` an Admin (as ADMIN_USER would at start). */
export async function makeAdmin(server: TestServer, userId: number): Promise<void> {
  await grantRole(server.ctx, userId, 'Admin');
}

/** Replaces the seeded `Default` policy (id 1) with `changes` over its seeded values. */
export async function setDefaultPolicy(
  server: TestServer,
  changes: Partial<PolicyBody>,
): Promise<void> {
  const body = policyBodySchema.parse({
    name: 'Default',
    enforcement: 'optional',
    allowedMethods: ['totp'],
    rememberDeviceDays: 30,
    ...changes,
  });
  await savePolicy(server.ctx, 1, body);
}

/** Every row of every table as one JSON text, to search for what must not be stored. */
export async function databaseText(server: TestServer): Promise<string> {
  const tables = (await server.ctx.sequelize.getQueryInterface().showAllTables()).map(String);
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await server.ctx.sequelize.query(`SELECT * FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    parts.push(`${table}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

/** Registers and signs in; returns the user and cookie (re-exported for one import). */
export { postJson, signedInUser };
