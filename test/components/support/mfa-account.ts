/**
 * @packageDocumentation
 * Accounts with a second factor, made through the real API the way a person would: register,
 * sign in, set up an authenticator app (codes from {@link TestAuthenticator}), sign out and in
 * again to a pending session. Also the Admin's policies (for SMS and email, which the default
 * policy does not allow) and the development outbox, where SMS and email codes land.
 *
 * Every call goes to same-origin `/api` with the page's cookies, so the session these helpers
 * leave behind is the one the element under test sees.
 */
import { testAdmin } from '../../support/test-admin.mjs';
import { TestAuthenticator } from './totp.ts';

/** A password that passes the server's rules. */
export const testPassword = 'correct horse battery';

/** A second factor the server can verify. */
export type TestMethod = 'totp' | 'sms' | 'email' | 'backup';

/** A registered account. */
export interface TestAccount {
  id: number;
  username: string;
  password: string;
}

/** An account with an authenticator app, its backup codes, and (once signed in) a session. */
export interface EnrolledAccount extends TestAccount {
  authenticator: TestAuthenticator;
  backupCodes: string[];
}

/** The answer of `POST /auth/login` and `GET /auth/me`. */
export interface TestSession {
  user: { id: number; username: string };
  mfa: { required: boolean; verified: boolean; methods: TestMethod[] };
}

let accountCount = 0;

/** Sends JSON to `/api{path}`; fails loudly unless the status is `expected`. */
export async function callApi<T>(
  method: string,
  path: string,
  body?: unknown,
  expected = 200,
): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${response.status}, not ${expected}: ${text}`);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Registers a new account with a unique name starting with `prefix`. */
export async function registerAccount(prefix: string): Promise<TestAccount> {
  accountCount += 1;
  const random = Math.random().toString(36).slice(2, 6);
  const username = `${prefix}-${Date.now().toString(36)}-${random}${accountCount}`;
  const body = { username, email: `${username}@example.com`, password: testPassword };
  const { user } = await callApi<{ user: { id: number } }>('POST', '/auth/register', body, 201);
  return { id: user.id, username, password: testPassword };
}

/** Signs in (the session cookie lands in the page). */
export function signIn(account: { username: string; password: string }): Promise<TestSession> {
  const credentials = { username: account.username, password: account.password };
  return callApi<TestSession>('POST', '/auth/login', credentials);
}

/** Ends whatever session the page has. */
export async function signOut(): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST' });
}

/**
 * Sets up an authenticator app for the signed-in account and confirms it with a code, which
 * counts as a verification. Returns the app and the backup codes the confirmation answered.
 */
export async function enrolTotp(
  digits: 6 | 8 = 6,
): Promise<{ authenticator: TestAuthenticator; backupCodes: string[] }> {
  const setup = await callApi<{ secret: string }>('POST', `/mfa/totp/setup?digits=${digits}`);
  const authenticator = new TestAuthenticator(setup.secret, { digits });
  const code = await authenticator.nextCode();
  const { backupCodes } = await callApi<{ backupCodes: string[] }>(
    'POST',
    '/mfa/totp/confirm',
    { code },
  );
  return { authenticator, backupCodes };
}

/** Registers, signs in and sets up an authenticator app; the session stays signed in. */
export async function enrolledAccount(prefix: string, digits: 6 | 8 = 6): Promise<EnrolledAccount> {
  const account = await registerAccount(prefix);
  await signIn(account);
  return { ...account, ...(await enrolTotp(digits)) };
}

/**
 * An enrolled account signed in again: password accepted, second factor due. The page's
 * session is the pending one.
 */
export async function pendingAccount(
  prefix: string,
  digits: 6 | 8 = 6,
): Promise<EnrolledAccount & { session: TestSession }> {
  const account = await enrolledAccount(prefix, digits);
  await signOut();
  const session = await signIn(account);
  if (!session.mfa.required || session.mfa.verified) {
    throw new Error(`expected a pending session, got ${JSON.stringify(session.mfa)}`);
  }
  return { ...account, session };
}

/** Uses (and removes from `account`) `count` backup codes, as verifications would. */
export async function useBackupCodes(account: EnrolledAccount, count: number): Promise<void> {
  for (const code of account.backupCodes.splice(0, count)) {
    await callApi('POST', '/mfa/verify', { method: 'backup', code });
  }
}

/**
 * An enrolled account signed in by a remembered device: its session is verified, but no
 * second factor was checked in it, so what needs a step-up (regenerating backup codes,
 * removing a method) asks for one. Uses one backup code to remember the device.
 */
export async function rememberedAccount(prefix: string): Promise<EnrolledAccount> {
  const account = await enrolledAccount(prefix);
  await signOut();
  await signIn(account);
  const code = account.backupCodes.shift()!;
  await callApi('POST', '/mfa/verify', { method: 'backup', code, rememberDevice: true });
  await signOut();
  const session = await signIn(account);
  if (!session.mfa.verified) throw new Error('the device was not remembered');
  return account;
}

/** The newest `channel` code the development outbox kept for the signed-in account. */
export async function lastCodeSent(channel: 'sms' | 'email'): Promise<string> {
  const page = await callApi<{ items: { channel: string; body: string }[] }>(
    'GET',
    '/mfa/outbox?limit=20',
  );
  const message = page.items.find((item) => item.channel === channel);
  const code = message?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no ${channel} code in the outbox: ${JSON.stringify(page.items)}`);
  return code;
}

/**
 * Sets up SMS or email for the signed-in account (the policy must allow it, and an enrolled
 * account needs a verification in the last 5 minutes): sends the code, reads it from the
 * outbox and confirms it. SMS goes to a phone number of its own (the server caps codes per
 * number per day). Returns the destination.
 *
 * The enrolment code starts the channel's resend cooldown (60 s): no sign-in code can be sent
 * on that channel before it ends.
 */
export async function enrolCodeMethod(channel: 'sms' | 'email'): Promise<string> {
  const phone = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const body = channel === 'sms' ? { phone } : {};
  await callApi('POST', `/mfa/${channel}/setup`, body);
  await callApi('POST', `/mfa/${channel}/confirm`, { code: await lastCodeSent(channel) });
  return channel === 'sms' ? phone : '';
}

/** The policy members a test sets; the rest take the server's defaults. */
export interface TestPolicy {
  name: string;
  priority?: number;
  roles?: string[];
  enforcement: 'required' | 'optional';
  allowedMethods: ('totp' | 'sms' | 'email')[];
  rememberDeviceDays?: number;
  maxFailedAttempts?: number;
}

/** Runs `work` signed in as the test servers' Admin, then signs out. */
export async function asAdmin<T>(work: () => Promise<T>): Promise<T> {
  await signOut();
  await signIn(testAdmin);
  try {
    return await work();
  } finally {
    await signOut();
  }
}

/**
 * Creates a policy as Admin and returns its id. Policies apply to every account of the
 * server, so a test removes its policy again with {@link removePolicy}.
 */
export function createPolicy(policy: TestPolicy): Promise<number> {
  return asAdmin(async () => {
    const saved = await callApi<{ id: number }>('POST', '/mfa/policies', policy, 201);
    return saved.id;
  });
}

/** Deletes the policy `id` as Admin. */
export function removePolicy(id: number): Promise<void> {
  return asAdmin(async () => {
    await callApi('DELETE', `/mfa/policies/${id}`);
  });
}
