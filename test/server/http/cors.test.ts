import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aRegistration, get, postJson, registered, send } from '../support/auth-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const shop = 'https://shop.example';

/** Every `Access-Control-*` header of `response`, by lower-cased name. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries(
    [...response.headers].filter(([name]) => name.toLowerCase().startsWith('access-control-')),
  );
}

/** The comma-separated list in header `name`, lower-cased and sorted. */
function listOf(response: Response, name: string): string[] {
  const value = response.headers.get(name) ?? '';
  return value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean).sort();
}

describe(`CORS on the API on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: `${shop},https://blog.example` });
  });
  after(() => server.close());

  function preflight(origin: string): Promise<Response> {
    return send(server, '/api/auth/login', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  }

  function healthFrom(origin: string): Promise<Response> {
    return send(server, '/api/health', { method: 'GET' }, { headers: { origin } });
  }

  describe('OPTIONS /api/auth/login (preflight)', () => {
    it('answers an allowed origin 204 with credentials, methods and headers', async () => {
      const response = await preflight(shop);
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), shop);
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      assert.ok(listOf(response, 'access-control-allow-methods').includes('post'));
      assert.deepEqual(listOf(response, 'access-control-allow-headers'), [
        'content-type',
        'idempotency-key',
        'x-request-id',
      ]);
      assert.ok(listOf(response, 'vary').includes('origin'));
    });

    it('gives any other origin no CORS header at all', async () => {
      for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'null']) {
        const response = await preflight(origin);
        assert.deepEqual(corsHeaders(response), {}, origin);
      }
    });
  });

  describe('GET /api/health from another site', () => {
    it('lets an allowed origin read the response and the exposed headers', async () => {
      const response = await healthFrom(shop);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), shop);
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      assert.deepEqual(listOf(response, 'access-control-expose-headers'), [
        'idempotent-replayed',
        'retry-after',
        'x-request-id',
      ]);
      assert.ok(listOf(response, 'vary').includes('origin'));
    });

    it('gives any other origin no CORS header, and same-origin pages need none', async () => {
      const foreign = await healthFrom('https://evil.example');
      assert.deepEqual(corsHeaders(foreign), {});
      assert.deepEqual(corsHeaders(await get(server, '/api/health')), {});
    });
  });

  describe('POST /api/auth/login from an allowed origin', () => {
    it('signs in with the cookie and lets the page read the answer', async () => {
      const registration = aRegistration();
      await registered(server, registration);
      const { username, password } = registration;
      const response = await postJson(
        server,
        '/api/auth/login',
        { username, password },
        { headers: { origin: shop } },
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), shop);
      assert.match(response.headers.getSetCookie().join('\n'), /ab_session=/);
    });

    it('lets the page read an error too (401 problem+json)', async () => {
      const response = await postJson(
        server,
        '/api/auth/login',
        { username: 'nobody-here', password: 'wrong password' },
        { headers: { origin: shop } },
      );
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('access-control-allow-origin'), shop);
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    });
  });
});
