import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  codesPerAddressPerDayMax,
  codesPerDestinationPerDayMax,
  codesPerUserPerDayMax,
  otpCodeTtlMs,
  resendCooldownMs,
} from '../../../server/mfa/otp-codes.ts';
import { chargeWindow } from '../../../server/mfa/throttle.ts';
import { signedInUser, type UserJson } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  followCookie,
  lastCodeSent,
  outboxOf,
  sendJson,
  setDefaultPolicy,
  signInAgain,
  verify,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const dayMs = 24 * 60 * 60 * 1000;

describe(`codes by text message and email on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms', 'email'] });
  });
  after(() => server.close());

  interface SmsUser {
    user: UserJson;
    registration: { username: string; password: string };
    cookie: string;
  }

  /** An account with SMS enrolled to `phone`; the clock then passes the resend cooldown. */
  async function smsUser(phone = '+15005550006'): Promise<SmsUser> {
    const { user, registration, cookie } = await signedInUser(server);
    const sent = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, { phone });
    assert.equal(sent.status, 200, await sent.clone().text());
    const code = await lastCodeSent(server, user.id, 'sms');
    const confirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', cookie, { code });
    assert.equal(confirmed.status, 200);
    server.clock.advance(resendCooldownMs);
    return { user, registration, cookie: followCookie(confirmed, cookie) };
  }

  function challenge(cookie: string, method: 'sms' | 'email', ip?: string) {
    return sendJson(server, 'POST', '/api/mfa/challenge', cookie, { method }, {}, ip);
  }

  it('sends six digits, says where (masked) and until when', async () => {
    const account = await smsUser();
    const { cookie, body } = await signInAgain(server, account.registration);
    assert.deepEqual(body.mfa.methods, ['sms', 'backup']);
    const response = await challenge(cookie, 'sms');
    assert.equal(response.status, 200);
    const now = server.clock.now().getTime();
    assert.deepEqual(await jsonOf(response), {
      method: 'sms',
      sentTo: '+15••••••006',
      expiresAt: new Date(now + otpCodeTtlMs).toISOString(),
      resendAvailableAt: new Date(now + resendCooldownMs).toISOString(),
    });
    const [message] = await outboxOf(server, account.user.id);
    assert.match(message?.body ?? '', /Your ab-elements code is \d{6}\. It expires in 5 minutes\./);
    const code = await lastCodeSent(server, account.user.id, 'sms');
    const { response: verified } = await verify(server, cookie, { method: 'sms', code });
    assert.equal(verified.status, 200);
  });

  it('waits 60 s before sending another, and then only the newest code works', async () => {
    const account = await smsUser();
    const { cookie } = await signInAgain(server, account.registration);
    assert.equal((await challenge(cookie, 'sms')).status, 200);
    const first = await lastCodeSent(server, account.user.id, 'sms');
    server.clock.advance(resendCooldownMs - 1000);
    const early = await challenge(cookie, 'sms');
    assert.equal(early.status, 429);
    assert.equal(early.headers.get('retry-after'), '1');
    server.clock.advance(1000);
    assert.equal((await challenge(cookie, 'sms')).status, 200);
    const second = await lastCodeSent(server, account.user.id, 'sms');
    if (first !== second) {
      const stale = await verify(server, cookie, { method: 'sms', code: first });
      assert.equal(stale.response.status, 422);
      server.clock.advance(1000);
    }
    const { response } = await verify(server, cookie, { method: 'sms', code: second });
    assert.equal(response.status, 200);
  });

  it('takes a code until 5 minutes have passed, and not at 5 minutes', async () => {
    const account = await smsUser();
    const { cookie } = await signInAgain(server, account.registration);
    await challenge(cookie, 'sms');
    const code = await lastCodeSent(server, account.user.id, 'sms');
    server.clock.advance(otpCodeTtlMs);
    const late = await verify(server, cookie, { method: 'sms', code });
    assert.equal(late.response.status, 422);
    assert.match((await jsonOf(late.response)).detail, /expired/);
    const { cookie: again } = await signInAgain(server, account.registration);
    assert.equal((await challenge(again, 'sms')).status, 200);
    const fresh = await lastCodeSent(server, account.user.id, 'sms');
    server.clock.advance(otpCodeTtlMs - 1);
    const inTime = await verify(server, again, { method: 'sms', code: fresh });
    assert.equal(inTime.response.status, 200);
  });

  it('takes a code once', async () => {
    const account = await smsUser();
    const { cookie } = await signInAgain(server, account.registration);
    await challenge(cookie, 'sms');
    const code = await lastCodeSent(server, account.user.id, 'sms');
    assert.equal((await verify(server, cookie, { method: 'sms', code })).response.status, 200);
    const { cookie: other } = await signInAgain(server, account.registration);
    const again = await verify(server, other, { method: 'sms', code });
    assert.equal(again.response.status, 422);
    assert.match((await jsonOf(again.response)).detail, /used already/);
  });

  it('sends sign-in codes by email without the code in the subject', async () => {
    const { user, registration, cookie } = await signedInUser(server);
    await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
    const enrolCode = await lastCodeSent(server, user.id, 'email');
    await sendJson(server, 'POST', '/api/mfa/email/confirm', cookie, { code: enrolCode });
    server.clock.advance(resendCooldownMs);
    const { cookie: pending } = await signInAgain(server, registration);
    assert.equal((await challenge(pending, 'email')).status, 200);
    const [message] = await outboxOf(server, user.id);
    assert.equal(message?.subject, 'Your sign-in code');
    const code = await lastCodeSent(server, user.id, 'email');
    assert.ok(!message?.subject?.includes(code));
    assert.equal((await verify(server, pending, { method: 'email', code })).response.status, 200);
  });

  it(`sends at most ${codesPerUserPerDayMax} codes per account per day`, async () => {
    const account = await smsUser('+15005550101');
    // The enrolment code was the first of the day.
    for (let sent = 2; sent <= codesPerUserPerDayMax; sent += 1) {
      const response = await challenge(account.cookie, 'sms');
      assert.equal(response.status, 200, `code ${sent}`);
      server.clock.advance(resendCooldownMs);
    }
    const past = await challenge(account.cookie, 'sms');
    assert.equal(past.status, 429);
    const retryAfterSeconds = Number(past.headers.get('retry-after'));
    assert.ok(
      retryAfterSeconds > 23 * 3600 && retryAfterSeconds <= 24 * 3600,
      String(retryAfterSeconds),
    );
  });

  it(`sends at most ${codesPerDestinationPerDayMax} codes per number, whoever asks`, async () => {
    const phone = '+15005550202';
    const half = codesPerDestinationPerDayMax / 2;
    const first = await smsUser(phone);
    for (let sent = 2; sent <= half; sent += 1) {
      assert.equal((await challenge(first.cookie, 'sms')).status, 200);
      server.clock.advance(resendCooldownMs);
    }
    const second = await smsUser(phone);
    for (let sent = 2; sent <= half; sent += 1) {
      assert.equal((await challenge(second.cookie, 'sms')).status, 200);
      server.clock.advance(resendCooldownMs);
    }
    const past = await challenge(second.cookie, 'sms');
    assert.equal(past.status, 429, 'the eleventh code to this number');
    server.clock.advance(dayMs);
  });

  it(`sends at most ${codesPerAddressPerDayMax} codes per client address per day`, async () => {
    const ip = '198.51.100.50';
    for (let charged = 1; charged < codesPerAddressPerDayMax; charged += 1) {
      await chargeWindow(server.ctx, {
        key: `mfa:send:ip:${ip}`,
        countMax: codesPerAddressPerDayMax,
        windowMs: dayMs,
      });
    }
    const account = await smsUser('+15005550303');
    assert.equal((await challenge(account.cookie, 'sms', ip)).status, 200, 'the fiftieth');
    server.clock.advance(resendCooldownMs);
    assert.equal((await challenge(account.cookie, 'sms', ip)).status, 429, 'the fifty-first');
    server.clock.advance(resendCooldownMs);
    assert.equal((await challenge(account.cookie, 'sms')).status, 200, 'another address');
  });

  it('stops offering SMS when the policy stops allowing it', async () => {
    const account = await smsUser('+15005550404');
    await setDefaultPolicy(server, { allowedMethods: ['totp'] });
    try {
      const refused = await challenge(account.cookie, 'sms');
      assert.equal(refused.status, 409);
      assert.equal((await jsonOf(refused)).type, '/api/problems/method-not-allowed');
      const { body } = await signInAgain(server, account.registration);
      assert.deepEqual(body.mfa, { required: false, verified: false, methods: [] });
    } finally {
      await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms', 'email'] });
    }
  });
});
