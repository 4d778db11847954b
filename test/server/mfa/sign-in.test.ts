import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pendingSessionReachablePaths } from '../../../server/http/session.ts';
import { pendingSessionLifetimeMs } from '../../../server/mfa/sign-in.ts';
import { get, tokenOf } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  authenticatorCode,
  enrolledUser,
  nextStep,
  sendJson,
  setDefaultPolicy,
  signInAgain,
  verify,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`signing in with a second factor on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers mfa {required, verified: false, methods} and a pending session', async () => {
    const account = await enrolledUser(server);
    const { body, cookie } = await signInAgain(server, account.registration);
    assert.deepEqual(body.mfa, { required: true, verified: false, methods: ['totp', 'backup'] });
    const me = await jsonOf(await get(server, '/api/auth/me', cookie));
    assert.deepEqual(me.mfa, { required: true, verified: false, methods: ['totp', 'backup'] });
  });

  it('confines a pending session to the MFA verification routes', async () => {
    const account = await enrolledUser(server);
    const { cookie } = await signInAgain(server, account.registration);
    for (const [method, path] of [
      ['GET', '/api/mfa/backup-codes'],
      ['POST', '/api/mfa/backup-codes'],
      ['GET', '/api/mfa/devices'],
      ['GET', '/api/mfa/verifications'],
      ['DELETE', '/api/mfa/methods/totp'],
      ['GET', '/api/mfa/policies'],
      ['GET', '/api/wallets'],
    ] as const) {
      const response = await sendJson(server, method, path, cookie);
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal((await jsonOf(response)).type, '/api/problems/mfa-required', path);
    }
    assert.equal((await get(server, '/api/mfa/status', cookie)).status, 200);
    assert.ok(pendingSessionReachablePaths.includes('/api/mfa/verify'));
  });

  it('refuses enrolment to the pending session of an enrolled account', async () => {
    const account = await enrolledUser(server);
    const { cookie } = await signInAgain(server, account.registration);
    const setup = await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie);
    assert.equal(setup.status, 403);
    assert.equal((await jsonOf(setup)).type, '/api/problems/mfa-required');
    const sms = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
      phone: '+15005550006',
    });
    assert.equal(sms.status, 403);
  });

  it('rotates the session id on verification and makes the session active', async () => {
    const account = await enrolledUser(server);
    const { cookie: pending } = await signInAgain(server, account.registration);
    const code = await authenticatorCode(server, account.secret);
    const { response, cookie: active } = await verify(server, pending, { method: 'totp', code });
    assert.equal(response.status, 200);
    assert.deepEqual(await jsonOf(response), {
      verified: true,
      method: 'totp',
      rememberedUntil: null,
    });
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.notEqual(tokenOf(active), tokenOf(pending));
    assert.equal((await get(server, '/api/auth/me', pending)).status, 401);
    const me = await jsonOf(await get(server, '/api/auth/me', active));
    assert.deepEqual(me.mfa, { required: true, verified: true, methods: ['totp', 'backup'] });
    assert.equal((await get(server, '/api/mfa/devices', active)).status, 200);
  });

  it('ends a pending session after 10 minutes, and not before', async () => {
    const account = await enrolledUser(server);
    const { cookie: first } = await signInAgain(server, account.registration);
    server.clock.advance(pendingSessionLifetimeMs - 1000);
    assert.equal((await get(server, '/api/mfa/status', first)).status, 200);
    server.clock.advance(1000);
    assert.equal((await get(server, '/api/mfa/status', first)).status, 401);
    const { cookie: second } = await signInAgain(server, account.registration);
    server.clock.advance(pendingSessionLifetimeMs);
    const code = await authenticatorCode(server, account.secret);
    const { response } = await verify(server, second, { method: 'totp', code });
    assert.equal(response.status, 401);
  });

  it('signs in an account without MFA under the optional default policy at once', async () => {
    const { body } = await signInAgain(server, await registeredOnly(server));
    assert.deepEqual(body.mfa, { required: false, verified: false, methods: [] });
  });

  it('answers verify for an account with no method with 409 /method-not-enrolled', async () => {
    const { cookie } = await signInAgain(server, await registeredOnly(server));
    const { response } = await verify(server, cookie, { method: 'totp', code: '123456' });
    assert.equal(response.status, 409);
    assert.equal((await jsonOf(response)).type, '/api/problems/method-not-enrolled');
  });

  describe('replay protection', () => {
    it('accepts a code once, then refuses it, and every code of an earlier step', async () => {
      const account = await enrolledUser(server);
      const { cookie } = await signInAgain(server, account.registration);
      const code = await authenticatorCode(server, account.secret);
      const earlier = await authenticatorCode(server, account.secret, -1);
      const first = await verify(server, cookie, { method: 'totp', code });
      assert.equal(first.response.status, 200);
      server.clock.advance(5_000);
      const again = await verify(server, first.cookie, { method: 'totp', code });
      assert.equal(again.response.status, 422);
      const problem = await jsonOf(again.response);
      assert.equal(problem.type, '/api/problems/invalid-code');
      assert.match(problem.detail, /used already/);
      server.clock.advance(5_000);
      const older = await verify(server, first.cookie, { method: 'totp', code: earlier });
      assert.equal(older.response.status, 422);
    });

    it('gives exactly one success to N concurrent submits of one code', async () => {
      const account = await enrolledUser(server);
      const cookies = [];
      for (let index = 0; index < 4; index += 1) {
        cookies.push((await signInAgain(server, account.registration)).cookie);
      }
      nextStep(server);
      const code = await authenticatorCode(server, account.secret);
      const results = await Promise.all(
        cookies.map((cookie) => verify(server, cookie, { method: 'totp', code })),
      );
      const statuses = results.map((result) => result.response.status).sort();
      assert.deepEqual(statuses, [200, 422, 422, 422]);
      for (const result of results.filter((each) => each.response.status === 422)) {
        assert.match((await jsonOf(result.response)).detail, /used already/);
      }
    });

    it('takes the code of the next step after the one accepted', async () => {
      const account = await enrolledUser(server);
      const { cookie } = await signInAgain(server, account.registration);
      const now = await authenticatorCode(server, account.secret);
      const ahead = await authenticatorCode(server, account.secret, 1);
      const first = await verify(server, cookie, { method: 'totp', code: ahead });
      assert.equal(first.response.status, 200);
      server.clock.advance(2_000);
      const second = await verify(server, first.cookie, { method: 'totp', code: now });
      assert.equal(second.response.status, 422, 'a step before the accepted one is spent');
    });
  });

  describe('the TOTP window of the policy', () => {
    after(() => setDefaultPolicy(server, {}));

    for (const [windowSteps, inside, outside] of [
      [0, 0, -1],
      [1, -1, -2],
      [2, 2, 3],
    ] as const) {
      it(`takes a code ${inside} steps off, not ${outside}, window ${windowSteps}`, async () => {
        await setDefaultPolicy(server, { totpWindowSteps: windowSteps });
        const account = await enrolledUser(server);
        const { cookie } = await signInAgain(server, account.registration);
        // Well past the enrolment's step, which counts as used.
        nextStep(server);
        nextStep(server);
        const far = await authenticatorCode(server, account.secret, outside);
        const refused = await verify(server, cookie, { method: 'totp', code: far });
        assert.equal(refused.response.status, 422);
        server.clock.advance(1000);
        const near = await authenticatorCode(server, account.secret, inside);
        const accepted = await verify(server, cookie, { method: 'totp', code: near });
        assert.equal(accepted.response.status, 200);
      });
    }
  });

  async function registeredOnly(target: TestServer) {
    const { registration } = await (await import('../support/auth-client.ts')).signedInUser(target);
    return registration;
  }
});
