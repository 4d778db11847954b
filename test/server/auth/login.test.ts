import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authModels } from '../../../server/auth/models.ts';
import {
  aRegistration,
  authRowCounts,
  get,
  logIn,
  postJson,
  registered,
  send,
  sessionCookieOf,
  sessionSetCookie,
  signedInUser,
} from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** The `Set-Cookie` attributes of the session cookie, lower-cased, without its value. */
function cookieAttributes(response: Response): string[] {
  const line = sessionSetCookie(response) ?? '';
  return line.split(';').slice(1).map((part) => part.trim().toLowerCase()).sort();
}

describe(`the auth routes on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function disable(userId: number): Promise<void> {
    const { User } = authModels(server.ctx.sequelize);
    await User.update({ active: false }, { where: { id: userId } });
  }

  describe('POST /api/auth/login', () => {
    it('signs in with the username in any case, answering {user, mfa} and a cookie', async () => {
      const registration = aRegistration({ username: 'Grace' });
      const user = await registered(server, registration);
      const { password } = registration;
      const { response, cookie } = await logIn(server, { username: 'GRACE', password });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await jsonOf(response), {
        user,
        mfa: { required: false, verified: false, methods: [] },
      });
      assert.match(cookie ?? '', /^ab_session=[A-Za-z0-9_-]{43}$/);
    });

    it('sets the cookie HttpOnly, SameSite=Lax, Path=/, not Secure over plain http', async () => {
      const registration = aRegistration();
      await registered(server, registration);
      const { response } = await logIn(server, registration);
      assert.deepEqual(cookieAttributes(response), [
        'httponly',
        'max-age=43200',
        'path=/',
        'samesite=lax',
      ]);
    });

    it('sets the cookie Secure when the request came over https', async () => {
      const registration = aRegistration();
      await registered(server, registration);
      const response = await server.app.request('https://localhost/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: registration.username, password: registration.password }),
      });
      assert.equal(response.status, 200);
      assert.ok(cookieAttributes(response).includes('secure'));
    });

    it('records the login: login_count and last_login up, fail_login_count back to 0', async () => {
      const registration = aRegistration();
      const user = await registered(server, registration);
      await logIn(server, { username: registration.username, password: 'not the password' });
      const { User } = authModels(server.ctx.sequelize);
      assert.equal((await User.findByPk(user.id))?.failLoginCount, 1);
      server.clock.advance(60_000);
      await logIn(server, registration);
      await logIn(server, registration);
      const row = await User.findByPk(user.id);
      assert.equal(row?.loginCount, 2);
      assert.equal(row?.failLoginCount, 0);
      assert.equal(row?.lastLogin?.toISOString(), server.clock.now().toISOString());
    });

    it('issues a new session at every login and ends the one the client presented', async () => {
      const { registration, cookie: first } = await signedInUser(server);
      const before = await authRowCounts(server);
      const { response, cookie: second } = await logIn(server, registration, {
        headers: { cookie: first },
      });
      assert.equal(response.status, 200);
      assert.ok(second);
      assert.notEqual(second, first);
      assert.equal((await get(server, '/api/auth/me', first)).status, 401);
      assert.equal((await get(server, '/api/auth/me', second)).status, 200);
      assert.equal((await authRowCounts(server)).ab_session, before.ab_session);
    });

    it('answers an unknown user and a wrong password with the very same 401 body', async () => {
      const registration = aRegistration();
      await registered(server, registration);
      const password = 'wrong password!';
      const wrong = await logIn(server, { username: registration.username, password });
      const unknown = await logIn(server, { username: 'nobody-at-all', password });
      assert.equal(wrong.response.status, 401);
      assert.equal(unknown.response.status, 401);
      assert.equal(wrong.cookie, null);
      assert.equal(unknown.cookie, null);
      const wrongBody = await jsonOf(wrong.response);
      assert.deepEqual(await jsonOf(unknown.response), wrongBody);
      assert.equal(wrongBody.type, '/api/problems/invalid-credentials');
      assert.equal(wrong.response.headers.get('content-type'), 'application/problem+json');
    });

    it('answers a disabled account with the right password like a wrong password', async () => {
      const registration = aRegistration();
      const user = await registered(server, registration);
      await disable(user.id);
      const disabled = await logIn(server, registration);
      const wrong = await logIn(server, { username: 'nobody-at-all', password: 'wrong password!' });
      assert.equal(disabled.response.status, 401);
      assert.equal(disabled.cookie, null);
      assert.deepEqual(await jsonOf(disabled.response), await jsonOf(wrong.response));
    });

    it('refuses a password that matches only in its first 72 bytes', async () => {
      const password = 'p'.repeat(72);
      const registration = aRegistration({ password });
      await registered(server, registration);
      const { username } = registration;
      const longer = await logIn(server, { username, password: `${password}!` });
      assert.equal(longer.response.status, 401);
      assert.equal((await logIn(server, registration)).response.status, 200);
    });

    describe('with an invalid body', () => {
      const username = 'someone';
      const password = 'whatever123';
      const invalid: [string, unknown, string][] = [
        ['no username', { password }, 'body.username'],
        ['an empty username', { username: '  ', password }, 'body.username'],
        ['a username of 65 characters', { username: 'u'.repeat(65), password }, 'body.username'],
        ['no password', { username }, 'body.password'],
        ['a password that is a number', { username, password: 1234567890 }, 'body.password'],
        ['a password of 129 characters', { username, password: 'p'.repeat(129) }, 'body.password'],
        ['an unknown member', { username, password, remember: true }, 'body'],
        ['a string', 'someone:whatever123', 'body'],
      ];
      for (const [situation, body, path] of invalid) {
        it(`refuses ${situation} with 400 naming ${path}, counting nothing`, async () => {
          const before = await authRowCounts(server);
          const response = await postJson(server, '/api/auth/login', body);
          assert.equal(response.status, 400);
          assert.equal(response.headers.get('content-type'), 'application/problem+json');
          const problem = await jsonOf(response);
          assert.ok(problem.errors.some((error: { path: string }) => error.path === path));
          assert.equal(sessionCookieOf(response), null);
          assert.deepEqual(await authRowCounts(server), before);
        });
      }

      it('refuses malformed JSON with 400 and a text body with 415', async () => {
        const before = await authRowCounts(server);
        const malformed = await send(server, '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"username":',
        });
        assert.equal(malformed.status, 400);
        assert.equal((await jsonOf(malformed)).type, '/api/problems/malformed-json');
        const text = await send(server, '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: '{"username":"a","password":"b"}',
        });
        assert.equal(text.status, 415);
        assert.deepEqual(await authRowCounts(server), before);
      });
    });
  });

  describe('GET /api/auth/me', () => {
    it('answers the signed-in user and MFA state, never a password hash', async () => {
      const { user, cookie } = await signedInUser(server);
      const response = await get(server, '/api/auth/me', cookie);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const text = await response.text();
      const mfa = { required: false, verified: false, methods: [] };
      assert.deepEqual(JSON.parse(text), { user, mfa });
      assert.doesNotMatch(text, /\$2[aby]\$/);
    });

    it('answers 401 problem+json without a session cookie', async () => {
      const response = await get(server, '/api/auth/me');
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      assert.equal((await jsonOf(response)).type, '/api/problems/unauthenticated');
    });

    it('answers 401 to a made-up cookie and tells the browser to drop it', async () => {
      for (const token of ['x'.repeat(43), 'not-a-token', '']) {
        const response = await get(server, '/api/auth/me', `ab_session=${token}`);
        assert.equal(response.status, 401);
        if (token !== '') assert.match(sessionSetCookie(response) ?? '', /^ab_session=; Max-Age=0/);
      }
    });

    it('signs out every session of an account that is disabled', async () => {
      const { user, cookie } = await signedInUser(server);
      await disable(user.id);
      assert.equal((await get(server, '/api/auth/me', cookie)).status, 401);
      const { Session } = authModels(server.ctx.sequelize);
      assert.equal(await Session.count({ where: { userId: user.id } }), 0);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('answers 204, deletes the session and clears the cookie', async () => {
      const { user, cookie } = await signedInUser(server);
      const response = await send(server, '/api/auth/logout', { method: 'POST' }, {
        headers: { cookie },
      });
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
      const cleared = /^ab_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/;
      assert.match(sessionSetCookie(response) ?? '', cleared);
      const { Session } = authModels(server.ctx.sequelize);
      assert.equal(await Session.count({ where: { userId: user.id } }), 0);
      assert.equal((await get(server, '/api/auth/me', cookie)).status, 401);
    });

    it('answers 204 without a session too: signing out twice is not an error', async () => {
      const response = await send(server, '/api/auth/logout', { method: 'POST' });
      assert.equal(response.status, 204);
    });
  });

  describe('GET /api/openapi.json', () => {
    it('documents the auth routes with their access', async () => {
      const document = await jsonOf(await get(server, '/api/openapi.json'));
      assert.equal(document.paths['/api/auth/register'].post['x-access'], 'public');
      assert.equal(document.paths['/api/auth/login'].post['x-access'], 'public');
      assert.equal(document.paths['/api/auth/logout'].post['x-access'], 'public');
      assert.equal(document.paths['/api/auth/me'].get['x-access'], 'pending-session');
      const login = document.paths['/api/auth/login'].post;
      const schema = login.requestBody.content['application/json'].schema;
      assert.deepEqual(schema.required, ['username', 'password']);
    });
  });
});

describe(`POST /api/auth/login behind PUBLIC_ORIGIN=https://bank.example on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PUBLIC_ORIGIN: 'https://bank.example' });
  });
  after(() => server.close());

  it('sets the cookie Secure although the proxy spoke plain http', async () => {
    const registration = aRegistration();
    await registered(server, registration);
    const { response } = await logIn(server, registration);
    assert.equal(response.status, 200);
    assert.ok(cookieAttributes(response).includes('secure'));
  });
});
