import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { mfaModels } from '../../../server/mfa/models.ts';
import { effectivePolicy } from '../../../server/mfa/policies.ts';
import { policiesMax } from '../../../server/mfa/schemas.ts';
import { get, signedInUser, type UserJson } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { authenticatorCode, makeAdmin, sendJson, signInAgain } from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** A valid policy body, changed by `changes`. */
function aPolicy(changes: Record<string, unknown> = {}) {
  return { name: 'Staff', enforcement: 'required', allowedMethods: ['totp'], ...changes };
}

describe(`MFA policies on ${testDialect}`, () => {
  let server: TestServer;
  let admin: {
    user: UserJson;
    cookie: string;
    registration: { username: string; password: string };
  };
  before(async () => {
    server = await startTestServer();
    admin = await signedInUser(server);
    await makeAdmin(server, admin.user.id);
  });
  after(() => server.close());

  /**
   * Deletes every policy but the seeded Default, puts Default back as seeded, and signs the
   * Admin in again (tests move the clock by days, past any session).
   */
  async function resetPolicies(): Promise<void> {
    const { Policy, PolicyRole } = mfaModels(server.ctx.sequelize);
    await PolicyRole.destroy({ where: {} });
    await Policy.destroy({ where: {} });
    const now = server.clock.now();
    await Policy.create({
      id: 1,
      name: 'Default',
      priority: 0,
      enforcement: 'optional',
      allowedMethods: 'totp',
      gracePeriodDays: null,
      gracePromptsMax: null,
      setupDeadline: null,
      maxFailedAttempts: 5,
      lockoutMinutes: 15,
      totpWindowSteps: 1,
      rememberDeviceDays: 30,
      createdAt: now,
      updatedAt: now,
    });
    admin.cookie = (await signInAgain(server, admin.registration)).cookie;
  }

  function create(body: unknown) {
    return sendJson(server, 'POST', '/api/mfa/policies', admin.cookie, body);
  }

  /** Creates a policy and fails loudly unless it is created. */
  async function created(body: unknown): Promise<{ id: number; name: string }> {
    const response = await create(body);
    assert.equal(response.status, 201, await response.clone().text());
    return jsonOf(response);
  }

  describe('the Admin API', () => {
    beforeEach(resetPolicies);

    it('starts with one org-wide optional policy allowing TOTP', async () => {
      const response = await sendJson(server, 'GET', '/api/mfa/policies', admin.cookie);
      assert.equal(response.status, 200);
      const { items, nextCursor } = await jsonOf(response);
      assert.equal(nextCursor, null);
      assert.deepEqual(
        items.map((policy: Record<string, unknown>) => [
          policy.name,
          policy.roles,
          policy.enforcement,
        ]),
        [['Default', [], 'optional']],
      );
      assert.deepEqual(items[0].allowedMethods, ['totp']);
    });

    it('creates, reads, replaces and deletes a policy', async () => {
      const created = await create(aPolicy({ roles: ['User'], priority: 10 }));
      assert.equal(created.status, 201);
      const policy = await jsonOf(created);
      assert.deepEqual(
        [policy.roles, policy.maxFailedAttempts, policy.totpWindowSteps],
        [['User'], 5, 1],
      );
      const path = `/api/mfa/policies/${policy.id}`;
      assert.equal((await jsonOf(await sendJson(server, 'GET', path, admin.cookie))).name, 'Staff');
      const replaced = await sendJson(
        server,
        'PUT',
        path,
        admin.cookie,
        aPolicy({ name: 'Staff 2' }),
      );
      assert.equal(replaced.status, 200);
      assert.deepEqual((await jsonOf(replaced)).roles, [], 'a replacement names no role: org-wide');
      assert.equal((await sendJson(server, 'DELETE', path, admin.cookie)).status, 200);
      assert.equal((await sendJson(server, 'GET', path, admin.cookie)).status, 404);
    });

    it('is for Admins only', async () => {
      const user = await signedInUser(server);
      for (const [method, path] of [
        ['GET', '/api/mfa/policies'],
        ['PUT', '/api/mfa/policies/1'],
        ['GET', `/api/mfa/users/${admin.user.id}`],
      ] as const) {
        const response = await sendJson(
          server,
          method,
          path,
          user.cookie,
          method === 'PUT' ? aPolicy() : undefined,
        );
        assert.equal(response.status, 403, `${method} ${path}`);
      }
      assert.equal((await sendJson(server, 'GET', '/api/mfa/policies', null)).status, 401);
    });

    it('refuses an unknown role, a taken name, and each bound one past its limit', async () => {
      const unknownRole = await create(aPolicy({ roles: ['Pilot'] }));
      assert.equal(unknownRole.status, 400);
      assert.equal((await jsonOf(unknownRole)).errors[0].path, 'body.roles.0');
      assert.equal((await create(aPolicy({ name: 'Default' }))).status, 409);
      const limits: [string, unknown, unknown][] = [
        ['name', 'n'.repeat(100), 'n'.repeat(101)],
        ['priority', 1000, 1001],
        ['maxFailedAttempts', 10, 11],
        ['lockoutMinutes', 1440, 1441],
        ['totpWindowSteps', 2, 3],
        ['rememberDeviceDays', 90, 91],
        ['gracePeriodDays', 365, 366],
        ['gracePromptsMax', 100, 101],
        [
          'roles',
          Array.from({ length: 20 }, () => 'User').map((role, index) =>
            index ? `${role}${index}` : role,
          ),
          null,
        ],
      ];
      for (const [field, atLimit, pastLimit] of limits) {
        if (field !== 'roles') {
          const ok = await create(aPolicy({ name: `at ${field}`, [field]: atLimit }));
          assert.equal(ok.status, 201, `${field} at its limit`);
          const past = await create(aPolicy({ name: `past ${field}`, [field]: pastLimit }));
          assert.equal(past.status, 400, `${field} past its limit`);
          assert.equal((await jsonOf(past)).errors[0].path, `body.${field}`);
        }
      }
      const tooManyRoles = await create(
        aPolicy({ roles: Array.from({ length: 21 }, (_, i) => `R${i}`) }),
      );
      assert.equal(tooManyRoles.status, 400);
      assert.equal((await create(aPolicy({ name: 'window', totpWindowSteps: -1 }))).status, 400);
    });

    it(`keeps at most ${policiesMax} policies`, async () => {
      const { Policy } = mfaModels(server.ctx.sequelize);
      const now = server.clock.now();
      const rows = Array.from({ length: policiesMax - 2 }, (_, index) => ({
        name: `bulk ${index}`,
        priority: 0,
        enforcement: 'optional',
        allowedMethods: 'totp',
        gracePeriodDays: null,
        gracePromptsMax: null,
        setupDeadline: null,
        maxFailedAttempts: 5,
        lockoutMinutes: 15,
        totpWindowSteps: 1,
        rememberDeviceDays: 0,
        createdAt: now,
        updatedAt: now,
      }));
      await Policy.bulkCreate(rows);
      assert.equal((await create(aPolicy({ name: 'the hundredth' }))).status, 201);
      const past = await create(aPolicy({ name: 'one too many' }));
      assert.equal(past.status, 409);
      const page = await jsonOf(
        await sendJson(server, 'GET', '/api/mfa/policies?limit=60', admin.cookie),
      );
      assert.equal(page.items.length, 60);
      const rest = await jsonOf(
        await sendJson(
          server,
          'GET',
          `/api/mfa/policies?limit=100&cursor=${page.nextCursor}`,
          admin.cookie,
        ),
      );
      assert.equal(rest.items.length, 40);
      assert.equal(rest.nextCursor, null);
      assert.equal(
        (await sendJson(server, 'GET', '/api/mfa/policies?limit=101', admin.cookie)).status,
        400,
      );
      assert.equal(
        (await sendJson(server, 'GET', '/api/mfa/policies?limit=0', admin.cookie)).status,
        400,
      );
    });
  });

  describe('precedence', () => {
    beforeEach(resetPolicies);

    it('picks the highest priority of org-wide policies and those naming a held role', async () => {
      const user = await signedInUser(server);
      await created(aPolicy({ name: 'Admins', roles: ['Admin'], priority: 50 }));
      await created(
        aPolicy({ name: 'Users', roles: ['User'], priority: 20, allowedMethods: ['sms'] }),
      );
      await created(aPolicy({ name: 'Everyone low', priority: -5 }));
      assert.equal((await effectivePolicy(server.ctx, user.user.id)).name, 'Users');
      assert.equal((await effectivePolicy(server.ctx, admin.user.id)).name, 'Admins');
    });

    it('breaks a tie in priority by age: the older policy wins', async () => {
      const user = await signedInUser(server);
      await created(aPolicy({ name: 'First', priority: 5 }));
      await created(aPolicy({ name: 'Second', roles: ['User'], priority: 5 }));
      assert.equal((await effectivePolicy(server.ctx, user.user.id)).name, 'First');
    });

    it('falls back to a built-in optional TOTP policy when none is left', async () => {
      await sendJson(server, 'DELETE', '/api/mfa/policies/1', admin.cookie);
      const user = await signedInUser(server);
      const policy = await effectivePolicy(server.ctx, user.user.id);
      assert.deepEqual(
        [policy.id, policy.enforcement, policy.allowedMethods],
        [null, 'optional', ['totp']],
      );
      const status = await jsonOf(await get(server, '/api/mfa/status', user.cookie));
      assert.deepEqual(status.policy, { id: null, name: 'Built-in default' });
    });

    it('shows an Admin which policy applies to an account', async () => {
      const user = await signedInUser(server);
      const staff = await created(aPolicy({ roles: ['User'], priority: 3 }));
      const view = await jsonOf(
        await sendJson(server, 'GET', `/api/mfa/users/${user.user.id}`, admin.cookie),
      );
      assert.deepEqual(view.appliedPolicy, { id: staff.id, name: 'Staff' });
      assert.equal(view.status.enrolment.due, true);
    });
  });

  describe('required enrolment', () => {
    beforeEach(resetPolicies);

    it('gives a sign-in without grace a pending session that can only enrol', async () => {
      await created(aPolicy({ roles: ['User'], priority: 1 }));
      const { registration, user } = await signedInUser(server);
      const { body, cookie } = await signInAgain(server, registration);
      assert.deepEqual(body.mfa, { required: true, verified: false, methods: [] });
      const status = await jsonOf(await get(server, '/api/mfa/status', cookie));
      assert.equal(status.enrolment.mustEnrolNow, true);
      assert.equal((await sendJson(server, 'GET', '/api/mfa/devices', cookie)).status, 403);
      const setup = await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie);
      assert.equal(setup.status, 200);
      const { secret } = await jsonOf(setup);
      const code = await authenticatorCode(server, secret);
      const confirmed = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
      assert.equal(confirmed.status, 200);
      const active = confirmed.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      assert.notEqual(active, cookie, 'enrolling rotated the session');
      assert.equal((await sendJson(server, 'GET', '/api/mfa/devices', active)).status, 200);
      const me = await jsonOf(await get(server, '/api/auth/me', active));
      assert.deepEqual(me.mfa, { required: true, verified: true, methods: ['totp', 'backup'] });
      assert.equal(me.user.id, user.id);
    });

    it('lets a sign-in skip the prompt as often as the grace allows, then not', async () => {
      await created(aPolicy({ gracePromptsMax: 2, priority: 1 }));
      const { registration } = await signedInUser(server);
      const states = [];
      for (let signIn = 0; signIn < 3; signIn += 1) {
        const { body, cookie } = await signInAgain(server, registration);
        const status = await jsonOf(await get(server, '/api/mfa/status', cookie));
        states.push([body.mfa.required, status.enrolment.promptsLeft]);
      }
      // signedInUser's own sign-in was the first prompt.
      assert.deepEqual(states, [
        [false, 0],
        [true, 0],
        [true, 0],
      ]);
    });

    it('lets setup wait for the grace days from the first prompt, and not after', async () => {
      await created(aPolicy({ gracePeriodDays: 3, priority: 1 }));
      const { registration, cookie } = await signedInUser(server);
      const status = await jsonOf(await get(server, '/api/mfa/status', cookie));
      const endsAt = new Date(server.clock.now().getTime() + 3 * dayMs).toISOString();
      assert.deepEqual(status.enrolment, {
        due: true,
        mustEnrolNow: false,
        graceEndsAt: endsAt,
        promptsLeft: null,
      });
      server.clock.advance(3 * dayMs - 1000);
      assert.equal((await signInAgain(server, registration)).body.mfa.required, false);
      server.clock.advance(1000);
      assert.equal((await signInAgain(server, registration)).body.mfa.required, true);
    });

    it('ends every grace at the setup deadline', async () => {
      const deadline = new Date(server.clock.now().getTime() + dayMs);
      await created(
        aPolicy({ gracePeriodDays: 30, setupDeadline: deadline.toISOString(), priority: 1 }),
      );
      const { registration } = await signedInUser(server);
      server.clock.set(new Date(deadline.getTime() - 1));
      assert.equal((await signInAgain(server, registration)).body.mfa.required, false);
      server.clock.set(deadline);
      const { body } = await signInAgain(server, registration);
      assert.deepEqual(body.mfa, { required: true, verified: false, methods: [] });
    });

    it('does not let the last method go while required', async () => {
      await created(aPolicy({ priority: 1 }));
      const { registration } = await signedInUser(server);
      const { cookie } = await signInAgain(server, registration);
      const { secret } = await jsonOf(
        await sendJson(server, 'POST', '/api/mfa/totp/setup', cookie),
      );
      const code = await authenticatorCode(server, secret);
      const confirmed = await sendJson(server, 'POST', '/api/mfa/totp/confirm', cookie, { code });
      const active = confirmed.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const response = await sendJson(server, 'DELETE', '/api/mfa/methods/totp', active);
      assert.equal(response.status, 409);
      assert.equal((await jsonOf(response)).type, '/api/problems/last-method-required');
    });
  });
});
