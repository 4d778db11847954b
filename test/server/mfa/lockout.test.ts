import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  failureDelayMs,
  failureDelayMsBase,
  failureDelayMsMax,
} from '../../../server/mfa/lockout.ts';
import { mfaModels } from '../../../server/mfa/models.ts';
import { verifyAttemptsPerAddressMax, verifyAddressWindowMs } from '../../../server/mfa/service.ts';
import { chargeWindow } from '../../../server/mfa/throttle.ts';
import { get, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  authenticatorCode,
  enrolledUser,
  makeAdmin,
  outboxOf,
  sendJson,
  setDefaultPolicy,
  signInAgain,
  verify,
  type EnrolledUser,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const wrongCode = '000000';

describe('the delay between attempts', () => {
  it('doubles from 1 s with each failure and stops at 30 s', () => {
    assert.equal(failureDelayMs(0), 0);
    assert.equal(failureDelayMs(1), failureDelayMsBase);
    assert.deepEqual([2, 3, 4, 5].map(failureDelayMs), [2000, 4000, 8000, 16_000]);
    assert.equal(failureDelayMs(6), failureDelayMsMax);
    assert.equal(failureDelayMs(10), failureDelayMsMax);
  });
});

describe(`locking the second factor on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** A pending session of an enrolled account, and the account. */
  async function pendingSession(): Promise<{ account: EnrolledUser; cookie: string }> {
    const account = await enrolledUser(server);
    const { cookie } = await signInAgain(server, account.registration);
    return { account, cookie };
  }

  /** Sends `count` wrong codes, waiting out each delay; answers the last response. */
  async function failTimes(cookie: string, count: number): Promise<Response> {
    let last: Response | null = null;
    for (let failures = 0; failures < count; failures += 1) {
      server.clock.advance(failureDelayMs(failures));
      last = (await verify(server, cookie, { method: 'totp', code: wrongCode })).response;
    }
    assert.ok(last);
    return last;
  }

  it('counts down attemptsLeft and locks at the fifth wrong code with lockedUntil', async () => {
    const { cookie } = await pendingSession();
    const attemptsLeft = [];
    for (let failures = 0; failures < 4; failures += 1) {
      server.clock.advance(failureDelayMs(failures));
      const { response } = await verify(server, cookie, { method: 'totp', code: wrongCode });
      assert.equal(response.status, 422);
      attemptsLeft.push((await jsonOf(response)).attemptsLeft);
    }
    assert.deepEqual(attemptsLeft, [4, 3, 2, 1]);
    server.clock.advance(failureDelayMs(4));
    const { response } = await verify(server, cookie, { method: 'totp', code: wrongCode });
    assert.equal(response.status, 423);
    const problem = await jsonOf(response);
    assert.equal(problem.type, '/api/problems/mfa-locked');
    const lockedUntil = new Date(server.clock.now().getTime() + 15 * 60_000).toISOString();
    assert.equal(problem.lockedUntil, lockedUntil);
    assert.equal(response.headers.get('retry-after'), String(15 * 60));
  });

  it('refuses even the right code while locked, and takes it once the lock ends', async () => {
    const { account, cookie } = await pendingSession();
    await failTimes(cookie, 5);
    server.clock.advance(60_000);
    const code = await authenticatorCode(server, account.secret);
    const locked = await verify(server, cookie, { method: 'totp', code });
    assert.equal(locked.response.status, 423);
    server.clock.advance(14 * 60_000);
    const { cookie: fresh } = await signInAgain(server, account.registration);
    const later = await authenticatorCode(server, account.secret);
    const { response } = await verify(server, fresh, { method: 'totp', code: later });
    assert.equal(response.status, 200);
  });

  it('locks again at the first wrong code after a lock ends: only a success resets', async () => {
    const { account, cookie } = await pendingSession();
    await failTimes(cookie, 5);
    server.clock.advance(15 * 60_000);
    const { cookie: fresh } = await signInAgain(server, account.registration);
    const { response } = await verify(server, fresh, { method: 'totp', code: wrongCode });
    assert.equal(response.status, 423);
  });

  it('answers 429 with Retry-After when the next attempt comes before its delay', async () => {
    const { cookie } = await pendingSession();
    await failTimes(cookie, 3);
    const early = await verify(server, cookie, { method: 'totp', code: wrongCode });
    assert.equal(early.response.status, 429);
    assert.equal(early.response.headers.get('retry-after'), '4');
    server.clock.advance(failureDelayMs(3) - 1);
    const stillEarly = await verify(server, cookie, { method: 'totp', code: wrongCode });
    assert.equal(stillEarly.response.status, 429);
    server.clock.advance(1);
    const onTime = await verify(server, cookie, { method: 'totp', code: wrongCode });
    assert.equal(onTime.response.status, 422);
    assert.equal((await jsonOf(onTime.response)).attemptsLeft, 1);
  });

  it('resets the count with a success', async () => {
    const { account, cookie } = await pendingSession();
    await failTimes(cookie, 2);
    server.clock.advance(failureDelayMs(2));
    const code = await authenticatorCode(server, account.secret);
    const { response, cookie: active } = await verify(server, cookie, { method: 'totp', code });
    assert.equal(response.status, 200);
    const status = await jsonOf(await get(server, '/api/mfa/status', active));
    assert.equal(status.attemptsLeft, 5);
    assert.equal(status.lockedUntil, null);
  });

  it('checks at most the maximum of codes however many arrive at once', async () => {
    const { account, cookie } = await pendingSession();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => verify(server, cookie, { method: 'totp', code: wrongCode })),
    );
    const statuses = responses.map(({ response }) => response.status);
    assert.ok(
      statuses.every((status) => [422, 423, 429].includes(status)),
      String(statuses),
    );
    const { Verification } = mfaModels(server.ctx.sequelize);
    const checked = await Verification.count({
      where: { userId: account.user.id, outcome: 'failure' },
    });
    assert.ok(checked <= 5, `checked ${checked} codes`);
  });

  it('tells the account holder by email when it locks', async () => {
    const { account, cookie } = await pendingSession();
    await failTimes(cookie, 5);
    const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
    assert.ok(subjects.includes('Sign-in locked'), subjects.join(', '));
  });

  describe('with the policy maximum', () => {
    after(() => setDefaultPolicy(server, {}));

    it('locks at the tenth failure when the policy allows 10, its limit', async () => {
      await setDefaultPolicy(server, { maxFailedAttempts: 10 });
      const { cookie } = await pendingSession();
      const ninth = await failTimes(cookie, 9);
      assert.equal(ninth.status, 422);
      assert.equal((await jsonOf(ninth)).attemptsLeft, 1);
      server.clock.advance(failureDelayMs(9));
      const { response } = await verify(server, cookie, { method: 'totp', code: wrongCode });
      assert.equal(response.status, 423);
    });

    it('never lets a policy allow 11', async () => {
      const admin = await signedInUser(server);
      await makeAdmin(server, admin.user.id);
      const response = await sendJson(server, 'PUT', '/api/mfa/policies/1', admin.cookie, {
        name: 'Default',
        enforcement: 'optional',
        allowedMethods: ['totp'],
        maxFailedAttempts: 11,
      });
      assert.equal(response.status, 400);
      assert.equal((await jsonOf(response)).errors[0].path, 'body.maxFailedAttempts');
    });
  });

  describe('an Admin', () => {
    it('unlocks an account, which is told, and the unlock is in its history', async () => {
      const { account, cookie } = await pendingSession();
      await failTimes(cookie, 5);
      const admin = await signedInUser(server);
      await makeAdmin(server, admin.user.id);
      const path = `/api/mfa/users/${account.user.id}/unlock`;
      assert.equal((await sendJson(server, 'POST', path, cookie)).status, 403);
      const unlocked = await sendJson(server, 'POST', path, admin.cookie);
      assert.equal(unlocked.status, 200);
      const view = await jsonOf(unlocked);
      assert.equal(view.status.lockedUntil, null);
      assert.equal(view.consecutiveFailures, 0);
      const code = await authenticatorCode(server, account.secret);
      const { response, cookie: active } = await verify(server, cookie, { method: 'totp', code });
      assert.equal(response.status, 200);
      const history = await jsonOf(await get(server, '/api/mfa/verifications', active));
      assert.ok(history.items.some((row: { method: string }) => row.method === 'admin'));
      const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
      assert.ok(subjects.includes('Sign-in unlocked'));
    });

    it('is refused to a signed-in user who is not an Admin', async () => {
      const user = await signedInUser(server);
      const response = await sendJson(
        server,
        'POST',
        `/api/mfa/users/${user.user.id}/unlock`,
        user.cookie,
      );
      assert.equal(response.status, 403);
      assert.equal((await jsonOf(response)).type, '/api/problems/forbidden');
    });
  });

  describe('per client address', () => {
    it(`allows ${verifyAttemptsPerAddressMax} attempts per window, not one more`, async () => {
      const ip = '203.0.113.77';
      const key = `mfa:verify:ip:${ip}`;
      for (let charged = 1; charged < verifyAttemptsPerAddressMax; charged += 1) {
        await chargeWindow(server.ctx, {
          key,
          countMax: verifyAttemptsPerAddressMax,
          windowMs: verifyAddressWindowMs,
        });
      }
      const { account, cookie } = await pendingSession();
      const thirtieth = await verify(server, cookie, { method: 'totp', code: wrongCode }, {}, ip);
      assert.equal(thirtieth.response.status, 422);
      server.clock.advance(failureDelayMs(1));
      const code = await authenticatorCode(server, account.secret);
      const past = await verify(server, cookie, { method: 'totp', code }, {}, ip);
      assert.equal(past.response.status, 429);
      assert.match((await jsonOf(past.response)).detail, /address/);
      const elsewhere = await verify(server, cookie, { method: 'totp', code });
      assert.equal(elsewhere.response.status, 200, 'another address is not limited');
      server.clock.advance(verifyAddressWindowMs);
      const { cookie: fresh } = await signInAgain(server, account.registration);
      const next = await authenticatorCode(server, account.secret);
      const later = await verify(server, fresh, { method: 'totp', code: next }, {}, ip);
      assert.equal(later.response.status, 200, 'a new window');
    });
  });
});
