import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBundledRates } from '../../../server/wallet/rates.ts';
import { auditSchema, rateSchema } from '../../../server/wallet/schemas.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  openWallet,
  post,
  type Client,
} from './api-support.ts';

describe(`the rate and audit routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  let admin: Client;
  before(async () => {
    server = await startTestServer();
    await loadBundledRates(server.ctx);
    owner = await apiUser(server);
    stranger = await apiUser(server);
    admin = await apiUser(server, { admin: true });
  });
  after(() => server.close());

  describe('GET /api/rates', () => {
    it('answers the latest rate on or before the date, and cross rates through EUR',
      async () => {
        const direct = await call(server, owner, 'GET',
          '/api/rates?base=EUR&quote=USD&date=2026-02-28');
        assert.equal(direct.status, 200);
        const rate = rateSchema.parse(direct.body);
        assert.equal(rate.rateDate, '2026-02-27');
        assert.equal(rate.source, 'ecb');
        const cross = await call(server, owner, 'GET', '/api/rates?base=USD&quote=JPY');
        assert.equal(cross.status, 200);
        assert.equal(cross.body.rateDate, '2026-02-27');
        assert.match(cross.body.rate, /^[0-9]+\.[0-9]+$/);
      });

    it('refuses unknown currencies, bad dates and dates before any rate', async () => {
      assertProblem(await call(server, owner, 'GET', '/api/rates?base=EUR&quote=XXX'), 422,
        'unknown-currency');
      assertProblem(await call(server, owner, 'GET', '/api/rates?base=eur&quote=USD'), 400,
        'validation');
      assertProblem(await call(server, owner, 'GET', '/api/rates?base=EUR'), 400, 'validation');
      assertProblem(await call(server, owner, 'GET',
        '/api/rates?base=EUR&quote=USD&date=2026-02-30'), 400, 'validation');
      assertProblem(await call(server, owner, 'GET',
        '/api/rates?base=EUR&quote=USD&date=1990-01-01'), 404, 'rate-unavailable');
      assertProblem(await call(server, null, 'GET', '/api/rates?base=EUR&quote=USD'), 401,
        'unauthenticated');
    });
  });

  describe('PUT /api/rates', () => {
    it('lets an Admin set a rate that then wins on its date, audited in the system chain',
      async () => {
        const set = await call(server, admin, 'PUT', '/api/rates',
          { quote: 'USD', rate: '1.2500', date: '2026-02-27' });
        assert.equal(set.status, 200);
        assert.deepEqual(set.body, { base: 'EUR', quote: 'USD', rate: '1.25',
          rateDate: '2026-02-27', source: 'admin' });
        const read = await call(server, owner, 'GET',
          '/api/rates?base=EUR&quote=USD&date=2026-02-27');
        assert.equal(read.body.rate, '1.25');
        assert.equal(read.body.source, 'admin');
        const trail = await call(server, admin, 'GET', '/api/audits?action=rate.set');
        assert.equal(trail.body.items[0].chain, 'system');
        assert.equal(trail.body.items[0].ownerUserId, null);
        assert.equal(trail.body.items[0].actorUserId, admin.userId);
      });

    it('refuses everyone but an Admin, and bad rates and dates', async () => {
      const body = { quote: 'USD', rate: '1.1', date: '2026-02-27' };
      assertProblem(await call(server, owner, 'PUT', '/api/rates', body), 403, 'forbidden');
      assertProblem(await call(server, null, 'PUT', '/api/rates', body), 401, 'unauthenticated');
      assertProblem(await call(server, admin, 'PUT', '/api/rates', { ...body, rate: '1,1' }),
        400, 'validation');
      assertProblem(await call(server, admin, 'PUT', '/api/rates', { ...body, rate: 1.1 }), 400,
        'validation');
      assertProblem(await call(server, admin, 'PUT', '/api/rates', { ...body, base: 'USD' }),
        400, 'validation');
      assertProblem(await call(server, admin, 'PUT', '/api/rates',
        { ...body, date: '2026-03-02' }), 422, 'rate-date-in-future');
      assertProblem(await call(server, admin, 'PUT', '/api/rates', { ...body, quote: 'XXX' }),
        422, 'unknown-currency');
    });
  });

  describe('GET /api/audits', () => {
    it('shows a user their own trail, newest first, a page at a time', async () => {
      const wallet = await openWallet(server, owner);
      await post(server, owner, wallet.id, { type: 'credit', amount: '1.00' });
      await post(server, owner, wallet.id, { type: 'credit', amount: '2.00' });
      await openWallet(server, stranger);
      const seen: { id: number; ownerUserId: number; action: string }[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const answer = await call(server, owner, 'GET', `/api/audits${query}`);
        assert.equal(answer.status, 200);
        seen.push(...answer.body.items.map((item: unknown) => auditSchema.parse(item)));
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      assert.deepEqual(seen.map((row) => row.action),
        ['transaction.posted', 'transaction.posted', 'wallet.created']);
      assert.ok(seen.every((row) => row.ownerUserId === owner.userId));
      assert.ok(seen[0] && seen[1] && seen[0].id > seen[1].id);
      const [posted] = (await call(server, owner, 'GET',
        '/api/audits?action=transaction.posted&limit=1')).body.items;
      assert.equal(posted.after.amountMinor, '200');
      assert.equal(posted.before.balanceMinor, '100');
    });

    it('answers 404 when a user asks for another\'s trail; an Admin reads anyone\'s',
      async () => {
        assertProblem(await call(server, owner, 'GET',
          `/api/audits?ownerUserId=${stranger.userId}`), 404, 'not-found');
        const own = await call(server, owner, 'GET', `/api/audits?ownerUserId=${owner.userId}`);
        assert.equal(own.status, 200);
        const theirs = await call(server, admin, 'GET',
          `/api/audits?ownerUserId=${stranger.userId}`);
        assert.deepEqual(theirs.body.items.map((row: { action: string }) => row.action),
          ['wallet.created']);
        const everything = await call(server, admin, 'GET', '/api/audits?limit=100');
        const owners = new Set(everything.body.items.map(
          (row: { ownerUserId: number | null }) => row.ownerUserId));
        assert.ok(owners.has(owner.userId) && owners.has(stranger.userId) && owners.has(null));
      });
  });
});
