import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resendCooldownMs } from '../../../server/mfa/otp-codes.ts';
import { stepUpWindowMs } from '../../../server/mfa/step-up.ts';
import { get, tokenOf } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  enrolledUser,
  followCookie,
  lastCodeSent,
  outboxOf,
  sendJson,
  setDefaultPolicy,
  stepUp,
  type EnrolledUser,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`step-up and managing methods on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms', 'email'] });
  });
  after(() => server.close());

  /** An account with TOTP, whose session's verification is older than the step-up window. */
  async function staleAccount(): Promise<EnrolledUser> {
    const account = await enrolledUser(server);
    server.clock.advance(stepUpWindowMs);
    return account;
  }

  /** Adds SMS to `account` (with a step-up first); answers the cookie to go on with. */
  async function addSms(account: EnrolledUser, phone: string): Promise<string> {
    const cookie = await stepUp(server, account.cookie, account.secret);
    const sent = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, { phone });
    assert.equal(sent.status, 200);
    const code = await lastCodeSent(server, account.user.id, 'sms');
    const confirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', cookie, { code });
    assert.equal(confirmed.status, 200);
    assert.deepEqual((await jsonOf(confirmed)).backupCodes, [], 'the first set stays');
    server.clock.advance(resendCooldownMs);
    return followCookie(confirmed, cookie);
  }

  it('shows the status without any secret, with when step-up ends', async () => {
    const account = await enrolledUser(server);
    const status = await jsonOf(await get(server, '/api/mfa/status', account.cookie));
    assert.deepEqual(
      [status.required, status.verified, status.methods, status.preferredMethod],
      [true, true, ['totp', 'backup'], 'totp'],
    );
    assert.deepEqual(status.backupCodes.remaining, 10);
    assert.equal(status.totp.enabled, true);
    assert.equal(status.sms.enabled, false);
    assert.ok(!JSON.stringify(status).includes(account.secret));
    assert.ok(status.stepUpValidUntil > server.clock.now().toISOString());
  });

  it('lets a verification count for exactly 5 minutes', async () => {
    const account = await enrolledUser(server);
    const cookie = await stepUp(server, account.cookie, account.secret);
    const status = await jsonOf(await get(server, '/api/mfa/status', cookie));
    const until = new Date(server.clock.now().getTime() + stepUpWindowMs).toISOString();
    assert.equal(status.stepUpValidUntil, until);
    server.clock.advance(stepUpWindowMs - 1);
    assert.equal((await sendJson(server, 'POST', '/api/mfa/backup-codes', cookie)).status, 200);
    server.clock.advance(1);
    const late = await sendJson(server, 'POST', '/api/mfa/backup-codes', cookie);
    assert.equal(late.status, 403);
    assert.equal((await jsonOf(late)).type, '/api/problems/step-up-required');
  });

  it('rotates the session id when an active session steps up', async () => {
    const account = await staleAccount();
    const cookie = await stepUp(server, account.cookie, account.secret);
    assert.notEqual(tokenOf(cookie), tokenOf(account.cookie));
    assert.equal((await get(server, '/api/auth/me', account.cookie)).status, 401);
  });

  describe('removing a method', () => {
    it('needs a step-up', async () => {
      const account = await staleAccount();
      const response = await sendJson(server, 'DELETE', '/api/mfa/methods/totp', account.cookie);
      assert.equal(response.status, 403);
      assert.equal((await jsonOf(response)).type, '/api/problems/step-up-required');
    });

    it('takes the backup codes with the last method, and tells the holder', async () => {
      const account = await staleAccount();
      const cookie = await stepUp(server, account.cookie, account.secret);
      const response = await sendJson(server, 'DELETE', '/api/mfa/methods/totp', cookie);
      assert.equal(response.status, 200);
      const status = await jsonOf(response);
      assert.deepEqual(status.methods, []);
      assert.deepEqual([status.backupCodes.remaining, status.backupCodes.total], [0, 0]);
      const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
      assert.ok(subjects.includes('A sign-in method was removed'));
    });

    it('keeps the backup codes while another method stays, and moves the preference', async () => {
      const account = await staleAccount();
      const cookie = await addSms(account, '+15005550501');
      const fresh = await stepUp(server, cookie, account.secret);
      const response = await sendJson(server, 'DELETE', '/api/mfa/methods/totp', fresh);
      const status = await jsonOf(response);
      assert.deepEqual(status.methods, ['sms', 'backup']);
      assert.equal(status.preferredMethod, 'sms');
    });

    it('answers 409 for a method that is not set up', async () => {
      const account = await enrolledUser(server);
      const response = await sendJson(server, 'DELETE', '/api/mfa/methods/email', account.cookie);
      assert.equal(response.status, 409);
      assert.equal((await jsonOf(response)).type, '/api/problems/method-not-enrolled');
    });
  });

  describe('changing where codes go', () => {
    it('needs a step-up for a new phone number', async () => {
      const account = await staleAccount();
      const cookie = await addSms(account, '+15005550601');
      server.clock.advance(stepUpWindowMs);
      const refused = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
        phone: '+15005550602',
      });
      assert.equal(refused.status, 403);
      const fresh = await stepUp(server, cookie, account.secret);
      const sent = await sendJson(server, 'POST', '/api/mfa/sms/setup', fresh, {
        phone: '+15005550602',
      });
      assert.equal(sent.status, 200);
      const code = await lastCodeSent(server, account.user.id, 'sms');
      const confirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', fresh, { code });
      assert.equal(confirmed.status, 200);
      const status = await jsonOf(
        await get(server, '/api/mfa/status', followCookie(confirmed, fresh)),
      );
      assert.equal(status.sms.destination, '+15••••••602');
      const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
      assert.ok(subjects.includes('A sign-in method changed'));
    });

    it('needs a step-up for a new email address', async () => {
      const account = await staleAccount();
      const refused = await sendJson(server, 'POST', '/api/mfa/email/setup', account.cookie, {
        email: 'new@example.com',
      });
      assert.equal(refused.status, 403);
      assert.equal((await jsonOf(refused)).type, '/api/problems/step-up-required');
    });
  });

  it('sets the preferred method among the usable ones only', async () => {
    const account = await staleAccount();
    const cookie = await addSms(account, '+15005550701');
    const response = await sendJson(server, 'PUT', '/api/mfa/preferred', cookie, { method: 'sms' });
    assert.equal(response.status, 200);
    assert.equal((await jsonOf(response)).preferredMethod, 'sms');
    const refused = await sendJson(server, 'PUT', '/api/mfa/preferred', cookie, {
      method: 'email',
    });
    assert.equal(refused.status, 409);
  });

  it('pages the own verification history newest first', async () => {
    const account = await enrolledUser(server);
    let cookie = account.cookie;
    for (let index = 0; index < 3; index += 1)
      cookie = await stepUp(server, cookie, account.secret);
    const first = await jsonOf(await get(server, '/api/mfa/verifications?limit=2', cookie));
    assert.equal(first.items.length, 2);
    assert.ok(first.items[0].id > first.items[1].id);
    assert.equal(first.items[0].purpose, 'step-up');
    const rest = await jsonOf(
      await get(server, `/api/mfa/verifications?limit=100&cursor=${first.nextCursor}`, cookie),
    );
    assert.equal(rest.items.length, 2, 'one more step-up and the enrolment');
    assert.equal(rest.items.at(-1).purpose, 'enrolment');
    assert.equal(rest.nextCursor, null);
    for (const limit of ['0', '101', 'x']) {
      assert.equal(
        (await get(server, `/api/mfa/verifications?limit=${limit}`, cookie)).status,
        400,
      );
    }
  });
});
