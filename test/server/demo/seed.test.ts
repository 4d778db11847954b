import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoAccount, demoSeedAllowed, seedDemoData } from '../../../server/demo/seed.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { logIn } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { walletRowCounts } from '../wallet/api-support.ts';

describe(`the demo seed on ${testDialect}`, () => {
  let named: TestServer;
  let seeded: TestServer;
  before(async () => {
    named = await startTestServer();
    seeded = await startTestServer({ SEED_DEMO: '1' });
  });
  after(async () => {
    await named.close();
    await seeded.close();
  });

  it('leaves a database named by DATABASE_URL alone unless SEED_DEMO=1', async () => {
    assert.equal(demoSeedAllowed(named.ctx), false);
    assert.deepEqual(await seedDemoData(named.ctx),
      { seeded: false, reason: 'not-default-database' });
    assert.equal((await logIn(named, demoAccount)).response.status, 401);
  });

  it('gives the demo user wallets, budgets and a year of transactions that verify clean',
    async () => {
      const outcome = await seedDemoData(seeded.ctx);
      assert.equal(outcome.seeded, true);
      assert.ok(outcome.seeded && outcome.transactions > 450, JSON.stringify(outcome));
      const { response, cookie } = await logIn(seeded, demoAccount);
      assert.equal(response.status, 200);
      const get = async (path: string) => {
        const answer = await seeded.app.request(path, { headers: { cookie: cookie ?? '' } });
        assert.equal(answer.status, 200, path);
        return jsonOf(answer);
      };
      const wallets = await get('/api/wallets');
      assert.deepEqual(wallets.items.map((wallet: { name: string; currency: string }) =>
        `${wallet.name} ${wallet.currency}`), ['Everyday EUR', 'Savings EUR', 'Travel USD']);
      for (const wallet of wallets.items) {
        assert.ok(!wallet.balance.amount.startsWith('-'), `${wallet.name} is not overdrawn`);
      }
      const months = await get('/api/analytics/series?interval=month&currency=EUR' +
        `&walletId=${wallets.items[0].id}`);
      assert.ok(months.items.length >= 12, `${months.items.length} months`);
      for (const month of months.items.slice(1, -1)) {
        assert.equal(month.income.amount, '3200.00', `salary in ${month.period}`);
      }
      const budgets = await get('/api/budgets');
      assert.equal(budgets.items.length, 4);
      const cards = await get('/api/payment-methods');
      assert.deepEqual(cards.items.map((card: { masked: string }) => card.masked.slice(-4)),
        ['4242']);
      const rules = await get('/api/recurring');
      assert.deepEqual(rules.items.map((rule: { description: string }) => rule.description),
        ['Salary', 'Rent', 'Streaming plan']);
      const report = await verifyLedger(seeded.ctx);
      assert.equal(report.ok, true, JSON.stringify(report.problems));
    });

  it('seeds once: a second start changes nothing', async () => {
    const before = await walletRowCounts(seeded);
    assert.deepEqual(await seedDemoData(seeded.ctx), { seeded: false, reason: 'already-seeded' });
    assert.deepEqual(await walletRowCounts(seeded), before);
  });
});
