import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureAdmin, type EnsureAdminResult } from '../../../server/auth/admin.ts';
import { authModels } from '../../../server/auth/models.ts';
import {
  aRegistration,
  authRowCounts,
  get,
  logIn,
  registered,
} from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** What changed, without the id. */
function changes(outcome: EnsureAdminResult) {
  const { created, credentialUpdated, roleGranted } = outcome;
  return { created, credentialUpdated, roleGranted };
}

/** The status a login with `username` and `password` gets. */
async function loginStatus(server: TestServer, username: string, password: string) {
  return (await logIn(server, { username, password })).response.status;
}

describe(`ensureAdmin on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('creates the account with the role Admin, and it can sign in', async () => {
    const admin = { username: 'Root', password: 'admin password 1' };
    assert.deepEqual(changes(await ensureAdmin(server.ctx, admin)), {
      created: true,
      credentialUpdated: false,
      roleGranted: true,
    });
    const { response } = await logIn(server, { username: 'root', password: 'admin password 1' });
    assert.equal(response.status, 200);
    const { user } = await jsonOf(response);
    assert.deepEqual(user.roles, ['Admin']);
    assert.equal(user.email, 'root@admin.invalid');
  });

  it('changes nothing when run again with the same values', async () => {
    const steady = { username: 'steady', password: 'admin password 2' };
    await ensureAdmin(server.ctx, steady);
    const { User } = authModels(server.ctx.sequelize);
    const hashBefore = (await User.findOne({ where: { username: 'steady' } }))?.password;
    const countsBefore = await authRowCounts(server);
    const again = await ensureAdmin(server.ctx, steady);
    assert.deepEqual(changes(again), {
      created: false,
      credentialUpdated: false,
      roleGranted: false,
    });
    assert.deepEqual(await authRowCounts(server), countsBefore);
    assert.equal((await User.findOne({ where: { username: 'steady' } }))?.password, hashBefore);
  });

  it('sets a changed password and ends the sessions opened with the old one', async () => {
    await ensureAdmin(server.ctx, { username: 'rotator', password: 'first password' });
    const { cookie } = await logIn(server, { username: 'rotator', password: 'first password' });
    const outcome = await ensureAdmin(server.ctx, { username: 'rotator', password: 'second pass' });
    assert.equal(outcome.credentialUpdated, true);
    assert.equal((await get(server, '/api/auth/me', cookie)).status, 401);
    assert.equal(await loginStatus(server, 'rotator', 'first password'), 401);
    assert.equal(await loginStatus(server, 'rotator', 'second pass'), 200);
  });

  it('makes an existing, disabled user an active Admin who keeps the role User', async () => {
    const registration = aRegistration();
    const user = await registered(server, registration);
    const { User } = authModels(server.ctx.sequelize);
    await User.update({ active: false }, { where: { id: user.id } });
    const { username, password } = registration;
    const outcome = await ensureAdmin(server.ctx, { username, password });
    assert.equal(outcome.userId, user.id);
    assert.equal(outcome.roleGranted, true);
    const { response } = await logIn(server, registration);
    assert.equal(response.status, 200);
    assert.deepEqual((await jsonOf(response)).user.roles, ['Admin', 'User']);
  });

  it('creates one account when several starts race', async () => {
    const admin = { username: 'racing-admin', password: 'admin password 3' };
    const outcomes = await Promise.all([
      ensureAdmin(server.ctx, admin),
      ensureAdmin(server.ctx, admin),
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.created).length, 1);
    assert.equal(outcomes[0].userId, outcomes[1].userId);
  });

  it('refuses a password that breaks the rules, naming the rule', async () => {
    const before = await authRowCounts(server);
    const refusals: [string, string, RegExp][] = [
      ['weak', 'short', /at least 10/],
      ['weak', 'ü'.repeat(40), /72 bytes/],
      ['x', 'long enough pw', /at least 3/],
      ['same-as-name', 'SAME-AS-NAME', /must not be the username/],
    ];
    for (const [username, password, message] of refusals) {
      await assert.rejects(ensureAdmin(server.ctx, { username, password }), message);
    }
    assert.deepEqual(await authRowCounts(server), before);
  });
});
