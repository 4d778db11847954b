import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { csrf } from '../../../server/http/csrf.ts';
import { ProblemError } from '../../../server/http/problem.ts';
import { authRowCounts, postJson, send } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const shop = 'https://shop.example';

describe(`CSRF on the API on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: shop });
  });
  after(() => server.close());

  function logout(headers: Record<string, string>): Promise<Response> {
    return send(server, '/api/auth/logout', { method: 'POST' }, { headers });
  }

  describe('POST /api/auth/logout', () => {
    it('refuses a foreign Origin with 403 problem type /csrf', async () => {
      const response = await logout({ origin: 'https://evil.example' });
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      const problem = await jsonOf(response);
      assert.match(problem.type, /\/csrf$/);
      assert.match(problem.detail, /https:\/\/evil\.example/);
    });

    it('refuses Origin: null', async () => {
      assert.equal((await logout({ origin: 'null' })).status, 403);
    });

    it('refuses an origin that differs only in scheme or port', async () => {
      assert.equal((await logout({ origin: 'https://localhost' })).status, 403);
      assert.equal((await logout({ origin: 'http://localhost:8080' })).status, 403);
    });

    it('lets the same origin through', async () => {
      assert.equal((await logout({ origin: 'http://localhost' })).status, 204);
    });

    it('lets an origin in ALLOWED_ORIGINS through', async () => {
      assert.equal((await logout({ origin: shop })).status, 204);
    });

    it('refuses Sec-Fetch-Site cross-site and same-site without Origin', async () => {
      assert.equal((await logout({ 'sec-fetch-site': 'cross-site' })).status, 403);
      assert.equal((await logout({ 'sec-fetch-site': 'same-site' })).status, 403);
    });

    it('lets Sec-Fetch-Site same-origin and none through without Origin', async () => {
      assert.equal((await logout({ 'sec-fetch-site': 'same-origin' })).status, 204);
      assert.equal((await logout({ 'sec-fetch-site': 'none' })).status, 204);
    });

    it('lets a request with neither header through (a non-browser client)', async () => {
      assert.equal((await logout({})).status, 204);
    });
  });

  describe('POST /api/auth/login', () => {
    it('refuses a foreign page before reading the body: nothing is counted', async () => {
      const before = await authRowCounts(server);
      const response = await postJson(
        server,
        '/api/auth/login',
        { username: 'victim', password: 'guess12345' },
        { headers: { origin: 'https://evil.example' } },
      );
      assert.equal(response.status, 403);
      assert.deepEqual(await authRowCounts(server), before);
    });
  });

  describe('GET /api/health', () => {
    it('lets a safe method through from any origin', async () => {
      const headers = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
      const response = await send(server, '/api/health', { method: 'GET' }, { headers });
      assert.equal(response.status, 200);
    });
  });
});

describe('csrf({ publicOrigin }) behind a proxy', () => {
  const app = new Hono();
  app.onError((error, c) => {
    const problem = error as ProblemError;
    return c.json(problem.toBody(), problem.status as 403);
  });
  app.use('*', csrf({ publicOrigin: 'https://bank.example', allowedOrigins: [] }));
  app.post('/transfer', (c) => c.text('done'));

  it('takes PUBLIC_ORIGIN as the own origin, not the Host the proxy forwarded to', async () => {
    const transfer = (origin: string) =>
      app.request('http://10.0.0.5:3000/transfer', { method: 'POST', headers: { origin } });
    assert.equal((await transfer('https://bank.example')).status, 200);
    assert.equal((await transfer('http://10.0.0.5:3000')).status, 403);
  });

  it('checks every unsafe method, whatever the content type', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await app.request('/transfer', {
        method,
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      });
      assert.equal(response.status, 403, method);
    }
  });
});
