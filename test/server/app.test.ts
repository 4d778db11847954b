import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonOf } from './support/http.ts';
import { startTestServer, testDialect, type TestServer } from './support/test-context.ts';

describe(`the API core on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  describe('GET /api/health', () => {
    it('reports a reachable, fully migrated database', async () => {
      const response = await server.app.request('/api/health');
      assert.equal(response.status, 200);
      const body = await jsonOf(response);
      assert.equal(body.status, 'ok');
      assert.deepEqual(body.database, { dialect: testDialect, reachable: true });
      assert.ok(body.migrations.applied >= 1);
      assert.deepEqual(body.migrations.pending, []);
      assert.match(response.headers.get('x-request-id') ?? '', /^[\w-]{8,}$/);
    });
  });

  describe('an unknown API route', () => {
    it('answers 404 problem+json naming the route', async () => {
      const response = await server.app.request('/api/no-such-thing', { method: 'DELETE' });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      const body = await jsonOf(response);
      assert.equal(body.type, '/api/problems/not-found');
      assert.equal(body.status, 404);
      assert.match(body.detail, /DELETE \/api\/no-such-thing/);
    });
  });

  describe('GET /api/openapi.json', () => {
    it('documents the health route with its schema', async () => {
      const response = await server.app.request('/api/openapi.json');
      assert.equal(response.status, 200);
      const document = await jsonOf(response);
      assert.equal(document.openapi, '3.1.0');
      const health = document.paths['/api/health'].get;
      assert.equal(health.responses['200'].content['application/json'].schema.properties.status.enum[1], 'degraded');
    });
  });
});

describe(`the OpenAPI document on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('documents every API route the app answers, with its method', async () => {
    const document = await jsonOf(await server.app.request('/api/openapi.json'));
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const served = server.app.routes
      .filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((route) => route !== 'GET /api/openapi.json');
    const missing = [...new Set(served)].filter((route) => !documented.has(route));
    assert.deepEqual(missing, []);
    assert.ok(documented.size >= 10, `only ${documented.size} operations documented`);
  });
});
