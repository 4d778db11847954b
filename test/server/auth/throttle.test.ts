import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authModels } from '../../../server/auth/models.ts';
import {
  addressThrottleKey,
  loginFailureWindowMs,
  loginFailuresPerAddressMax,
  loginFailuresPerUsernameMax,
  purgeLoginCounts,
  usernameThrottleKey,
} from '../../../server/auth/throttle.ts';
import { aRegistration, logIn, registered, type Registration } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const windowSeconds = loginFailureWindowMs / 1000;

let addressesUsed = 0;

/** A client address no other test has used, so each test starts with clean counts. */
function freshAddress(): string {
  addressesUsed += 1;
  return `198.51.100.${addressesUsed}`;
}

describe(`POST /api/auth/login throttling on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function failures(key: string): Promise<number | undefined> {
    return (await authModels(server.ctx.sequelize).RateLimit.findByPk(key))?.failures;
  }

  async function loginStatus(username: string, password: string, ip: string): Promise<number> {
    return (await logIn(server, { username, password }, { ip })).response.status;
  }

  async function failLogins(
    registration: Registration,
    count: number,
    ip: string,
  ): Promise<number[]> {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < count; attempt += 1) {
      statuses.push(await loginStatus(registration.username, 'wrong password!', ip));
    }
    return statuses;
  }

  it(`answers 429 with Retry-After past ${loginFailuresPerUsernameMax} failures`, async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const ip = freshAddress();
    const statuses = await failLogins(registration, loginFailuresPerUsernameMax, ip);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    const { response, cookie } = await logIn(server, registration, { ip });
    assert.equal(response.status, 429, 'even the right password waits');
    assert.equal(cookie, null);
    assert.equal(response.headers.get('retry-after'), String(windowSeconds));
    const problem = await jsonOf(response);
    assert.equal(problem.type, '/api/problems/too-many-requests');
    assert.equal(problem.retryAfter, windowSeconds);
  });

  it('lets the username in again once Retry-After has passed', async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const ip = freshAddress();
    await failLogins(registration, loginFailuresPerUsernameMax + 1, ip);
    server.clock.advance(loginFailureWindowMs / 2);
    const waiting = await logIn(server, registration, { ip });
    assert.equal(waiting.response.status, 429);
    assert.equal(waiting.response.headers.get('retry-after'), String(windowSeconds / 2));
    server.clock.advance(loginFailureWindowMs / 2);
    assert.equal((await logIn(server, registration, { ip })).response.status, 200);
  });

  it('counts the username in any letter case as one', async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const ip = freshAddress();
    const name = registration.username;
    const capitalised = `${name.slice(0, 1).toUpperCase()}${name.slice(1)}`;
    const spellings = [name.toUpperCase(), name, ` ${name} `, capitalised];
    for (const username of spellings) {
      await logIn(server, { username, password: 'wrong password!' }, { ip });
    }
    assert.equal(await failures(usernameThrottleKey(name)), spellings.length);
  });

  it('resets the username count on a successful login', async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const ip = freshAddress();
    await failLogins(registration, loginFailuresPerUsernameMax - 1, ip);
    assert.equal((await logIn(server, registration, { ip })).response.status, 200);
    assert.equal(await failures(usernameThrottleKey(registration.username)), undefined);
    // The address keeps its failures but not the successful attempt.
    assert.equal(await failures(addressThrottleKey(ip)), loginFailuresPerUsernameMax - 1);
    const statuses = await failLogins(registration, loginFailuresPerUsernameMax + 1, ip);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  it('throttles an unknown username exactly like a known one', async () => {
    const known = aRegistration();
    await registered(server, known);
    const unknown = aRegistration();
    const attempts = loginFailuresPerUsernameMax + 1;
    const knownStatuses = await failLogins(known, attempts, freshAddress());
    const unknownStatuses = await failLogins(unknown, attempts, freshAddress());
    assert.deepEqual(unknownStatuses, knownStatuses);
  });

  it(`blocks an address past ${loginFailuresPerAddressMax} failures of any usernames`, async () => {
    const ip = freshAddress();
    for (let attempt = 0; attempt < loginFailuresPerAddressMax; attempt += 1) {
      assert.equal(await loginStatus(`spray${attempt}`, 'guess12345', ip), 401);
    }
    const registration = aRegistration();
    await registered(server, registration);
    assert.equal((await logIn(server, registration, { ip })).response.status, 429);
    assert.equal((await logIn(server, registration, { ip: freshAddress() })).response.status, 200);
  });

  it('counts 20 failed logins at once exactly; only 5 reach the password check', async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const ip = freshAddress();
    const attempts = Array.from({ length: 20 }, () =>
      logIn(server, { username: registration.username, password: 'wrong password!' }, { ip }),
    );
    const statuses = (await Promise.all(attempts)).map(({ response }) => response.status);
    assert.equal(statuses.filter((status) => status === 401).length, loginFailuresPerUsernameMax);
    const refused = statuses.filter((status) => status === 429);
    assert.equal(refused.length, 20 - loginFailuresPerUsernameMax);
    assert.equal(await failures(usernameThrottleKey(registration.username)), 20);
    assert.equal(await failures(addressThrottleKey(ip)), 20);
    const { User } = authModels(server.ctx.sequelize);
    const row = await User.findOne({ where: { username: registration.username } });
    assert.equal(row?.failLoginCount, loginFailuresPerUsernameMax);
  });

  it('counts 20 failed logins at once from one address exactly, then blocks it', async () => {
    const ip = freshAddress();
    const attempts = Array.from({ length: loginFailuresPerAddressMax }, (_, index) =>
      logIn(server, { username: `burst${index}`, password: 'guess12345' }, { ip }),
    );
    const statuses = (await Promise.all(attempts)).map(({ response }) => response.status);
    assert.deepEqual(new Set(statuses), new Set([401]));
    assert.equal(await failures(addressThrottleKey(ip)), loginFailuresPerAddressMax);
    assert.equal(await loginStatus('burst-next', 'guess12345', ip), 429);
  });

  it('purges counts whose window and block have run out, keeping running ones', async () => {
    const minuteMs = 60_000;
    const stale = aRegistration();
    const blocked = aRegistration();
    await failLogins(stale, 1, freshAddress());
    server.clock.advance(10 * minuteMs);
    await failLogins(blocked, loginFailuresPerUsernameMax + 1, freshAddress());
    server.clock.advance(loginFailureWindowMs - 10 * minuteMs);
    assert.ok((await purgeLoginCounts(server.ctx)) >= 2, 'the stale username and its address');
    assert.equal(await failures(usernameThrottleKey(stale.username)), undefined);
    const blockedFailures = await failures(usernameThrottleKey(blocked.username));
    assert.equal(blockedFailures, loginFailuresPerUsernameMax + 1);
    assert.equal(await loginStatus(blocked.username, 'any password', freshAddress()), 429);
  });

});
