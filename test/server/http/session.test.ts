import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ensureAdmin } from '../../../server/auth/admin.ts';
import { createSession } from '../../../server/auth/sessions.ts';
import { ApiRouter, type RouteSpec } from '../../../server/http/api-router.ts';
import type { AppEnv } from '../../../server/http/env.ts';
import { ProblemError } from '../../../server/http/problem.ts';
import {
  activateCurrentSession,
  confinePendingSessions,
  currentSession,
  loadSession,
  requireRole,
  requireAccess,
  requireSession,
} from '../../../server/http/session.ts';
import { logIn, sessionCookieOf, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** A small API with one route per kind of access, on the test server's database. */
function guardedApp(server: TestServer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    if (!(error instanceof ProblemError)) throw error;
    return c.json(error.toBody(), error.status as 400);
  });
  app.use('*', async function provideContext(c, next) {
    c.set('ctx', server.ctx);
    await next();
  });
  app.use('*', loadSession());
  app.use('*', confinePendingSessions());
  const whoAmI = (c: Context<AppEnv>) =>
    c.json({ username: currentSession(c)?.user.username ?? null });
  app.get('/api/private', requireSession(), whoAmI);
  app.get('/api/audit', requireRole('Admin'), whoAmI);
  const router = new ApiRouter(app, requireAccess);
  for (const access of ['public', 'session', 'admin'] as const) {
    const spec = {
      method: 'post',
      path: `/api/declared/${access}`,
      summary: access,
      tags: ['test'],
      access,
      body: z.object({ n: z.number() }),
      responses: { 200: { description: 'ok' } },
    } satisfies RouteSpec;
    router.route(spec, (c) => whoAmI(c));
  }
  app.post('/api/mfa/verify', async (c) => {
    const activated = await activateCurrentSession(c);
    return c.json({ state: activated.session.state });
  });
  return app;
}

describe(`session guards on ${testDialect}`, () => {
  let server: TestServer;
  let app: Hono<AppEnv>;
  let userCookie: string;
  let adminCookie: string;
  let pendingCookie: string;
  before(async () => {
    server = await startTestServer();
    app = guardedApp(server);
    const user = await signedInUser(server);
    userCookie = user.cookie;
    await ensureAdmin(server.ctx, { username: 'boss', password: 'boss password 1' });
    const admin = await logIn(server, { username: 'boss', password: 'boss password 1' });
    adminCookie = admin.cookie ?? '';
    const { token } = await createSession(server.ctx, {
      userId: user.user.id,
      state: 'pending',
      ip: null,
      userAgent: null,
      replacingToken: null,
    });
    pendingCookie = `ab_session=${token}`;
  });
  after(() => server.close());

  async function status(method: string, path: string, cookie: string | null, body?: unknown) {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    const response = await app.request(path, init);
    return { status: response.status, body: await jsonOf(response) };
  }

  describe('GET /api/private behind requireSession()', () => {
    it('answers 401 without a session and 200 with an active one', async () => {
      assert.equal((await status('GET', '/api/private', null)).status, 401);
      assert.equal((await status('GET', '/api/private', userCookie)).status, 200);
    });

    it('answers 403 /mfa-required to a pending session', async () => {
      const answer = await status('GET', '/api/private', pendingCookie);
      assert.equal(answer.status, 403);
      assert.match(answer.body.type, /\/mfa-required$/);
    });
  });

  describe('GET /api/audit behind requireRole("Admin")', () => {
    it('answers 401 without a session, 403 /forbidden to a User and 200 to an Admin', async () => {
      assert.equal((await status('GET', '/api/audit', null)).status, 401);
      const user = await status('GET', '/api/audit', userCookie);
      assert.equal(user.status, 403);
      assert.match(user.body.type, /\/forbidden$/);
      const admin = await status('GET', '/api/audit', adminCookie);
      assert.deepEqual(admin, { status: 200, body: { username: 'boss' } });
    });
  });

  describe('POST /api/declared/* through ApiRouter.route()', () => {
    it('checks access before the body: an anonymous caller gets 401, not 400', async () => {
      assert.equal((await status('POST', '/api/declared/session', null, { n: 'x' })).status, 401);
      assert.equal((await status('POST', '/api/declared/public', null, { n: 'x' })).status, 400);
    });

    it('lets each declared access through only to the sessions it names', async () => {
      const body = { n: 1 };
      assert.equal((await status('POST', '/api/declared/public', null, body)).status, 200);
      assert.equal((await status('POST', '/api/declared/session', userCookie, body)).status, 200);
      assert.equal((await status('POST', '/api/declared/admin', userCookie, body)).status, 403);
      assert.equal((await status('POST', '/api/declared/admin', adminCookie, body)).status, 200);
      assert.equal((await status('POST', '/api/declared/public', pendingCookie, body)).status, 403);
    });
  });

  describe('POST /api/mfa/verify calling activateCurrentSession()', () => {
    it('turns a pending session into an active one under a new cookie', async () => {
      const { user } = await signedInUser(server);
      const { token } = await createSession(server.ctx, {
        userId: user.id,
        state: 'pending',
        ip: null,
        userAgent: null,
        replacingToken: null,
      });
      const pending = `ab_session=${token}`;
      const response = await app.request('/api/mfa/verify', {
        method: 'POST',
        headers: { cookie: pending },
      });
      assert.deepEqual(await jsonOf(response), { state: 'active' });
      const active = sessionCookieOf(response);
      assert.ok(active);
      assert.notEqual(active, pending);
      assert.equal((await status('GET', '/api/private', active)).status, 200);
      assert.equal((await status('GET', '/api/private', pending)).status, 401);
    });
  });
});
