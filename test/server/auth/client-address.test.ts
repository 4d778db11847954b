import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { clientAddress } from '../../../server/auth/client-address.ts';

/** A tiny app answering the client address it sees, configured with `publicOrigin`. */
function addressApp(publicOrigin: string | null): Hono {
  const app = new Hono();
  app.get('/address', (c) => c.text(clientAddress(c, { publicOrigin }) ?? 'unknown'));
  return app;
}

async function addressSeen(
  app: Hono,
  headers: Record<string, string>,
  peer?: string,
): Promise<string> {
  const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined;
  return (await app.request('/address', { headers }, env)).text();
}

describe('GET /address through clientAddress()', () => {
  it('is the socket peer when not behind a proxy, ignoring X-Forwarded-For', async () => {
    const app = addressApp(null);
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    assert.equal(await addressSeen(app, headers, '192.0.2.1'), '192.0.2.1');
    assert.equal(await addressSeen(app, {}, '::1'), '::1');
  });

  it('is unknown without a socket', async () => {
    assert.equal(await addressSeen(addressApp(null), {}), 'unknown');
  });

  it('is the last X-Forwarded-For entry behind a proxy, not what the client claimed', async () => {
    const app = addressApp('https://bank.example');
    const headers = { 'x-forwarded-for': '10.0.0.1, 203.0.113.9' };
    assert.equal(await addressSeen(app, headers, '192.0.2.1'), '203.0.113.9');
  });

  it('is the peer behind a proxy when X-Forwarded-For is missing or no address', async () => {
    const app = addressApp('https://bank.example');
    assert.equal(await addressSeen(app, {}, '192.0.2.1'), '192.0.2.1');
    assert.equal(await addressSeen(app, { 'x-forwarded-for': 'evil' }, '192.0.2.1'), '192.0.2.1');
  });
});
