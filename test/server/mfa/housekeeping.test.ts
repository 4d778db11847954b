import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeExpiredMfaRows } from '../../../server/mfa/housekeeping.ts';
import { otpCodeTtlMs } from '../../../server/mfa/otp-codes.ts';
import { countRows, signedInUser } from '../support/auth-client.ts';
import { sendJson, setDefaultPolicy } from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const dayMs = 24 * 60 * 60 * 1000;
const nothing = { codes: 0, enrolments: 0, devices: 0, counts: 0 };

describe(`purging run-out MFA rows on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'email'] });
  });
  after(() => server.close());

  it('keeps what may still be used and deletes it once it has run out', async () => {
    const { cookie } = await signedInUser(server);
    await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
    await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie);
    const before = { codes: 1, enrolments: 1 };
    assert.deepEqual(await purgeExpiredMfaRows(server.ctx), nothing);
    assert.equal(await countRows(server, 'ab_mfa_otp_codes'), before.codes);
    server.clock.advance(otpCodeTtlMs);
    const atExpiry = await purgeExpiredMfaRows(server.ctx);
    assert.deepEqual([atExpiry.codes, atExpiry.enrolments], [1, 0]);
    server.clock.advance(dayMs);
    const later = await purgeExpiredMfaRows(server.ctx);
    assert.equal(later.enrolments, before.enrolments);
    assert.ok(later.counts >= 4, 'the cooldown and the three daily counts of the send');
    assert.equal(await countRows(server, 'ab_mfa_totp_enrolments'), 0);
  });
});
