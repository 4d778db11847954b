import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backupCodeCount } from '../../../server/mfa/backup-codes.ts';
import { totpEnrolmentTtlMs } from '../../../server/mfa/enrolment.ts';
import { mfaModels } from '../../../server/mfa/models.ts';
import { get, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  authenticatorCode,
  enrolTotp,
  enrolledUser,
  lastCodeSent,
  nextStep,
  outboxOf,
  sendJson,
  setDefaultPolicy,
  stepUp,
  verify,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`enrolling second factors on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  describe('an authenticator app', () => {
    it('answers secret, otpauthUri and an SVG QR code, never cached', async () => {
      const { cookie } = await signedInUser(server);
      const response = await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const setup = await jsonOf(response);
      assert.match(setup.secret, /^[A-Z2-7]{32}$/);
      assert.ok(setup.otpauthUri.startsWith('otpauth://totp/ab-elements:'));
      assert.ok(setup.otpauthUri.includes(`secret=${setup.secret}`));
      assert.match(setup.qrSvg, /^<svg /);
      assert.deepEqual([setup.algorithm, setup.digits, setup.periodSeconds], ['SHA1', 6, 30]);
      const expiresAt = new Date(server.clock.now().getTime() + totpEnrolmentTtlMs);
      assert.equal(setup.expiresAt, expiresAt.toISOString());
    });

    for (const [algorithm, digits, length] of [
      ['SHA256', 8, 52],
      ['SHA512', 8, 103],
    ] as const) {
      it(`enrols ${algorithm} with ${digits} digits`, async () => {
        const { cookie } = await signedInUser(server);
        const choice = { algorithm, digits, periodSeconds: 30 } as const;
        const { secret, backupCodes, cookie: active } = await enrolTotp(server, cookie, choice);
        assert.equal(secret.replace(/=+$/, '').length, length);
        assert.equal(backupCodes.length, backupCodeCount);
        const status = await jsonOf(await get(server, '/api/mfa/status', active));
        assert.deepEqual([status.totp.algorithm, status.totp.digits], [algorithm, digits]);
      });
    }

    it('refuses a wrong first code with 422 and keeps the enrolment pending', async () => {
      const { cookie } = await signedInUser(server);
      const setup = await jsonOf(await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie));
      const wrong = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, {
        code: '000000',
      });
      assert.equal(wrong.status, 422);
      assert.equal((await jsonOf(wrong)).attemptsLeft, 4);
      server.clock.advance(1000);
      const code = await authenticatorCode(server, setup.secret);
      const right = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
      assert.equal(right.status, 200);
    });

    it('counts the confirming code as used', async () => {
      const { cookie } = await signedInUser(server);
      const setup = await jsonOf(await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie));
      const code = await authenticatorCode(server, setup.secret);
      const confirmed = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
      assert.equal(confirmed.status, 200);
      const active = confirmed.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const again = await verify(server, active, { method: 'totp', code });
      assert.equal(again.response.status, 422);
      assert.match((await jsonOf(again.response)).detail, /used already/);
    });

    it('lets a pending enrolment expire after 10 minutes, and not before', async () => {
      const { cookie } = await signedInUser(server);
      const setup = await jsonOf(await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie));
      server.clock.advance(totpEnrolmentTtlMs);
      const code = await authenticatorCode(server, setup.secret);
      const late = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
      assert.equal(late.status, 409);
      assert.equal((await jsonOf(late)).type, '/api/problems/no-pending-enrolment');
      const again = await jsonOf(await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie));
      server.clock.advance(totpEnrolmentTtlMs - 1000);
      const inTime = await authenticatorCode(server, again.secret);
      const confirmed = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, {
        code: inTime,
      });
      assert.equal(confirmed.status, 200);
    });

    it('refuses unknown TOTP parameters in the query with 400', async () => {
      const { cookie } = await signedInUser(server);
      const response = await sendJson(server, 'POST', '/api/mfa/totp/setup?digits=7', cookie);
      assert.equal(response.status, 400);
      assert.equal((await jsonOf(response)).errors[0].path, 'query.digits');
    });

    it('needs a step-up to replace the authenticator of an enrolled account', async () => {
      const account = await enrolledUser(server);
      server.clock.advance(5 * 60_000);
      const refused = await sendJson(server, 'POST', '/api/mfa/totp/setup', account.cookie);
      assert.equal(refused.status, 403);
      assert.equal((await jsonOf(refused)).type, '/api/problems/step-up-required');
      const cookie = await stepUp(server, account.cookie, account.secret);
      const { secret, backupCodes } = await enrolTotp(server, cookie);
      assert.notEqual(secret, account.secret);
      assert.deepEqual(backupCodes, [], 'the backup codes stay');
      const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
      assert.ok(subjects.includes('A sign-in method changed'));
    });
  });

  describe('text messages and email codes', () => {
    after(() => setDefaultPolicy(server, {}));

    it('are off unless a policy allows them', async () => {
      const { cookie } = await signedInUser(server);
      const sms = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
        phone: '+447700900123',
      });
      assert.equal(sms.status, 409);
      assert.equal((await jsonOf(sms)).type, '/api/problems/method-not-allowed');
      const email = await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
      assert.equal(email.status, 409);
    });

    it('enrol a phone with the code sent to it, answering backup codes', async () => {
      await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms', 'email'] });
      const { user, cookie } = await signedInUser(server);
      const sent = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
        phone: '+44 7700 900123',
      });
      assert.equal(sent.status, 200);
      const body = await jsonOf(sent);
      assert.equal(body.sentTo, '+44•••••••123');
      const [message] = await outboxOf(server, user.id);
      assert.equal(message?.channel, 'sms');
      assert.equal(message?.to, '+447700900123');
      const code = await lastCodeSent(server, user.id, 'sms');
      const confirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', cookie, { code });
      assert.equal(confirmed.status, 200);
      assert.equal((await jsonOf(confirmed)).backupCodes.length, backupCodeCount);
      const active = confirmed.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const status = await jsonOf(await get(server, '/api/mfa/status', active));
      assert.deepEqual(status.methods, ['sms', 'backup']);
      assert.equal(status.sms.destination, '+44•••••••123');
    });

    it('enrol the account address by email when no other is given', async () => {
      await setDefaultPolicy(server, { allowedMethods: ['totp', 'email'] });
      const { user, cookie } = await signedInUser(server);
      const sent = await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
      assert.equal(sent.status, 200);
      const [message] = await outboxOf(server, user.id);
      assert.equal(message?.to, user.email);
      assert.equal(message?.subject, 'Confirm your email address');
      const code = await lastCodeSent(server, user.id, 'email');
      const confirmed = await sendJson(server, 'POST', '/api/mfa/email/confirm', cookie, { code });
      assert.equal(confirmed.status, 200);
      const { Verification } = mfaModels(server.ctx.sequelize);
      const rows = await Verification.findAll({ where: { userId: user.id } });
      assert.deepEqual(
        rows.map((row) => [row.method, row.purpose, row.outcome]),
        [['email', 'enrolment', 'success']],
      );
    });

    it('refuse a phone number that is not one with 400 naming body.phone', async () => {
      await setDefaultPolicy(server, { allowedMethods: ['sms'] });
      const { cookie } = await signedInUser(server);
      const response = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
        phone: '12345',
      });
      assert.equal(response.status, 400);
      assert.equal((await jsonOf(response)).errors[0].path, 'body.phone');
    });
  });

  it('keeps enrolment apart from sign-in verification codes', async () => {
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'email'] });
    const account = await enrolledUser(server);
    nextStep(server);
    const cookie = await stepUp(server, account.cookie, account.secret);
    await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
    const code = await lastCodeSent(server, account.user.id, 'email');
    const misuse = await verify(server, cookie, { method: 'email', code });
    assert.equal(misuse.response.status, 409, 'email is not enrolled yet');
    await setDefaultPolicy(server, {});
  });
});
