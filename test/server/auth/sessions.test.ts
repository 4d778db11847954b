import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authModels } from '../../../server/auth/models.ts';
import {
  activateSession,
  createSession,
  hashSessionToken,
  purgeExpiredSessions,
  resolveSession,
  sessionIdleMs,
  sessionLifetimeMs,
  sessionTouchIntervalMs,
} from '../../../server/auth/sessions.ts';
import { get, send, signedInUser, tokenOf } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const minuteMs = 60_000;

describe(`sessions on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  function post(path: string, cookie: string): Promise<Response> {
    return send(server, path, { method: 'POST' }, { headers: { cookie } });
  }

  async function sessionRowCount(cookie: string): Promise<number> {
    const { Session } = authModels(server.ctx.sequelize);
    return Session.count({ where: { idHash: hashSessionToken(tokenOf(cookie)) } });
  }

  describe('GET /api/auth/me over time', () => {
    it('keeps a session that is used at least every 30 minutes', async () => {
      const { cookie } = await signedInUser(server);
      for (let step = 0; step < 4; step += 1) {
        server.clock.advance(sessionIdleMs - minuteMs);
        assert.equal((await get(server, '/api/auth/me', cookie)).status, 200, `step ${step}`);
      }
    });

    it('answers 401 after 30 idle minutes and deletes the session', async () => {
      const { cookie } = await signedInUser(server);
      server.clock.advance(sessionIdleMs - 1);
      assert.equal((await get(server, '/api/auth/me', cookie)).status, 200);
      server.clock.advance(sessionIdleMs);
      const response = await get(server, '/api/auth/me', cookie);
      assert.equal(response.status, 401);
      assert.equal((await jsonOf(response)).type, '/api/problems/unauthenticated');
      assert.equal(await sessionRowCount(cookie), 0);
    });

    it('answers 401 twelve hours after login however busy the session was', async () => {
      const { cookie } = await signedInUser(server);
      const stepMs = 25 * minuteMs;
      let elapsedMs = 0;
      while (elapsedMs + stepMs < sessionLifetimeMs) {
        server.clock.advance(stepMs);
        elapsedMs += stepMs;
        const response = await get(server, '/api/auth/me', cookie);
        assert.equal(response.status, 200, `after ${elapsedMs} ms`);
      }
      server.clock.advance(sessionLifetimeMs - elapsedMs);
      assert.equal((await get(server, '/api/auth/me', cookie)).status, 401);
      assert.equal(await sessionRowCount(cookie), 0);
    });

    it('writes last_seen_at at most once a minute', async () => {
      const { cookie } = await signedInUser(server);
      const { Session } = authModels(server.ctx.sequelize);
      const idHash = hashSessionToken(tokenOf(cookie));
      const lastSeen = async () => (await Session.findByPk(idHash))?.lastSeenAt.toISOString();
      const loggedInAt = await lastSeen();
      server.clock.advance(sessionTouchIntervalMs - 1);
      await get(server, '/api/auth/me', cookie);
      assert.equal(await lastSeen(), loggedInAt);
      server.clock.advance(1);
      await get(server, '/api/auth/me', cookie);
      assert.equal(await lastSeen(), server.clock.now().toISOString());
    });
  });

  describe('purgeExpiredSessions()', () => {
    it('deletes idle and too-old sessions and keeps live ones', async () => {
      const { cookie: idle } = await signedInUser(server);
      server.clock.advance(sessionIdleMs - minuteMs);
      const { cookie: live } = await signedInUser(server);
      server.clock.advance(2 * minuteMs);
      assert.ok((await purgeExpiredSessions(server.ctx)) >= 1);
      assert.equal(await sessionRowCount(idle), 0);
      assert.equal(await sessionRowCount(live), 1);
      assert.equal((await get(server, '/api/auth/me', live)).status, 200);
    });
  });

  describe('a pending session (second factor due)', () => {
    async function pendingCookie(): Promise<{ cookie: string; userId: number }> {
      const { user } = await signedInUser(server);
      const { token } = await createSession(server.ctx, {
        userId: user.id,
        state: 'pending',
        ip: null,
        userAgent: null,
        replacingToken: null,
      });
      return { cookie: `ab_session=${token}`, userId: user.id };
    }

    it('reaches GET /api/auth/me', async () => {
      const { cookie, userId } = await pendingCookie();
      const response = await get(server, '/api/auth/me', cookie);
      assert.equal(response.status, 200);
      assert.equal((await jsonOf(response)).user.id, userId);
    });

    it('gets 403 /mfa-required anywhere else, routes and unknown paths alike', async () => {
      const { cookie } = await pendingCookie();
      for (const path of ['/api/health', '/api/openapi.json', '/api/wallets', '/api/auth/me/']) {
        const response = await get(server, path, cookie);
        assert.equal(response.status, 403, path);
        const problem = await jsonOf(response);
        assert.match(problem.type, /\/mfa-required$/);
      }
      const register = await post('/api/auth/register', cookie);
      assert.equal(register.status, 403);
    });

    it('can sign out', async () => {
      const { cookie } = await pendingCookie();
      const response = await post('/api/auth/logout', cookie);
      assert.equal(response.status, 204);
      assert.equal(await sessionRowCount(cookie), 0);
    });

    it('becomes active with a new token once the second factor is verified', async () => {
      const { cookie } = await pendingCookie();
      const idHash = hashSessionToken(tokenOf(cookie));
      const [first, second] = await Promise.all([
        activateSession(server.ctx, idHash),
        activateSession(server.ctx, idHash),
      ]);
      const activated = first ?? second;
      assert.ok(activated, 'one activation succeeds');
      assert.equal(first === null || second === null, true, 'only one activation succeeds');
      assert.equal(activated.session.state, 'active');
      const verifiedAt = activated.session.mfaVerifiedAt?.toISOString();
      assert.equal(verifiedAt, server.clock.now().toISOString());
      assert.equal(await resolveSession(server.ctx, tokenOf(cookie)), null);
      assert.equal((await get(server, '/api/health', `ab_session=${activated.token}`)).status, 200);
    });
  });
});
