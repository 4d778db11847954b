/**
 * @module
 * Sessions over HTTP: the `ab_session` cookie, the middleware that loads the session for each
 * request, and the guards that decide who may call a route.
 *
 * Guarantees:
 *  1. The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure when the request came over
 *     https or `PUBLIC_ORIGIN` is https. It carries only the random token; the database keeps
 *     its SHA-256 (`server/auth/sessions.ts`).
 *  2. A cookie that opens no valid session (expired, logged out, account disabled) counts as no
 *     session, and the response tells the browser to drop it.
 *  3. A pending session (second factor due) reaches only {@link pendingSessionReachablePaths};
 *     everything else answers 403 `/mfa-required`, whether or not its route declares access.
 *
 * Handlers read the session with {@link currentSession} or {@link requireCurrentSession}; the
 * value lives in Hono's `c.var` under `currentSession`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import assert from 'node:assert/strict';
import type { Config } from '../config.ts';
import { mfaRequiredProblem } from '../auth/problems.ts';
import { resolveCurrentSession, type CurrentSession } from '../auth/service.ts';
import { activateSession, sessionLifetimeMs } from '../auth/sessions.ts';
import type { RouteAccess } from './api-router.ts';
import type { AppEnv } from './env.ts';
import { forbiddenProblem, unauthenticatedProblem } from './problem.ts';

export type { CurrentSession } from '../auth/service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's session, set by {@link loadSession}; read it with {@link currentSession}. */
    currentSession?: CurrentSession | null;
  }
}

/** Name of the session cookie (also in the OpenAPI document's security scheme). */
export const sessionCookieName = 'ab_session';

/**
 * Paths a pending session may reach: MFA verification, its own description, and enrolment
 * (for an account that must enrol before anything else; the MFA service refuses enrolment to
 * a pending session of an account that has a method, so a password alone never adds a factor).
 */
export const pendingSessionReachablePaths: readonly string[] = [
  '/api/auth/me',
  '/api/auth/logout',
  '/api/mfa/status',
  '/api/mfa/challenge',
  '/api/mfa/verify',
  '/api/mfa/totp/setup',
  '/api/mfa/totp/confirm',
  '/api/mfa/sms/setup',
  '/api/mfa/sms/confirm',
  '/api/mfa/email/setup',
  '/api/mfa/email/confirm',
  '/api/mfa/outbox',
];

/**
 * Loads the session the request's cookie opens into `c.var.currentSession` (null if none).
 * Mount it after CSRF and body limits and before any route.
 *
 * @returns the middleware.
 * @example api.use('*', loadSession());
 */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async function loadSessionHandler(c, next) {
    const token = presentedSessionToken(c);
    const current = token === null ? null : await resolveCurrentSession(c.var.ctx, token);
    c.set('currentSession', current);
    await next();
    // Told after the handler, so it also reaches error responses; a handler that set a new
    // cookie (login) has already replaced it.
    if (token !== null && current === null && !setsSessionCookie(c.res)) {
      clearSessionCookie(c);
    }
  };
}

/**
 * Refuses a pending session anywhere but {@link pendingSessionReachablePaths}: 403
 * `/mfa-required`. Mount it right after {@link loadSession}, before every route, so a route
 * that forgets to declare its access is still closed to a half-signed-in caller.
 *
 * @param reachablePaths - paths a pending session may reach; default
 *   {@link pendingSessionReachablePaths}.
 * @returns the middleware.
 * @example api.use('*', confinePendingSessions());
 */
export function confinePendingSessions(
  reachablePaths: readonly string[] = pendingSessionReachablePaths,
): MiddlewareHandler<AppEnv> {
  const reachable = new Set(reachablePaths);
  return async function confinePendingSessionsHandler(c, next) {
    const current = currentSession(c);
    if (current?.session.state === 'pending' && !reachable.has(c.req.path)) {
      throw mfaRequiredProblem();
    }
    await next();
  };
}

/** The request's session; null without one. Requires {@link loadSession} upstream. */
export function currentSession(c: Context): CurrentSession | null {
  const current = c.get('currentSession');
  assert(current !== undefined, 'loadSession() must run before anything reads the session');
  return current;
}

