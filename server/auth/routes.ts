/**
 * @module
 * `/api/auth/*`: register, log in, log out, describe the current session. Thin: each route
 * parses with the schemas in `schemas.ts`, calls `service.ts`, and moves the session token
 * between the service and the cookie.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { trustedDeviceTokenOf } from '../mfa/device-cookie.ts';
import {
  clearSessionCookie,
  presentedSessionToken,
  requireCurrentSession,
  setSessionCookie,
} from '../http/session.ts';
import { clientAddress } from './client-address.ts';
import {
  loginBodySchema,
  registerBodySchema,
  registeredSchema,
  sessionViewSchema,
} from './schemas.ts';
import { describeSession, logIn, logOut, registerUser } from './service.ts';

const tags = ['auth'];

const invalidBody = { description: 'The body is not valid; `errors` names each field.' };
const noSession = { description: 'No valid session.' };

/** Declares the auth routes on `router`. */
export function authRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account',
      description: 'Creates an account with the role User. It does not sign in.',
      tags,
      access: 'public',
      body: registerBodySchema,
      responses: {
        201: { description: 'The new account.', schema: registeredSchema },
        400: invalidBody,
        409: { description: 'The username or email is taken; `errors` names which.' },
      },
    },
    async (c, { body }) => {
      const user = await registerUser(c.var.ctx, body);
      return c.json({ user }, 201);
    },
  );

  router.route(
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in',
      description:
        'Checks the credentials and sets the session cookie. When `mfa.required` is true and ' +
        '`mfa.verified` false, the session reaches only MFA verification (or, with `methods` ' +
        'empty, enrolment) until verified. A browser remembered at a verification (cookie ' +
        '`ab_mfa_device`) signs in verified.',
      tags,
      access: 'public',
      body: loginBodySchema,
      responses: {
        200: {
          description: 'Signed in.',
          schema: sessionViewSchema,
          headers: { 'Set-Cookie': 'The session cookie `ab_session`.' },
        },
        400: invalidBody,
        401: { description: 'Wrong username or password (the same answer for every failure).' },
        429: {
          description: 'Too many failed sign-ins.',
          headers: { 'Retry-After': 'Seconds to wait.' },
        },
      },
    },
    async (c, { body }) => {
      const { ctx } = c.var;
      const result = await logIn(ctx, {
        ...body,
        ip: clientAddress(c, ctx.config),
        userAgent: c.req.header('user-agent') ?? null,
        presentedToken: presentedSessionToken(c),
        deviceToken: trustedDeviceTokenOf(c),
      });
      setSessionCookie(c, result.issued.token);
      c.header('Cache-Control', 'no-store');
      return c.json(result.view, 200);
    },
  );

  router.route(
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out',
      description: 'Ends the current session, if there is one, and clears the cookie.',
      tags,
      access: 'public',
      responses: { 204: { description: 'Signed out.' } },
    },
    async (c) => {
      const token = presentedSessionToken(c);
      if (token !== null) await logOut(c.var.ctx, token);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  router.route(
    {
      method: 'get',
      path: '/auth/me',
      summary: 'The current session',
      description: 'The signed-in user and where the session stands with the second factor.',
      tags,
      access: 'pending-session',
      responses: {
        200: { description: 'The session.', schema: sessionViewSchema },
        401: noSession,
      },
    },
    async (c) => {
      const { session, user } = requireCurrentSession(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await describeSession(c.var.ctx, user, session), 200);
    },
  );
}
