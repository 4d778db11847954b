import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import {
  encryptedColumns,
  rotateEncryptedColumns,
} from '../../../server/crypto/encrypted-columns.ts';
import { generateFernetKey, parseFernetKey } from '../../../server/crypto/fernet.ts';
import { Keyring } from '../../../server/crypto/keyring.ts';
import '../../../server/crypto/registered-columns.ts';
import { createLogger } from '../../../server/logger.ts';
import { mfaEncryptedColumns } from '../../../server/mfa/encrypted-columns.ts';
import { resendCooldownMs } from '../../../server/mfa/otp-codes.ts';
import { signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  authenticatorCode,
  databaseText,
  enrolTotp,
  followCookie,
  lastCodeSent,
  nextStep,
  sendJson,
  setDefaultPolicy,
  signInAgain,
  verify,
} from '../support/mfa-client.ts';
import {
  startTestServer,
  testDialect,
  testSecretKey,
  type TestServer,
} from '../support/test-context.ts';

describe(`what is never kept in the clear, on ${testDialect}`, () => {
  let server: TestServer;
  /** Everything secret the scenario below handled, by name. */
  const secrets = new Map<string, string>();

  before(async () => {
    server = await startTestServer();
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms', 'email'] });
    const phone = '+15005550888';
    secrets.set('phone', phone);
    secrets.set('phone digits', phone.slice(1));
    const { user, registration, cookie } = await signedInUser(server);
    const setup = await jsonOf(await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie));
    secrets.set('otpauth URI', setup.otpauthUri);
    const enrolled = await enrolTotp(server, cookie);
    secrets.set('TOTP secret', enrolled.secret);
    enrolled.backupCodes.forEach((code, index) => {
      secrets.set(`backup code ${index}`, code);
      secrets.set(`backup verifier ${index}`, code.slice(5).replace('-', ''));
    });
    let active = await stepUpWith(enrolled.cookie, enrolled.secret);
    await sendJson(server, 'POST', '/api/mfa/sms/setup', active, { phone });
    const smsEnrolment = await lastCodeSent(server, user.id, 'sms');
    secrets.set('SMS enrolment code', smsEnrolment);
    const smsConfirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', active, {
      code: smsEnrolment,
    });
    active = followCookie(smsConfirmed, active);
    await sendJson(server, 'POST', '/api/mfa/email/setup', active, {});
    const emailEnrolment = await lastCodeSent(server, user.id, 'email');
    secrets.set('email enrolment code', emailEnrolment);
    await sendJson(server, 'POST', '/api/mfa/email/confirm', active, { code: emailEnrolment });
    server.clock.advance(resendCooldownMs);
    const { cookie: pending } = await signInAgain(server, registration);
    await sendJson(server, 'POST', '/api/mfa/challenge', pending, { method: 'sms' });
    const smsSignIn = await lastCodeSent(server, user.id, 'sms');
    secrets.set('SMS sign-in code', smsSignIn);
    const signedIn = await verify(server, pending, {
      method: 'sms',
      code: smsSignIn,
      rememberDevice: true,
    });
    assert.equal(signedIn.response.status, 200);
    const device = signedIn.response.headers
      .getSetCookie()
      .find((line) => line.startsWith('ab_mfa_device='));
    secrets.set('device token', device?.split(';')[0]?.slice('ab_mfa_device='.length) ?? 'missing');
    const { cookie: again } = await signInAgain(server, registration);
    const backup = await verify(server, again, {
      method: 'backup',
      code: enrolled.backupCodes[0] ?? '',
    });
    assert.equal(backup.response.status, 200);
  });
  after(() => server.close());

  async function stepUpWith(cookie: string, secret: string): Promise<string> {
    nextStep(server);
    const code = await authenticatorCode(server, secret);
    secrets.set(`TOTP code ${secrets.size}`, code);
    const { response, cookie: next } = await verify(server, cookie, { method: 'totp', code });
    assert.equal(response.status, 200);
    return next;
  }

  it('writes no secret, code or phone number to the log', () => {
    const log = server.logLines.join('\n');
    assert.ok(log.includes('mfa verification'), 'the scenario was logged');
    for (const [name, value] of secrets) assert.ok(!log.includes(value), `${name} in the log`);
  });

  it('stores no secret, code or phone number in the clear', async () => {
    const text = await databaseText(server);
    assert.ok(text.includes('ab_user_mfa'), 'the dump covers the MFA tables');
    for (const [name, value] of secrets)
      assert.ok(!text.includes(value), `${name} in the database`);
  });

  it('registers every MFA token column for key rotation', () => {
    const registered = encryptedColumns();
    for (const column of mfaEncryptedColumns) {
      assert.ok(
        registered.some((known) => known.table === column.table && known.column === column.column),
        `${column.table}.${column.column}`,
      );
    }
  });

  it('re-encrypts every MFA token under a new key, and the factors still work', async () => {
    const newKey = parseFernetKey(generateFernetKey());
    const rotating = new Keyring([newKey, parseFernetKey(testSecretKey)], server.clock);
    const rotations = await rotateEncryptedColumns(
      server.ctx.sequelize,
      rotating,
      createLogger('silent'),
    );
    const mfaRotations = rotations.filter((rotation) =>
      mfaEncryptedColumns.some(
        (column) => column.table === rotation.table && column.column === rotation.column,
      ),
    );
    assert.equal(mfaRotations.length, mfaEncryptedColumns.length);
    const secretRow = mfaRotations.find((rotation) => rotation.column === 'totp_secret');
    assert.equal(secretRow?.reencrypted, 1);
    const newOnly = new Keyring([newKey], server.clock);
    for (const column of mfaEncryptedColumns) {
      const rows = await server.ctx.sequelize.query<{ token: string | null }>(
        `SELECT ${column.column} AS token FROM ${column.table}`,
        { type: QueryTypes.SELECT },
      );
      for (const row of rows) {
        if (row.token !== null) assert.doesNotThrow(() => newOnly.decrypt(row.token ?? ''));
      }
    }
    const [secretToken] = await server.ctx.sequelize.query<{ token: string }>(
      'SELECT totp_secret AS token FROM ab_user_mfa WHERE totp_secret IS NOT NULL',
      { type: QueryTypes.SELECT },
    );
    assert.equal(newOnly.decryptString(secretToken?.token ?? ''), secrets.get('TOTP secret'));
  });
});
