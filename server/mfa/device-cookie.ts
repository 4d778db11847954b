/**
 * @module
 * The remember-this-device cookie `ab_mfa_device`: HttpOnly, SameSite=Lax, Path=/api, Secure
 * when the session cookie is, and kept no longer than the device is remembered. It carries only
 * the random token; the database keeps its SHA-256 (`trusted-devices.ts`).
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../http/env.ts';
import { isSecureRequest } from '../http/session.ts';

/** Name of the cookie. */
export const trustedDeviceCookieName = 'ab_mfa_device';

function attributes(c: Context<AppEnv>) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/api',
    secure: isSecureRequest(c.req.url, c.var.ctx.config),
  } as const;
}

/** The device token the request carries, or null. */
export function trustedDeviceTokenOf(c: Context): string | null {
  return getCookie(c, trustedDeviceCookieName) ?? null;
}

/** Puts `token` in the cookie until `expiresAt`. */
export function setTrustedDeviceCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const nowMs = c.var.ctx.clock.now().getTime();
  setCookie(c, trustedDeviceCookieName, token, {
    ...attributes(c),
    maxAge: Math.max(1, Math.floor((expiresAt.getTime() - nowMs) / 1000)),
  });
}

/** Tells the browser to drop the cookie. */
export function clearTrustedDeviceCookie(c: Context<AppEnv>): void {
  deleteCookie(c, trustedDeviceCookieName, attributes(c));
}