/** The request's session, or a 401 problem; for handlers behind an access guard. */
export function requireCurrentSession(c: Context): CurrentSession {
  const current = currentSession(c);
  if (current === null) throw unauthenticatedProblem();
  return current;
}

/**
 * Checks that the request's session may call a route declared with `access`:
 * `public` anyone; `pending-session` any session; `session` an active one; `admin` an active
 * one holding the role `Admin`. Fails with 401 without a session, 403 `/mfa-required` for a
 * pending one, 403 `/forbidden` without the role.
 *
 * @param access - the route's declared access.
 * @returns the middleware.
 * @example api.post('/mfa/policies/:id', requireAccess('admin'), handler);
 */
export function requireAccess(access: RouteAccess): MiddlewareHandler<AppEnv> {
  return async function requireAccessHandler(c, next) {
    checkAccess(currentSession(c), access);
    await next();
  };
}

/** {@link requireAccess} for `session`: an active session. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return requireAccess('session');
}

/**
 * An active session whose user holds `role`; 403 `/forbidden` otherwise.
 *
 * @param role - a role name, e.g. `Admin`.
 * @returns the middleware.
 * @example api.get('/audit', requireRole('Admin'), handler);
 */
export function requireRole(role: string): MiddlewareHandler<AppEnv> {
  return async function requireRoleHandler(c, next) {
    const current = currentSession(c);
    checkAccess(current, 'session');
    if (!current?.user.roles.includes(role)) throw forbiddenProblem(`This needs the role ${role}.`);
    await next();
  };
}

function checkAccess(current: CurrentSession | null, access: RouteAccess): void {
  if (access === 'public') return;
  if (current === null) throw unauthenticatedProblem();
  if (access === 'pending-session') return;
  if (current.session.state === 'pending') throw mfaRequiredProblem();
  if (access === 'admin' && !current.user.roles.includes('Admin')) {
    throw forbiddenProblem('This needs the role Admin.');
  }
}

/** The session token the request's cookie holds, or null. */
export function presentedSessionToken(c: Context): string | null {
  return getCookie(c, sessionCookieName) ?? null;
}

/**
 * Puts `token` in the session cookie of the response.
 *
 * @param c - the request's context; its URL and `ctx.config` decide `Secure`.
 * @param token - the token from `createSession` or `activateSession`.
 */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, sessionCookieName, token, {
    ...cookieAttributes(c),
    // The browser drops it when the server would refuse it anyway.
    maxAge: Math.floor(sessionLifetimeMs / 1000),
  });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, sessionCookieName, cookieAttributes(c));
}

/**
 * Turns the pending session of this request into an active one with a new token and sets
 * the new cookie: call it when a second factor has been verified.
 *
 * @param c - the request's context; `loadSession` has run.
 * @returns the new current session.
 * @throws ProblemError 401 when the request has no session (or it ended meanwhile).
 */
export async function activateCurrentSession(c: Context<AppEnv>): Promise<CurrentSession> {
  const current = requireCurrentSession(c);
  const issued = await activateSession(c.var.ctx, current.session.idHash);
  if (issued === null) throw unauthenticatedProblem('The session ended. Sign in again.');
  setSessionCookie(c, issued.token);
  const activated: CurrentSession = { session: issued.session, user: current.user };
  c.set('currentSession', activated);
  return activated;
}

function cookieAttributes(c: Context<AppEnv>) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isSecureRequest(c.req.url, c.var.ctx.config),
  } as const;
}

/** Whether cookies of this request must be `Secure`: it came over https, or the site is https. */
export function isSecureRequest(url: string, config: Pick<Config, 'publicOrigin'>): boolean {
  return new URL(url).protocol === 'https:' || config.publicOrigin?.startsWith('https:') === true;
}

function setsSessionCookie(response: Response): boolean {
  const prefix = `${sessionCookieName}=`;
  return response.headers.getSetCookie().some((cookie) => cookie.startsWith(prefix));
}
