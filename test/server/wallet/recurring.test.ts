import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { readOutbox } from '../../../server/mfa/outbox.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  recurringSchema,
  occurrenceSchema,
  previewSchema,
  runReportSchema,
} from '../../../server/wallet/recurring-schemas.ts';
import {
  failuresBeforePause,
  retryDelayMs,
  runDueRecurring,
} from '../../../server/wallet/recurring-scheduler.ts';
import { recurringRulesPerUserMax } from '../../../server/wallet/recurring.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  signInAgain,
  storedBalanceMinor,
  type Client,
} from './api-support.ts';

const hourMs = 60 * 60 * 1000;

/** Rows of the tables a recurring request may write. */
async function recurringRowCounts(server: TestServer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['ab_recurring_transactions', 'ab_recurring_occurrences',
    'ab_wallet_transactions', 'ab_wallet_audits']) {
    const rows = await server.ctx.sequelize.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

describe(`recurring transactions over the API on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  let admin: Client;
  // biome-ignore lint: deliberate any, see api-support.ts.
  let wallet: any;
  before(async () => {
    server = await startTestServer();
    server.clock.set('2026-03-02T09:00:00Z'); // a Monday
    owner = await apiUser(server);
    stranger = await apiUser(server);
    admin = await apiUser(server, { admin: true });
    wallet = await openWallet(server, owner);
    await post(server, owner, wallet.id, { type: 'credit', amount: '1000.00' });
  });
  after(() => server.close());

  /** Signs everyone in again after the clock moved on. */
  async function freshSessions(): Promise<void> {
    for (const client of [owner, stranger, admin]) await signInAgain(server, client);
  }

  /** Makes a rule and fails loudly unless 201. */
  // biome-ignore lint: deliberate any, see api-support.ts.
  async function makeRule(client: Client, body: Record<string, unknown>): Promise<any> {
    const answer = await call(server, client, 'POST', '/api/recurring', body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body;
  }

  // biome-ignore lint: deliberate any, see api-support.ts.
  async function occurrencesOf(client: Client, ruleId: number, query = ''): Promise<any[]> {
    const answer = await call(server, client, 'GET',
      `/api/recurring/${ruleId}/occurrences?limit=100${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items;
  }

  describe('POST /api/recurring', () => {
    it('makes a rule in the wallet\'s currency, due at once', async () => {
      const rule = await makeRule(owner, { walletId: wallet.id, type: 'debit', amount: '850',
        rrule: 'rrule:freq=monthly;bymonthday=31', description: 'Rent', tags: ['home'],
        weekendPolicy: 'previous-business-day', timeZone: 'europe/berlin' });
      recurringSchema.parse(rule);
      assert.deepEqual(rule.amount, { amount: '850.00', currency: 'EUR' });
      assert.equal(rule.rrule, 'FREQ=MONTHLY;BYMONTHDAY=31');
      assert.equal(rule.timeZone, 'Europe/Berlin');
      assert.equal(rule.startsOn, '2026-03-02');
      assert.equal(rule.monthEndClamp, true);
      assert.equal(rule.requiresApproval, false);
      assert.equal(rule.status, 'active');
      assert.equal(rule.nextRunAt, '2026-03-02T09:00:00.000Z');
      const fetched = await call(server, owner, 'GET', `/api/recurring/${rule.id}`);
      assert.deepEqual(fetched.body, rule);
      const audits = await call(server, owner, 'GET',
        `/api/audits?entityType=recurring&entityId=${rule.id}`);
      assert.deepEqual(audits.body.items.map((row: { action: string }) => row.action),
        ['recurring.created']);
      await call(server, owner, 'DELETE', `/api/recurring/${rule.id}`);
    });

    it('refuses bad input with a problem and changes nothing', async () => {
      const base = { walletId: wallet.id, type: 'debit', amount: '10.00', rrule: 'FREQ=WEEKLY' };
      const cases: [Record<string, unknown>, number, string, string | null][] = [
        [{ ...base, rrule: 'FREQ=HOURLY' }, 400, 'validation', 'body.rrule.FREQ'],
        [{ ...base, rrule: 'FREQ=DAILY;BYHOUR=8' }, 400, 'validation', 'body.rrule.BYHOUR'],
        [{ ...base, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 200, '', null],
        [{ ...base, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', monthEndClamp: false }, 400,
          'validation', 'body.rrule'],
        [{ ...base, amount: '1e3' }, 400, 'validation', 'body.amount'],
        [{ ...base, amount: '-5' }, 400, 'validation', 'body.amount'],
        [{ ...base, amount: '12.345' }, 400, 'validation', 'body.amount'],
        [{ ...base, amount: '0' }, 400, 'validation', 'body.amount'],
        [{ ...base, amount: 10 }, 400, 'validation', 'body.amount'],
        [{ ...base, amount: '10000000000000.01' }, 400, 'validation', 'body.amount'],
        [{ ...base, type: 'refund' }, 400, 'validation', 'body.type'],
        [{ ...base, timeZone: 'Mars/Base' }, 400, 'validation', 'body.timeZone'],
        [{ ...base, startsOn: '2026-01-15' }, 400, 'validation', 'body.startsOn'],
        [{ ...base, startsOn: '2026-02-30' }, 400, 'validation', 'body.startsOn'],
        [{ ...base, startsOn: '2026-03-10', endsOn: '2026-03-09' }, 400, 'validation',
          'body.endsOn'],
        [{ ...base, weekendPolicy: 'whenever' }, 400, 'validation', 'body.weekendPolicy'],
        [{ ...base, tags: Array.from({ length: 21 }, (_, index) => `t${index}`) }, 400,
          'validation', 'body.tags'],
        [{ ...base, owner: 1 }, 400, 'validation', 'body'],
        [{ ...base, walletId: 999999 }, 404, 'not-found', null],
        [{ ...base, categoryId: 999999 }, 422, 'unknown-category', null],
        [{ ...base, paymentMethodId: 999999 }, 422, 'unknown-payment-method', null],
      ];
      for (const [body, status, slug, path] of cases) {
        const before = await recurringRowCounts(server);
        const answer = await call(server, owner, 'POST', '/api/recurring', body);
        if (status === 200) {
          // Feb 30 is a fine rule with clamping: it falls on Feb 28/29.
          assert.equal(answer.status, 201, JSON.stringify(answer.body));
          await call(server, owner, 'DELETE', `/api/recurring/${answer.body.id}`);
          continue;
        }
        assertProblem(answer, status, slug);
        if (path !== null) {
          assert.ok(answer.body.errors.some((error: { path: string }) => error.path === path),
            `${JSON.stringify(body)}: ${JSON.stringify(answer.body.errors)}`);
        }
        assert.deepEqual(await recurringRowCounts(server), before, JSON.stringify(body));
      }
    });

    it('refuses another user\'s wallet as if it did not exist', async () => {
      const theirs = await openWallet(server, stranger);
      const before = await recurringRowCounts(server);
      const answer = await call(server, owner, 'POST', '/api/recurring',
        { walletId: theirs.id, type: 'credit', amount: '1.00', rrule: 'FREQ=DAILY' });
      assertProblem(answer, 404, 'not-found');
      assert.deepEqual(await recurringRowCounts(server), before);
    });

    it('refuses a closed wallet and needs a session', async () => {
      const closed = await openWallet(server, owner);
      assert.equal((await call(server, owner, 'PATCH', `/api/wallets/${closed.id}`,
        { status: 'closed' })).status, 200);
      assertProblem(await call(server, owner, 'POST', '/api/recurring', { walletId: closed.id,
        type: 'credit', amount: '1.00', rrule: 'FREQ=DAILY' }), 409, 'wallet-closed');
      const anonymous = await call(server, null, 'POST', '/api/recurring', { walletId: wallet.id,
        type: 'credit', amount: '1.00', rrule: 'FREQ=DAILY' });
      assert.equal(anonymous.status, 401);
    });

    it(`holds at most ${recurringRulesPerUserMax} rules that have not ended`, async () => {
      const busy = await apiUser(server);
      const theirs = await openWallet(server, busy);
      const { Recurring } = walletModels(server.ctx.sequelize);
      const now = server.clock.now();
      await Recurring.bulkCreate(Array.from({ length: recurringRulesPerUserMax }, () => ({
        userId: busy.userId, walletId: theirs.id, type: 'credit' as const, amountMinor: 100n,
        currency: 'EUR', categoryId: null, paymentMethodId: null, description: null,
        counterparty: null, tags: [], metadata: {}, rrule: 'FREQ=DAILY', timeZone: 'UTC',
        startsOn: '2026-03-02', endsOn: null, weekendPolicy: 'as-scheduled' as const,
        monthEndClamp: true, requiresApproval: false, status: 'paused' as const,
        pausedReason: null, failureCount: 0, expandedThrough: null, nextRunAt: null,
        createdAt: now, updatedAt: now })));
      const body = { walletId: theirs.id, type: 'credit', amount: '1.00', rrule: 'FREQ=DAILY' };
      assertProblem(await call(server, busy, 'POST', '/api/recurring', body), 422,
        'recurring-limit-reached');
      const first = await Recurring.findOne({ where: { userId: busy.userId } });
      assert.ok(first);
      assert.equal((await call(server, busy, 'DELETE', `/api/recurring/${first.id}`)).status,
        200);
      assert.equal((await call(server, busy, 'POST', '/api/recurring', body)).status, 201);
    });
  });

  describe('reading rules', () => {
    it('lists one\'s own rules in pages and hides other users\'', async () => {
      const reader = await apiUser(server);
      const theirWallet = await openWallet(server, reader);
      const made = [];
      for (const amount of ['1.00', '2.00', '3.00']) {
        made.push(await makeRule(reader, { walletId: theirWallet.id, type: 'credit', amount,
          rrule: 'FREQ=WEEKLY;BYDAY=FR' }));
      }
      const first = await call(server, reader, 'GET', '/api/recurring?limit=2');
      assert.deepEqual(first.body.items.map((rule: { id: number }) => rule.id),
        made.slice(0, 2).map((rule) => rule.id));
      assert.ok(first.body.nextCursor);
      const second = await call(server, reader, 'GET',
        `/api/recurring?limit=2&cursor=${first.body.nextCursor}`);
      assert.deepEqual(second.body.items.map((rule: { id: number }) => rule.id), [made[2].id]);
      assert.equal(second.body.nextCursor, null);
      const rule = made[0];
      for (const [method, path] of [['GET', `/api/recurring/${rule.id}`],
        ['PATCH', `/api/recurring/${rule.id}`], ['POST', `/api/recurring/${rule.id}/pause`],
        ['DELETE', `/api/recurring/${rule.id}`],
        ['GET', `/api/recurring/${rule.id}/occurrences`]] as const) {
        const answer = await call(server, stranger, method, path,
          method === 'PATCH' ? { amount: '9.00' } : undefined);
        assertProblem(answer, 404, 'not-found');
      }
      assert.equal((await call(server, reader, 'GET', `/api/recurring/${rule.id}`)).body.status,
        'active');
      assertProblem(await call(server, reader, 'GET', '/api/recurring?limit=0'), 400,
        'validation');
      assertProblem(await call(server, reader, 'GET', '/api/recurring/abc'), 400, 'validation');
    });
  });

  describe('GET /api/recurring/preview', () => {
    const preview = (query: string) => call(server, owner, 'GET',
      `/api/recurring/preview?${query}`);

    it('lists the next dates of a rule with their due days', async () => {
      const answer = await preview(`rrule=${encodeURIComponent('FREQ=MONTHLY;BYMONTHDAY=31')}` +
        '&startsOn=2026-04-01&count=4&weekendPolicy=previous-business-day');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      previewSchema.parse(answer.body);
      assert.equal(answer.body.from, '2026-04-01');
      assert.deepEqual(answer.body.items, [
        { scheduledOn: '2026-04-30', dueOn: '2026-04-30' },
        { scheduledOn: '2026-05-31', dueOn: '2026-05-29' },
        { scheduledOn: '2026-06-30', dueOn: '2026-06-30' },
        { scheduledOn: '2026-07-31', dueOn: '2026-07-31' },
      ]);
    });

    it('starts at today for a rule that began earlier, and lists at most COUNT', async () => {
      const answer = await preview(`rrule=${encodeURIComponent('FREQ=DAILY;COUNT=5')}` +
        '&startsOn=2026-02-27&monthEndClamp=false&timeZone=UTC');
      assert.equal(answer.body.from, '2026-03-02');
      assert.deepEqual(answer.body.items.map((item: { scheduledOn: string }) => item.scheduledOn),
        ['2026-03-02', '2026-03-03']);
    });

    it('shows the dates of the first decades of a very sparse rule', async () => {
      const answer = await preview(
        `rrule=${encodeURIComponent('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29')}` +
        '&startsOn=2028-01-01&monthEndClamp=false&count=50');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const shown = answer.body.items.map((item: { scheduledOn: string }) => item.scheduledOn);
      assert.deepEqual(shown.slice(0, 3), ['2028-02-29', '2032-02-29', '2036-02-29']);
      assert.ok(shown.length > 5 && shown.length < 50, `${shown.length} dates`);
    });

    it('refuses a bad rule, time zone or count', async () => {
      assertProblem(await preview('rrule=FREQ%3DMINUTELY'), 400, 'validation');
      assertProblem(await preview('rrule=FREQ%3DDAILY&timeZone=Nowhere'), 400, 'validation');
      assertProblem(await preview('rrule=FREQ%3DDAILY&count=51'), 400, 'validation');
      assertProblem(await preview('count=5'), 400, 'validation');
      const answer = await preview('rrule=FREQ%3DDAILY%3BBYSECOND%3D5');
      assert.equal(answer.body.errors[0].path, 'query.rrule.BYSECOND');
    });
  });

  describe('the scheduler through the API', () => {
    it('posts a due rule on a manual run, once however often it runs', async () => {
      const payer = await apiUser(server);
      const theirs = await openWallet(server, payer);
      const rule = await makeRule(payer, { walletId: theirs.id, type: 'credit', amount: '5.00',
        rrule: 'FREQ=DAILY', counterparty: 'Employer', metadata: { source: 'test' } });
      const run = await call(server, payer, 'POST', '/api/recurring/run');
      assert.equal(run.status, 200);
      runReportSchema.parse(run.body);
      assert.equal(run.body.posted, 1);
      assert.equal((await call(server, payer, 'POST', '/api/recurring/run')).body.posted, 0);
      const made = await occurrencesOf(payer, rule.id);
      made.forEach((item) => occurrenceSchema.parse(item));
      assert.deepEqual(made.map((item) => `${item.scheduledOn} ${item.status}`), [
        '2026-03-04 pending', '2026-03-03 pending', '2026-03-02 posted',
      ], 'the next two days are made ahead, for a weekend policy that moves dates earlier');
      const listed = await occurrencesOf(payer, rule.id, '&status=posted');
      assert.equal(listed.length, 1);
      const transaction = await call(server, payer, 'GET',
        `/api/transactions/${listed[0].transactionId}`);
      assert.equal(transaction.body.origin, 'recurring');
      assert.equal(transaction.body.counterparty, 'Employer');
      assert.deepEqual(transaction.body.metadata, { source: 'test' });
      assert.equal(await storedBalanceMinor(server, theirs.id), 500n);
    });

    it('runs only one\'s own rules for a user, and everyone\'s for an Admin', async () => {
      const first = await apiUser(server);
      const second = await apiUser(server);
      const rules = [];
      for (const client of [first, second]) {
        const theirs = await openWallet(server, client);
        rules.push(await makeRule(client, { walletId: theirs.id, type: 'credit',
          amount: '1.00', rrule: 'FREQ=WEEKLY' }));
      }
      await call(server, first, 'POST', '/api/recurring/run');
      assert.equal((await occurrencesOf(first, rules[0].id, '&status=posted')).length, 1);
      assert.equal((await occurrencesOf(second, rules[1].id, '&status=posted')).length, 0);
      const adminRun = await call(server, admin, 'POST', '/api/recurring/run');
      assert.ok(adminRun.body.posted >= 1);
      assert.equal((await occurrencesOf(second, rules[1].id, '&status=posted')).length, 1);
      assert.equal((await call(server, null, 'POST', '/api/recurring/run')).status, 401);
    });

    it('pages occurrences latest first', async () => {
      const reader = await apiUser(server);
      const theirs = await openWallet(server, reader);
      const rule = await makeRule(reader, { walletId: theirs.id, type: 'credit', amount: '1.00',
        rrule: 'FREQ=DAILY', startsOn: '2026-02-25' });
      await call(server, reader, 'POST', '/api/recurring/run');
      const all = await occurrencesOf(reader, rule.id);
      assert.deepEqual(all.map((item: { scheduledOn: string }) => item.scheduledOn), [
        '2026-03-04', '2026-03-03', '2026-03-02', '2026-03-01', '2026-02-28', '2026-02-27',
        '2026-02-26', '2026-02-25',
      ]);
      const page = await call(server, reader, 'GET',
        `/api/recurring/${rule.id}/occurrences?limit=3`);
      const next = await call(server, reader, 'GET',
        `/api/recurring/${rule.id}/occurrences?limit=3&cursor=${page.body.nextCursor}`);
      assert.deepEqual(next.body.items.map((item: { id: number }) => item.id),
        all.slice(3, 6).map((item: { id: number }) => item.id));
      assertProblem(await call(server, reader, 'GET',
        `/api/recurring/${rule.id}/occurrences?cursor=nonsense`), 400, 'validation');
      assertProblem(await call(server, reader, 'GET',
        `/api/recurring/${rule.id}/occurrences?status=lost`), 400, 'validation');
    });
  });

  describe('approval', () => {
    it('waits for approval, posts on approve, never on reject', async () => {
      const approver = await apiUser(server);
      const theirs = await openWallet(server, approver);
      await post(server, approver, theirs.id, { type: 'credit', amount: '30.00' });
      const rule = await makeRule(approver, { walletId: theirs.id, type: 'debit',
        amount: '20.00', rrule: 'FREQ=DAILY', startsOn: '2026-02-28', requiresApproval: true });
      const run = await call(server, approver, 'POST', '/api/recurring/run');
      assert.equal(run.body.awaitingApproval, 3);
      assert.equal(run.body.posted, 0);
      assert.equal(await storedBalanceMinor(server, theirs.id), 3000n);
      const waiting = await occurrencesOf(approver, rule.id, '&status=awaiting-approval');
      assert.deepEqual(waiting.map((item: { scheduledOn: string }) => item.scheduledOn),
        ['2026-03-02', '2026-03-01', '2026-02-28']);
      const [third, second, first] = waiting;
      const path = (item: { id: number }, verb: string) =>
        `/api/recurring/${rule.id}/occurrences/${item.id}/${verb}`;
      const key = freshKey();
      const approved = await call(server, approver, 'POST', path(first, 'approve'), undefined,
        key);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.occurrence.status, 'posted');
      assert.equal(approved.body.occurrence.decidedByUserId, approver.userId);
      assert.equal(approved.body.transaction.origin, 'recurring');
      assert.equal(approved.body.transaction.occurredAt, '2026-02-28T00:00:00.000Z');
      assert.equal(await storedBalanceMinor(server, theirs.id), 1000n);
      const replay = await call(server, approver, 'POST', path(first, 'approve'), undefined, key);
      assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(replay.body, approved.body);
      assertProblem(await call(server, approver, 'POST', path(first, 'approve')), 409,
        'occurrence-not-awaiting-approval');
      // 10.00 left: the next 20.00 is refused and still awaits approval.
      const before = await recurringRowCounts(server);
      assertProblem(await call(server, approver, 'POST', path(second, 'approve')), 422,
        'insufficient-funds');
      assert.deepEqual(await recurringRowCounts(server), before);
      assert.equal((await occurrencesOf(approver, rule.id, '&status=awaiting-approval')).length,
        2);
      const rejected = await call(server, approver, 'POST', path(second, 'reject'));
      assert.equal(rejected.body.status, 'rejected');
      assertProblem(await call(server, approver, 'POST', path(second, 'approve')), 409,
        'occurrence-not-awaiting-approval');
      assertProblem(await call(server, stranger, 'POST', path(third, 'approve')), 404,
        'not-found');
      assertProblem(await call(server, approver, 'POST',
        `/api/recurring/${rule.id}/occurrences/999999/reject`), 404, 'not-found');
      const audits = await call(server, approver, 'GET',
        '/api/audits?entityType=recurring-occurrence');
      assert.deepEqual(audits.body.items.map((row: { action: string }) => row.action).sort(),
        ['recurring.occurrence-approved', 'recurring.occurrence-rejected']);
      await call(server, approver, 'DELETE', `/api/recurring/${rule.id}`);
      const left = (await occurrencesOf(approver, rule.id))
        .find((item: { id: number }) => item.id === third.id);
      assert.equal(left.status, 'skipped', 'ending a rule skips what awaited approval');
    });
  });

  describe('changing, pausing, resuming and ending', () => {
    it('applies a new schedule from tomorrow and a new amount to the next posting', async () => {
      const changer = await apiUser(server);
      const theirs = await openWallet(server, changer);
      const rule = await makeRule(changer, { walletId: theirs.id, type: 'credit',
        amount: '1.00', rrule: 'FREQ=DAILY' });
      await call(server, changer, 'POST', '/api/recurring/run');
      assert.equal((await occurrencesOf(changer, rule.id)).length, 3); // today + 2 days ahead
      const changed = await call(server, changer, 'PATCH', `/api/recurring/${rule.id}`,
        { amount: '2.50', rrule: 'FREQ=WEEKLY;BYDAY=FR', description: 'Weekly now' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(changed.body.amount, { amount: '2.50', currency: 'EUR' });
      assert.equal(changed.body.rrule, 'FREQ=WEEKLY;BYDAY=FR');
      assert.deepEqual((await occurrencesOf(changer, rule.id))
        .map((item: { scheduledOn: string }) => item.scheduledOn), ['2026-03-02']);
      await call(server, changer, 'POST', '/api/recurring/run');
      assert.deepEqual((await occurrencesOf(changer, rule.id))
        .map((item: { scheduledOn: string }) => item.scheduledOn), ['2026-03-02'],
      'Friday is beyond the two days made ahead');
      server.clock.set('2026-03-06T09:00:00Z');
      await freshSessions();
      await signInAgain(server, changer);
      await call(server, changer, 'POST', '/api/recurring/run');
      assert.equal(await storedBalanceMinor(server, theirs.id), 350n);
      assertProblem(await call(server, changer, 'PATCH', `/api/recurring/${rule.id}`,
        { rrule: 'FREQ=SECONDLY' }), 400, 'validation');
      assertProblem(await call(server, changer, 'PATCH', `/api/recurring/${rule.id}`, {}), 400,
        'validation');
      assertProblem(await call(server, changer, 'PATCH', `/api/recurring/${rule.id}`,
        { walletId: 1 }), 400, 'validation');
    });

    it('keeps the dates made when only the transaction changes, and audits it', async () => {
      const editor = await apiUser(server);
      const theirs = await openWallet(server, editor);
      const rule = await makeRule(editor, { walletId: theirs.id, type: 'credit',
        amount: '1.00', rrule: 'FREQ=DAILY' });
      await call(server, editor, 'POST', '/api/recurring/run');
      const categories = await call(server, editor, 'GET', '/api/categories?limit=100');
      const category = categories.body.items[0];
      const changed = await call(server, editor, 'PATCH', `/api/recurring/${rule.id}`,
        { description: 'Renamed', categoryId: category.id, requiresApproval: true,
          endsOn: null, tags: ['kept'] });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.description, 'Renamed');
      assert.equal(changed.body.categoryId, category.id);
      assert.equal(changed.body.requiresApproval, true);
      assert.deepEqual(changed.body.amount, rule.amount);
      assert.equal((await occurrencesOf(editor, rule.id)).length, 3, 'no date was dropped');
      const before = await recurringRowCounts(server);
      assertProblem(await call(server, editor, 'PATCH', `/api/recurring/${rule.id}`,
        { categoryId: 999999 }), 422, 'unknown-category');
      assertProblem(await call(server, editor, 'PATCH', `/api/recurring/${rule.id}`,
        { amount: '1.001' }), 400, 'validation');
      assertProblem(await call(server, editor, 'PATCH', `/api/recurring/${rule.id}`,
        { startsOn: '2025-01-01' }), 400, 'validation');
      assert.deepEqual(await recurringRowCounts(server), before);
      const audits = await call(server, editor, 'GET',
        `/api/audits?entityType=recurring&entityId=${rule.id}`);
      assert.deepEqual(audits.body.items.map((row: { action: string }) => row.action).sort(),
        ['recurring.changed', 'recurring.created']);
      const fresh = await makeRule(editor, { walletId: theirs.id, type: 'credit',
        amount: '1.00', rrule: 'FREQ=DAILY', startsOn: '2026-03-20' });
      const moved = await call(server, editor, 'PATCH', `/api/recurring/${fresh.id}`,
        { rrule: 'FREQ=MONTHLY', startsOn: '2026-03-31', weekendPolicy: 'next-business-day' });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.startsOn, '2026-03-31');
      assert.equal((await occurrencesOf(editor, fresh.id)).length, 0);
    });

    it('skips the dates of a pause and posts again after resuming', async () => {
      server.clock.set('2026-03-09T09:00:00Z');
      const pauser = await apiUser(server);
      await freshSessions();
      const theirs = await openWallet(server, pauser);
      const rule = await makeRule(pauser, { walletId: theirs.id, type: 'credit', amount: '1.00',
        rrule: 'FREQ=DAILY' });
      await call(server, pauser, 'POST', '/api/recurring/run');
      const paused = await call(server, pauser, 'POST', `/api/recurring/${rule.id}/pause`);
      assert.equal(paused.body.status, 'paused');
      assert.equal(paused.body.pausedReason, 'Paused by its owner.');
      assert.equal((await call(server, pauser, 'POST', `/api/recurring/${rule.id}/pause`))
        .body.status, 'paused');
      server.clock.set('2026-03-13T09:00:00Z');
      await signInAgain(server, pauser);
      assert.equal((await call(server, pauser, 'POST', '/api/recurring/run')).body.posted, 0);
      const resumed = await call(server, pauser, 'POST', `/api/recurring/${rule.id}/resume`);
      assert.equal(resumed.body.status, 'active');
      assert.equal((await call(server, pauser, 'POST', '/api/recurring/run')).body.posted, 1);
      const byStatus = (await occurrencesOf(pauser, rule.id))
        .map((item: { scheduledOn: string; status: string }) =>
          `${item.scheduledOn} ${item.status}`);
      assert.deepEqual(byStatus.filter((line: string) => !line.endsWith('pending')), [
        '2026-03-13 posted', '2026-03-11 skipped', '2026-03-10 skipped', '2026-03-09 posted',
      ]);
      const ended = await call(server, pauser, 'DELETE', `/api/recurring/${rule.id}`);
      assert.equal(ended.body.status, 'ended');
      assert.equal(ended.body.nextRunAt, null);
      assert.equal((await call(server, pauser, 'DELETE', `/api/recurring/${rule.id}`)).status,
        200);
      for (const path of ['pause', 'resume']) {
        assertProblem(await call(server, pauser, 'POST', `/api/recurring/${rule.id}/${path}`),
          409, 'recurring-ended');
      }
      assertProblem(await call(server, pauser, 'PATCH', `/api/recurring/${rule.id}`,
        { amount: '2.00' }), 409, 'recurring-ended');
      assert.ok((await occurrencesOf(pauser, rule.id))
        .every((item: { status: string }) => item.status !== 'pending'));
    });

    it('ends by itself once COUNT dates have posted', async () => {
      const counter = await apiUser(server);
      await freshSessions();
      const theirs = await openWallet(server, counter);
      const rule = await makeRule(counter, { walletId: theirs.id, type: 'credit', amount: '1.00',
        rrule: 'FREQ=DAILY;COUNT=2', startsOn: '2026-03-12' });
      const run = await call(server, counter, 'POST', '/api/recurring/run');
      assert.equal(run.body.posted, 2);
      assert.equal(run.body.ended, 1);
      const ended = await call(server, counter, 'GET', `/api/recurring/${rule.id}`);
      assert.equal(ended.body.status, 'ended');
    });
  });

  describe('failures', () => {
    it('retries with backoff, pauses after repeated failures and tells the owner', async () => {
      server.clock.set('2026-04-01T08:00:00Z');
      await freshSessions();
      const debtor = await apiUser(server);
      const theirs = await openWallet(server, debtor);
      const rule = await makeRule(debtor, { walletId: theirs.id, type: 'debit', amount: '75.00',
        rrule: 'FREQ=MONTHLY', description: 'Gym' });
      const scheduled = { workerId: 'failures-test', userId: debtor.userId };
      let waitedMs = 0;
      for (let attempt = 1; attempt <= failuresBeforePause; attempt += 1) {
        const report = await runDueRecurring(server.ctx, scheduled);
        assert.equal(report.failed, 1, `attempt ${attempt}`);
        const [occurrence] = await occurrencesOf(debtor, rule.id, '&status=pending');
        assert.equal(occurrence.attemptCount, attempt);
        assert.match(occurrence.lastError, /^insufficient-funds: /);
        const delayMs = retryDelayMs(attempt);
        assert.equal(occurrence.nextAttemptAt,
          new Date(server.clock.now().getTime() + delayMs).toISOString());
        if (attempt === failuresBeforePause) break;
        // Not before its time: a run a minute early changes nothing.
        server.clock.advance(delayMs - 60_000);
        const early = await runDueRecurring(server.ctx, scheduled);
        assert.equal(early.failed + early.posted, 0);
        server.clock.advance(60_000);
        waitedMs += delayMs;
        await signInAgain(server, debtor);
      }
      assert.equal(waitedMs, (1 + 4 + 16 + 64) * hourMs);
      await signInAgain(server, debtor);
      const paused = await call(server, debtor, 'GET', `/api/recurring/${rule.id}`);
      assert.equal(paused.body.status, 'paused');
      assert.match(paused.body.pausedReason, /after 5 failed postings in a row/);
      assert.equal(paused.body.failureCount, 5);
      const audits = await call(server, debtor, 'GET',
        `/api/audits?entityType=recurring&entityId=${rule.id}`);
      const pause = audits.body.items.find((row: { action: string }) =>
        row.action === 'recurring.paused');
      assert.ok(pause);
      assert.equal(pause.actorUserId, null, 'the server paused it');
      const { messages } = await readOutbox(server.ctx, debtor.userId,
        { limit: 10, beforeId: null });
      const notice = messages.find((message) => message.subject ===
        'A recurring transaction was paused');
      assert.ok(notice);
      assert.match(notice.body, /debit of 75\.00 EUR \("Gym"\)/);
      assert.match(notice.body, /insufficient-funds/);
      assert.equal((await runDueRecurring(server.ctx, scheduled)).failed, 0, 'paused: no tries');
      await post(server, debtor, theirs.id, { type: 'credit', amount: '100.00' });
      await call(server, debtor, 'POST', `/api/recurring/${rule.id}/resume`);
      const retried = await runDueRecurring(server.ctx, scheduled);
      assert.equal(retried.posted, 1, 'the failing date is tried again at once');
      assert.equal(await storedBalanceMinor(server, theirs.id), 2500n);
      const after = await call(server, debtor, 'GET', `/api/recurring/${rule.id}`);
      assert.equal(after.body.failureCount, 0);
      assert.equal(after.body.status, 'active');
      await call(server, debtor, 'DELETE', `/api/recurring/${rule.id}`);
    });

    it('pauses a rule whose dates take too long to work out, even if no email goes out',
      async () => {
        const ancient = await apiUser(server);
        const theirs = await openWallet(server, ancient);
        const { Recurring } = walletModels(server.ctx.sequelize);
        const now = server.clock.now();
        // A daily rule started 60 years ago: more days from its start than a run may walk.
        const row = await Recurring.create({ userId: ancient.userId, walletId: theirs.id,
          type: 'credit', amountMinor: 100n, currency: 'EUR', categoryId: null,
          paymentMethodId: null, description: null, counterparty: null, tags: [], metadata: {},
          rrule: 'FREQ=DAILY', timeZone: 'UTC', startsOn: '1966-01-01', endsOn: null,
          weekendPolicy: 'as-scheduled', monthEndClamp: true, requiresApproval: false,
          status: 'active', pausedReason: null, failureCount: 0, expandedThrough: '2026-03-01',
          nextRunAt: now, createdAt: now, updatedAt: now });
        const mailer = server.ctx.mailer;
        server.ctx.mailer = { kind: 'smtp', close: async () => {},
          send: async () => { throw new Error('the mail server is down'); } };
        try {
          const report = await runDueRecurring(server.ctx, { workerId: 'ancient',
            userId: ancient.userId });
          assert.equal(report.paused, 1);
          assert.equal(report.posted, 0);
        } finally {
          server.ctx.mailer = mailer;
        }
        await row.reload();
        assert.equal(row.status, 'paused');
        assert.match(row.pausedReason ?? '', /take too long to work out/);
        assert.ok(server.logLines.some((line) =>
          line.includes('"recurring pause notice not sent"')));
      });

    it('counts a frozen wallet as a failure and ends a failing date as failed', async () => {
      const frozen = await apiUser(server);
      const theirs = await openWallet(server, frozen);
      const rule = await makeRule(frozen, { walletId: theirs.id, type: 'credit', amount: '1.00',
        rrule: 'FREQ=WEEKLY' });
      await call(server, frozen, 'PATCH', `/api/wallets/${theirs.id}`, { status: 'frozen' });
      const report = await runDueRecurring(server.ctx, { workerId: 'frozen-test',
        userId: frozen.userId });
      assert.equal(report.failed, 1);
      const [occurrence] = await occurrencesOf(frozen, rule.id);
      assert.match(occurrence.lastError, /^wallet-frozen: /);
      await call(server, frozen, 'DELETE', `/api/recurring/${rule.id}`);
      const [ended] = await occurrencesOf(frozen, rule.id, '&status=failed');
      assert.equal(ended.id, occurrence.id);
    });
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
  });
});
