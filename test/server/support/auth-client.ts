/**
 * @module
 * What a client of the auth API does, for server tests: send JSON, register, sign in, carry
 * the session cookie, and read what came back. Requests go through `app.request()`; no port.
 */
import { jsonOf } from './http.ts';
import type { TestServer } from './test-context.ts';

/** A user as the API shows it. */
export interface UserJson {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: string[];
}

/** Options of one request. */
export interface RequestOptions {
  /** Extra headers (`cookie`, `origin`, ...). */
  headers?: Record<string, string>;
  /** The client's IP address, as `@hono/node-server` would report the socket's peer. */
  ip?: string;
}

/** Sends `init` to `path`, from `options.ip` when given. */
export function send(
  server: TestServer,
  path: string,
  init: RequestInit,
  options: RequestOptions = {},
): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string> | undefined), ...options.headers };
  const env = options.ip ? { incoming: { socket: { remoteAddress: options.ip } } } : undefined;
  return Promise.resolve(server.app.request(path, { ...init, headers }, env));
}

/** POSTs `body` as JSON to `path`. */
export function postJson(
  server: TestServer,
  path: string,
  body: unknown,
  options: RequestOptions = {},
): Promise<Response> {
  return send(
    server,
    path,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    options,
  );
}

/** GETs `path`, sending `cookie` when given. */
export function get(server: TestServer, path: string, cookie?: string | null): Promise<Response> {
  return send(server, path, { method: 'GET' }, { headers: cookie ? { cookie } : {} });
}

/** Registration fields; each call gets a fresh username and email unless given. */
export interface Registration {
  username: string;
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

let registrationsMade = 0;

/** A valid registration with unique username and email, changed by `overrides`. */
export function aRegistration(overrides: Partial<Registration> = {}): Registration {
  registrationsMade += 1;
  return {
    username: `user${registrationsMade}`,
    email: `user${registrationsMade}@example.com`,
    password: 'correct horse battery',
    ...overrides,
  };
}

/** Registers `registration` and fails loudly unless the server answers 201. */
export async function registered(
  server: TestServer,
  registration: Registration,
): Promise<UserJson> {
  const response = await postJson(server, '/api/auth/register', registration);
  if (response.status !== 201) {
    throw new Error(`register answered ${response.status}: ${await response.text()}`);
  }
  return ((await jsonOf(response)) as { user: UserJson }).user;
}

/** Signs in; returns the response and the `ab_session=...` pair to send back (null if none). */
export async function logIn(
  server: TestServer,
  credentials: { username: string; password: string },
  options: RequestOptions = {},
): Promise<{ response: Response; cookie: string | null }> {
  const { username, password } = credentials;
  const response = await postJson(server, '/api/auth/login', { username, password }, options);
  return { response, cookie: sessionCookieOf(response) };
}

/** Registers a fresh user and signs them in; fails loudly unless both succeed. */
export async function signedInUser(
  server: TestServer,
  overrides: Partial<Registration> = {},
): Promise<{ user: UserJson; registration: Registration; cookie: string }> {
  const registration = aRegistration(overrides);
  const user = await registered(server, registration);
  const { response, cookie } = await logIn(server, registration);
  if (response.status !== 200 || cookie === null) {
    throw new Error(`login answered ${response.status}: ${await response.text()}`);
  }
  return { user, registration, cookie };
}

/** The `Set-Cookie` line for the session cookie, or undefined. */
export function sessionSetCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith('ab_session='));
}

/** The `ab_session=<token>` pair a browser would send back, or null when none (or cleared). */
export function sessionCookieOf(response: Response): string | null {
  const line = sessionSetCookie(response);
  const pair = line?.split(';')[0];
  return pair && pair !== 'ab_session=' ? pair : null;
}

/** The token inside an `ab_session=<token>` pair. */
export function tokenOf(cookie: string): string {
  return cookie.slice('ab_session='.length);
}

/** Rows in `table`, to prove a refused request changed nothing. */
export async function countRows(server: TestServer, table: string): Promise<number> {
  const [rows] = await server.ctx.sequelize.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number((rows as { n: number | string }[])[0]?.n);
}

/** Row counts of every auth table. */
export async function authRowCounts(server: TestServer): Promise<Record<string, number>> {
  const tables = ['ab_user', 'ab_user_role', 'ab_session', 'ab_rate_limit'];
  const counts = await Promise.all(tables.map((table) => countRows(server, table)));
  return Object.fromEntries(tables.map((table, index) => [table, counts[index] ?? -1]));
}
