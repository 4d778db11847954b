import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Op } from 'sequelize';
import {
  backupCodeAlphabet,
  backupCodeCount,
  backupCodeInputLengthMax,
  backupCodeVerifierBits,
  backupCodeVerifierBitsMin,
  parseBackupCode,
} from '../../../server/mfa/backup-codes.ts';
import { mfaModels } from '../../../server/mfa/models.ts';
import { get } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  enrolledUser,
  outboxOf,
  sendJson,
  signInAgain,
  stepUp,
  verify,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe('reading a backup code', () => {
  it('accepts any case, spaces and dashes, and the letters Crockford maps', () => {
    const expected = { selector: '0A1B', verifier: 'CDEFG1HJK0' };
    assert.deepEqual(parseBackupCode('0A1B-CDEFG-1HJK0'), expected);
    assert.deepEqual(parseBackupCode(' oalb cdefg ihjko '), expected);
  });

  it('refuses wrong lengths, foreign characters and overlong input', () => {
    assert.equal(parseBackupCode('0A1B-CDEFG-1HJK'), null);
    assert.equal(parseBackupCode('0A1B-CDEFG-1HJKU'), null, 'U is not in the alphabet');
    const padded = (spaces: number) => `${' '.repeat(spaces)}0A1B-CDEFG-1HJK0`;
    assert.equal(parseBackupCode(padded(backupCodeInputLengthMax - 16))?.selector, '0A1B');
    assert.equal(parseBackupCode(padded(backupCodeInputLengthMax - 15)), null, 'one past');
  });

  it('gives each verifier at least 50 bits', () => {
    assert.equal(backupCodeAlphabet.length, 32);
    assert.ok(backupCodeVerifierBits >= backupCodeVerifierBitsMin);
  });
});

describe(`backup codes on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('comes as 10 distinct codes with the first method, stored only as bcrypt hashes', async () => {
    const account = await enrolledUser(server);
    assert.equal(account.backupCodes.length, backupCodeCount);
    assert.equal(new Set(account.backupCodes).size, backupCodeCount);
    for (const code of account.backupCodes) {
      assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    }
    const { BackupCode } = mfaModels(server.ctx.sequelize);
    const rows = await BackupCode.findAll();
    const stored = JSON.stringify(rows.map((row) => row.get()));
    for (const code of account.backupCodes) {
      const verifier = code.slice(5).replace('-', '');
      assert.ok(!stored.includes(verifier), 'no verifier in the clear');
    }
    assert.ok(rows.every((row) => row.verifierHash.startsWith('$2')));
  });

  it('signs in once with a code, which then no longer works; the holder is told', async () => {
    const account = await enrolledUser(server);
    const [code] = account.backupCodes;
    assert.ok(code);
    const { cookie } = await signInAgain(server, account.registration);
    const first = await verify(server, cookie, { method: 'backup', code: code.toLowerCase() });
    assert.equal(first.response.status, 200);
    assert.equal((await jsonOf(first.response)).method, 'backup');
    const { cookie: other } = await signInAgain(server, account.registration);
    const second = await verify(server, other, { method: 'backup', code });
    assert.equal(second.response.status, 422);
    const counts = await jsonOf(await get(server, '/api/mfa/backup-codes', first.cookie));
    assert.deepEqual([counts.remaining, counts.total], [9, 10]);
    const notice = (await outboxOf(server, account.user.id)).find(
      (message) => message.subject === 'A backup code was used',
    );
    assert.match(notice?.body ?? '', /9 unused codes are left/);
  });

  it('gives exactly one success to N concurrent uses of one code', async () => {
    const account = await enrolledUser(server);
    const code = account.backupCodes[3] ?? '';
    const cookies = [];
    for (let index = 0; index < 4; index += 1) {
      cookies.push((await signInAgain(server, account.registration)).cookie);
    }
    const results = await Promise.all(
      cookies.map((cookie) => verify(server, cookie, { method: 'backup', code })),
    );
    const statuses = results.map((result) => result.response.status);
    assert.equal(statuses.filter((status) => status === 200).length, 1);
    // The losers are refused: as a used code (422), or, once earlier refusals have been
    // counted, by the escalating delay (429) — which one depends on arrival order.
    for (const status of statuses.filter((status) => status !== 200)) {
      assert.ok(status === 422 || status === 429, `unexpected status ${status}`);
    }
    const { BackupCode, UserMfa } = mfaModels(server.ctx.sequelize);
    const record = await UserMfa.findOne({ where: { userId: account.user.id } });
    const where = { userMfaId: record?.id ?? 0, usedAt: { [Op.ne]: null } };
    const used = await BackupCode.count({ where });
    assert.equal(used, 1);
  });

  it('refuses a made-up code and a code of another account', async () => {
    const account = await enrolledUser(server);
    const stranger = await enrolledUser(server);
    const { cookie } = await signInAgain(server, account.registration);
    const madeUp = await verify(server, cookie, { method: 'backup', code: 'AAAA-BBBBB-CCCCC' });
    assert.equal(madeUp.response.status, 422);
    server.clock.advance(1000);
    const foreign = stranger.backupCodes[0] ?? '';
    const theirs = await verify(server, cookie, { method: 'backup', code: foreign });
    assert.equal(theirs.response.status, 422);
  });

  describe('regenerating', () => {
    it('needs a verification in the last 5 minutes', async () => {
      const account = await enrolledUser(server);
      server.clock.advance(5 * 60_000);
      const refused = await sendJson(server, 'POST', '/api/mfa/backup-codes', account.cookie);
      assert.equal(refused.status, 403);
      assert.equal((await jsonOf(refused)).type, '/api/problems/step-up-required');
    });

    it('replaces every code: the old ones stop working', async () => {
      const account = await enrolledUser(server);
      const cookie = await stepUp(server, account.cookie, account.secret);
      server.clock.advance(5 * 60_000 - 1);
      const response = await sendJson(server, 'POST', '/api/mfa/backup-codes', cookie);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const { backupCodes } = await jsonOf(response);
      assert.equal(backupCodes.length, backupCodeCount);
      assert.deepEqual(
        backupCodes.filter((code: string) => account.backupCodes.includes(code)),
        [],
      );
      const { cookie: pending } = await signInAgain(server, account.registration);
      const oldCode = account.backupCodes[0] ?? '';
      const old = await verify(server, pending, { method: 'backup', code: oldCode });
      assert.equal(old.response.status, 422);
      server.clock.advance(1000);
      const fresh = await verify(server, pending, { method: 'backup', code: backupCodes[0] });
      assert.equal(fresh.response.status, 200);
    });
  });
});
