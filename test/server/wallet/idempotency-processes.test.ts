import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../server/config.ts';
import { closeContext, createContext, type AppContext } from '../../../server/context.ts';
import { createLogger } from '../../../server/logger.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { aRegistration } from '../support/auth-client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { createEmptyDatabase, testDialect, testSecretKey } from '../support/test-context.ts';

const processCount = 3;

interface Reply {
  status: number;
  replayed: boolean;
  // biome-ignore lint: deliberate any, as in support/http.ts: assertions check the shape.
  body: any;
}

describe(`one Idempotency-Key across ${processCount} server processes on ${testDialect}`, () => {
  let database: { env: string; drop(): Promise<void> };
  let ctx: AppContext;
  let servers: ServerProcess[] = [];
  let cookie = '';
  let walletId = 0;

  async function send(server: ServerProcess, method: string, path: string, body?: unknown,
    key?: string): Promise<Reply> {
    const headers: Record<string, string> = { cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const response = await fetch(`${server.origin}${path}`, { method, headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json(),
      replayed: response.headers.get('idempotent-replayed') === 'true' };
  }

  before(async () => {
    database = await createEmptyDatabase();
    ctx = await createContext(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.env,
      SECRET_KEYS: testSecretKey }), { logger: createLogger('silent') });
    await createMigrator(ctx.sequelize).up();
    servers = await Promise.all(Array.from({ length: processCount },
      () => startServerProcess(database.env)));
    const [first] = servers as [ServerProcess];
    const registration = aRegistration();
    assert.equal((await send(first, 'POST', '/api/auth/register', registration)).status, 201);
    const login = await fetch(`${first.origin}/api/auth/login`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: registration.username, password: registration.password }) });
    assert.equal(login.status, 200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const wallet = await send(first, 'POST', '/api/wallets', { name: 'Shared', currency: 'EUR' });
    walletId = wallet.body.id;
    const funded = await send(first, 'POST', `/api/wallets/${walletId}/transactions`,
      { type: 'credit', amount: '100.00' }, randomUUID());
    assert.equal(funded.status, 201);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await closeContext(ctx);
    await database.drop();
  });

  it('posts each key once while every process receives it at the same moment', async () => {
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const path = `/api/wallets/${walletId}/transactions`;
    const body = { type: 'debit', amount: '10.00', description: 'shared key' };
    const storm = await Promise.all(keys.flatMap((key) => servers.flatMap((server) =>
      [send(server, 'POST', path, body, key), send(server, 'POST', path, body, key)])));
    for (const reply of storm) {
      assert.ok(reply.status === 201 || (reply.status === 409 &&
        reply.body.type.endsWith('/idempotency-in-progress')), JSON.stringify(reply));
    }
    for (const key of keys) {
      const replies = await Promise.all(servers.map((server) =>
        send(server, 'POST', path, body, key)));
      const ids = new Set(replies.map((reply) => reply.body.id));
      assert.equal(ids.size, 1, 'every process answers the one transaction of the key');
      assert.ok(replies.every((reply) => reply.status === 201 && reply.replayed));
    }
    const wallet = await send(servers[1] as ServerProcess, 'GET', `/api/wallets/${walletId}`);
    assert.deepEqual(wallet.body.balance, { amount: '0.00', currency: 'EUR' });
  });

  it('replays a refusal from any process, and posts nothing for it', async () => {
    const key = randomUUID();
    const path = `/api/wallets/${walletId}/transactions`;
    const body = { type: 'debit', amount: '0.01' };
    const first = await send(servers[0] as ServerProcess, 'POST', path, body, key);
    assert.equal(first.status, 422);
    assert.match(first.body.type, /\/insufficient-funds$/);
    for (const server of servers) {
      const again = await send(server, 'POST', path, body, key);
      assert.equal(again.status, 422);
      assert.equal(again.replayed, true);
      const other = await send(server, 'POST', path, { ...body, amount: '0.02' }, key);
      assert.equal(other.status, 409);
      assert.match(other.body.type, /\/idempotency-key-reused$/);
    }
    const report = await verifyLedger(ctx);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.entriesChecked, 11);
  });
});
