import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authModels } from '../../../server/auth/models.ts';
import {
  aRegistration,
  authRowCounts,
  postJson,
  registered,
  send,
  sessionSetCookie,
} from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** Asserts a 4xx problem+json answer and returns its body. */
async function problemOf(response: Response, status: number) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const body = await jsonOf(response);
  assert.equal(body.status, status);
  return body;
}

describe(`POST /api/auth/register on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('creates an account with the role User, answers 201 {user} and opens no session', async () => {
    const registration = aRegistration({
      username: 'Ada',
      firstName: ' Ada ',
      lastName: 'Lovelace',
    });
    const before = await authRowCounts(server);
    const response = await postJson(server, '/api/auth/register', registration);
    assert.equal(response.status, 201);
    assert.equal(sessionSetCookie(response), undefined);
    const { user } = await jsonOf(response);
    assert.deepEqual(user, {
      id: user.id,
      username: 'ada',
      email: registration.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      roles: ['User'],
    });
    const after = await authRowCounts(server);
    assert.equal(after.ab_user, before.ab_user + 1);
    assert.equal(after.ab_session, before.ab_session);
    const row = await authModels(server.ctx.sequelize).User.findByPk(user.id);
    assert.match(row?.password ?? '', /^\$2b\$10\$/);
    assert.equal(row?.createdOn.toISOString(), server.clock.now().toISOString());
  });

  it('accepts every field at its limit', async () => {
    const user = await registered(
      server,
      aRegistration({
        username: `u${'x'.repeat(63)}`,
        password: `${'é'.repeat(31)}0123456789`, // 72 bytes
        firstName: 'f'.repeat(64),
        lastName: 'l'.repeat(64),
      }),
    );
    assert.equal(user.username.length, 64);
  });

  it('refuses a taken username in any case with 409 naming only that field', async () => {
    const first = await registered(server, aRegistration());
    const before = await authRowCounts(server);
    const response = await postJson(
      server,
      '/api/auth/register',
      aRegistration({ username: first.username.toUpperCase() }),
    );
    const body = await problemOf(response, 409);
    assert.deepEqual(body.errors, [{ path: 'body.username', message: 'This username is taken.' }]);
    assert.deepEqual(await authRowCounts(server), before);
  });

  it('refuses a taken email with 409 naming only that field', async () => {
    const first = await registered(server, aRegistration());
    const response = await postJson(
      server,
      '/api/auth/register',
      aRegistration({ email: first.email.toUpperCase() }),
    );
    const body = await problemOf(response, 409);
    assert.deepEqual(body.errors, [
      { path: 'body.email', message: 'An account with this email exists.' },
    ]);
  });

  it('creates one account when the same username is registered 3 times at once', async () => {
    const before = await authRowCounts(server);
    const attempts = Array.from({ length: 3 }, (_, index) =>
      postJson(
        server,
        '/api/auth/register',
        aRegistration({ username: 'racer', email: `r${index}@example.com` }),
      ),
    );
    const statuses = (await Promise.all(attempts)).map((response) => response.status).sort();
    assert.deepEqual(statuses, [201, 409, 409]);
    const after = await authRowCounts(server);
    assert.equal(after.ab_user, before.ab_user + 1);
    assert.equal(after.ab_user_role, before.ab_user_role + 1);
  });

  describe('with an invalid body', () => {
    const invalid: [string, unknown, string][] = [
      ['no username', { ...aRegistration(), username: undefined }, 'body.username'],
      ['a username of 2 characters', aRegistration({ username: 'ab' }), 'body.username'],
      ['a username of 65 characters', aRegistration({ username: 'u'.repeat(65) }), 'body.username'],
      ['a username with a space', aRegistration({ username: 'ada lovelace' }), 'body.username'],
      ['a username that is a number', { ...aRegistration(), username: 42 }, 'body.username'],
      ['no email', { ...aRegistration(), email: undefined }, 'body.email'],
      ['an email without @', aRegistration({ email: 'ada.example.com' }), 'body.email'],
      [
        'an email of 255 characters',
        aRegistration({ email: `${'a'.repeat(243)}@example.com` }),
        'body.email',
      ],
      ['no password', { ...aRegistration(), password: undefined }, 'body.password'],
      ['a password of 9 characters', aRegistration({ password: '123456789' }), 'body.password'],
      [
        'a password of 129 characters',
        aRegistration({ password: 'p'.repeat(129) }),
        'body.password',
      ],
      [
        'a password of 73 bytes',
        aRegistration({ password: `${'é'.repeat(31)}0123456789x` }),
        'body.password',
      ],
      [
        'the username as password',
        aRegistration({ username: 'graceHopper', password: 'GRACEhopper' }),
        'body.password',
      ],
      [
        'a first name of 65 characters',
        aRegistration({ firstName: 'f'.repeat(65) }),
        'body.firstName',
      ],
      ['a last name that is not text', { ...aRegistration(), lastName: ['x'] }, 'body.lastName'],
      ['an unknown member', { ...aRegistration(), roles: ['Admin'] }, 'body'],
      ['an array', [aRegistration()], 'body'],
      ['null', null, 'body'],
    ];
    for (const [situation, body, path] of invalid) {
      it(`refuses ${situation} with 400 naming ${path}, changing nothing`, async () => {
        const before = await authRowCounts(server);
        const problem = await problemOf(await postJson(server, '/api/auth/register', body), 400);
        assert.equal(problem.type, '/api/problems/validation');
        assert.ok(
          problem.errors.some((error: { path: string }) => error.path === path),
          JSON.stringify(problem.errors),
        );
        for (const error of problem.errors) assert.equal(typeof error.message, 'string');
        assert.deepEqual(await authRowCounts(server), before);
      });
    }

    it('refuses malformed JSON with 400, changing nothing', async () => {
      const before = await authRowCounts(server);
      const response = await send(server, '/api/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": "ada",',
      });
      assert.equal((await problemOf(response, 400)).type, '/api/problems/malformed-json');
      assert.deepEqual(await authRowCounts(server), before);
    });

    it('refuses a form-encoded body with 415, changing nothing', async () => {
      const before = await authRowCounts(server);
      const response = await send(server, '/api/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=ada&email=ada%40example.com&password=correct+horse+battery',
      });
      assert.equal((await problemOf(response, 415)).type, '/api/problems/unsupported-media-type');
      assert.deepEqual(await authRowCounts(server), before);
    });

    it('refuses a body over 1 MiB with 413, changing nothing', async () => {
      const before = await authRowCounts(server);
      const huge = { ...aRegistration(), firstName: 'x'.repeat(1024 * 1024) };
      const response = await postJson(server, '/api/auth/register', huge);
      assert.equal((await problemOf(response, 413)).type, '/api/problems/payload-too-large');
      assert.deepEqual(await authRowCounts(server), before);
    });
  });
});
