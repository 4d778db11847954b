import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authModels } from '../../../server/auth/models.ts';
import { mfaModels } from '../../../server/mfa/models.ts';
import {
  rememberDevice,
  trustedDevicesPerUserMax,
} from '../../../server/mfa/trusted-devices.ts';
import { get } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import {
  authenticatorCode,
  databaseText,
  enrolledUser,
  nextStep,
  sendJson,
  setDefaultPolicy,
  signInAgain,
  stepUp,
  verify,
  type EnrolledUser,
} from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** The `ab_mfa_device=...` pair a response set, or null. */
function deviceCookieOf(response: Response): string | null {
  const line = response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('ab_mfa_device='));
  const pair = line?.split(';')[0];
  return pair && pair !== 'ab_mfa_device=' ? pair : null;
}

describe(`remembered devices on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** Signs in, verifies with rememberDevice, and answers the device cookie. */
  async function remembered(
    account: EnrolledUser,
  ): Promise<{ device: string; cookie: string; response: Response }> {
    const { cookie } = await signInAgain(server, account.registration);
    const code = await authenticatorCode(server, account.secret);
    const result = await verify(server, cookie, { method: 'totp', code, rememberDevice: true });
    assert.equal(result.response.status, 200);
    const device = deviceCookieOf(result.response);
    assert.ok(device, 'the device cookie is set');
    return { device, cookie: result.cookie, response: result.response };
  }

  async function signInWith(account: EnrolledUser, device: string) {
    return signInAgain(server, account.registration, { cookie: device });
  }

  it('sets an HttpOnly cookie for the policy days and says until when', async () => {
    const account = await enrolledUser(server);
    const { response } = await remembered(account);
    const line = response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('ab_mfa_device='));
    const attributes = (line ?? '')
      .split(';')
      .slice(1)
      .map((part) => part.trim().toLowerCase())
      .sort();
    assert.deepEqual(attributes, [
      'httponly',
      `max-age=${30 * 24 * 3600}`,
      'path=/api',
      'samesite=lax',
    ]);
    const until = new Date(server.clock.now().getTime() + 30 * dayMs).toISOString();
    assert.equal((await jsonOf(response)).rememberedUntil, until);
  });

  it('lets the device sign in verified, recorded, without counting for step-up', async () => {
    const account = await enrolledUser(server);
    const { device } = await remembered(account);
    server.clock.advance(dayMs);
    const { body, cookie } = await signInWith(account, device);
    assert.deepEqual(body.mfa, { required: true, verified: true, methods: ['totp', 'backup'] });
    const me = await jsonOf(await get(server, '/api/auth/me', cookie));
    assert.equal(me.mfa.verified, true);
    const history = await jsonOf(await get(server, '/api/mfa/verifications', cookie));
    assert.deepEqual(
      [history.items[0].method, history.items[0].outcome, history.items[0].reason],
      ['device', 'success', 'remembered-device'],
    );
    const stepUpNeeded = await sendJson(server, 'POST', '/api/mfa/backup-codes', cookie);
    assert.equal(stepUpNeeded.status, 403);
    assert.equal((await jsonOf(stepUpNeeded)).type, '/api/problems/step-up-required');
  });

  it('stores only the hash of the token', async () => {
    const account = await enrolledUser(server);
    const { device } = await remembered(account);
    const token = device.slice('ab_mfa_device='.length);
    assert.ok(!(await databaseText(server)).includes(token));
  });

  it('is forgotten after the policy days, and not before', async () => {
    const account = await enrolledUser(server);
    const { device } = await remembered(account);
    server.clock.advance(30 * dayMs - 1000);
    assert.equal((await signInWith(account, device)).body.mfa.verified, true);
    server.clock.advance(1000);
    assert.equal((await signInWith(account, device)).body.mfa.verified, false);
  });

  it('is forgotten when a factor changes', async () => {
    const account = await enrolledUser(server);
    const { device, cookie } = await remembered(account);
    const fresh = await stepUp(server, cookie, account.secret);
    assert.equal((await sendJson(server, 'POST', '/api/mfa/backup-codes', fresh)).status, 200);
    assert.equal((await signInWith(account, device)).body.mfa.verified, false);
  });

  it('is forgotten when the password changes', async () => {
    const account = await enrolledUser(server);
    const { device } = await remembered(account);
    const { User } = authModels(server.ctx.sequelize);
    server.clock.advance(1000);
    await User.update(
      { passwordChangedOn: server.clock.now() },
      { where: { id: account.user.id } },
    );
    assert.equal((await signInWith(account, device)).body.mfa.verified, false);
  });

  it('vouches only for the account it was issued to', async () => {
    const first = await enrolledUser(server);
    const second = await enrolledUser(server);
    const { device } = await remembered(first);
    assert.equal((await signInWith(second, device)).body.mfa.verified, false);
  });

  it('is neither set nor honoured while the policy allows 0 days', async () => {
    const account = await enrolledUser(server);
    const { device } = await remembered(account);
    await setDefaultPolicy(server, { rememberDeviceDays: 0 });
    try {
      const { cookie, body } = await signInWith(account, device);
      assert.equal(body.mfa.verified, false);
      nextStep(server);
      const code = await authenticatorCode(server, account.secret);
      const { response } = await verify(server, cookie, {
        method: 'totp',
        code,
        rememberDevice: true,
      });
      assert.equal(response.status, 200);
      assert.equal((await jsonOf(response)).rememberedUntil, null);
      assert.equal(deviceCookieOf(response), null);
    } finally {
      await setDefaultPolicy(server, {});
    }
  });

  it('lists the devices, marks the current one, and forgets one on request', async () => {
    const account = await enrolledUser(server);
    const { device, cookie } = await remembered(account);
    const list = await jsonOf(await get(server, '/api/mfa/devices', `${cookie}; ${device}`));
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].current, true);
    const stranger = await enrolledUser(server);
    const foreign = await sendJson(
      server,
      'DELETE',
      `/api/mfa/devices/${list.items[0].id}`,
      stranger.cookie,
    );
    assert.equal(foreign.status, 404);
    const deleted = await sendJson(
      server,
      'DELETE',
      `/api/mfa/devices/${list.items[0].id}`,
      `${cookie}; ${device}`,
    );
    assert.equal(deleted.status, 200);
    assert.ok(deleted.headers.getSetCookie().some((line) => line.startsWith('ab_mfa_device=;')));
    assert.equal((await signInWith(account, device)).body.mfa.verified, false);
  });

  it(`keeps at most ${trustedDevicesPerUserMax} devices per account, oldest out`, async () => {
    const account = await enrolledUser(server);
    const { device: oldest } = await remembered(account);
    const { UserMfa } = mfaModels(server.ctx.sequelize);
    const record = await UserMfa.findOne({ where: { userId: account.user.id } });
    // The rest straight through the service: each would otherwise cost a sign-in.
    for (let index = 1; index < trustedDevicesPerUserMax; index += 1) {
      await rememberDevice(server.ctx, {
        userId: account.user.id,
        factorVersion: record?.factorVersion ?? -1,
        passwordChangedOn: null,
        rememberDeviceDays: 30,
        ip: null,
        userAgent: 'test',
      });
    }
    assert.equal((await signInWith(account, oldest)).body.mfa.verified, true, 'at the limit');
    server.clock.advance(30_000);
    await remembered(account);
    assert.equal((await signInWith(account, oldest)).body.mfa.verified, false, 'one past');
    const { TrustedDevice } = mfaModels(server.ctx.sequelize);
    const kept = await TrustedDevice.count({ where: { userId: account.user.id } });
    assert.equal(kept, trustedDevicesPerUserMax);
  });
});
