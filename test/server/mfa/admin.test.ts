import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signedInUser, type UserJson } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { enrolledUser, makeAdmin, outboxOf, sendJson, signInAgain } from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`an Admin and other accounts' MFA on ${testDialect}`, () => {
  let server: TestServer;
  let admin: { user: UserJson; cookie: string };
  before(async () => {
    server = await startTestServer();
    admin = await signedInUser(server);
    await makeAdmin(server, admin.user.id);
  });
  after(() => server.close());

  it("sees an account's methods and policy, never its secret", async () => {
    const account = await enrolledUser(server);
    const response = await sendJson(
      server,
      'GET',
      `/api/mfa/users/${account.user.id}`,
      admin.cookie,
    );
    assert.equal(response.status, 200);
    const view = await jsonOf(response);
    assert.equal(view.username, account.user.username);
    assert.deepEqual(view.status.methods, ['totp', 'backup']);
    assert.deepEqual(view.appliedPolicy, { id: 1, name: 'Default' });
    assert.equal(view.status.stepUpValidUntil, null);
    assert.ok(!JSON.stringify(view).includes(account.secret));
  });

  it("reads an account's verification history", async () => {
    const account = await enrolledUser(server);
    const path = `/api/mfa/users/${account.user.id}/verifications`;
    const history = await jsonOf(await sendJson(server, 'GET', path, admin.cookie));
    assert.deepEqual(
      history.items.map((row: { method: string; purpose: string }) => [row.method, row.purpose]),
      [['totp', 'enrolment']],
    );
  });

  it('resets an account: every factor goes, the holder is told, the history stays', async () => {
    const account = await enrolledUser(server);
    const response = await sendJson(
      server,
      'POST',
      `/api/mfa/users/${account.user.id}/reset`,
      admin.cookie,
    );
    assert.equal(response.status, 200);
    const view = await jsonOf(response);
    assert.deepEqual(view.status.methods, []);
    assert.equal(view.status.totp.enabled, false);
    assert.equal(view.status.backupCodes.total, 0);
    const { body } = await signInAgain(server, account.registration);
    assert.deepEqual(body.mfa, { required: false, verified: false, methods: [] });
    const subjects = (await outboxOf(server, account.user.id)).map((message) => message.subject);
    assert.ok(subjects.includes('Second factor reset'));
    const history = await jsonOf(
      await sendJson(
        server,
        'GET',
        `/api/mfa/users/${account.user.id}/verifications`,
        admin.cookie,
      ),
    );
    assert.deepEqual(
      history.items.map((row: { method: string; purpose: string }) => [row.method, row.purpose]),
      [
        ['admin', 'reset'],
        ['totp', 'enrolment'],
      ],
    );
  });

  it('answers 404 for an account that does not exist', async () => {
    for (const path of ['/api/mfa/users/999999', '/api/mfa/users/999999/unlock']) {
      const method = path.endsWith('unlock') ? 'POST' : 'GET';
      assert.equal((await sendJson(server, method, path, admin.cookie)).status, 404, path);
    }
    assert.equal((await sendJson(server, 'GET', '/api/mfa/users/abc', admin.cookie)).status, 400);
  });
});
