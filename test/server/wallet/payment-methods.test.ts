import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import {
  encryptedColumns,
  rotateEncryptedColumns,
} from '../../../server/crypto/encrypted-columns.ts';
import { generateFernetKey, parseFernetKey } from '../../../server/crypto/fernet.ts';
import { Keyring } from '../../../server/crypto/keyring.ts';
import '../../../server/crypto/registered-columns.ts';
import { createLogger } from '../../../server/logger.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { paymentMethodSchema } from '../../../server/wallet/payment-method-schemas.ts';
import {
  createPaymentMethod,
  paymentMethodsPerUserMax,
} from '../../../server/wallet/payment-methods.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { databaseText } from '../support/mfa-client.ts';
import {
  startTestServer,
  testDialect,
  testSecretKey,
  type TestServer,
} from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  signInAgain,
  storedBalanceMinor,
  type Answer,
  type Client,
} from './api-support.ts';
import { createTestUser, openWallet as openWalletDirect, rejectsWithProblem } from './support.ts';

const cardNumber = '4242424242424242';
const holderName = 'Ada Q. Lovelace';
const iban = 'DE89370400440532013000';

/** A card request; `overrides` replace members, `undefined` removes one. */
function card(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'card', currency: 'EUR', number: '4242 4242 4242 4242', expiryMonth: 12,
    expiryYear: 2028, holderName, ...overrides };
}

describe(`the payment method routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
  });
  after(async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    await server.close();
  });

  const create = (client: Client, body: Record<string, unknown>) =>
    call(server, client, 'POST', '/api/payment-methods', body);

  /** Creates a method and fails loudly unless 201. */
  async function added(client: Client, body: Record<string, unknown>) {
    const answer = await create(client, body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    paymentMethodSchema.parse(answer.body);
    return answer.body;
  }

  /** Rows of the tables a payment method change writes. */
  async function counts(): Promise<[number, number]> {
    const count = async (table: string) => Number((await server.ctx.sequelize.query<{
      n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0]?.n);
    return [await count('ab_payment_methods'), await count('ab_wallet_audits')];
  }

  /** The stored row of a method, read past the API. */
  async function storedRow(id: number): Promise<Record<string, unknown>> {
    const rows = await server.ctx.sequelize.query<Record<string, unknown>>(
      'SELECT * FROM ab_payment_methods WHERE id = :id',
      { replacements: { id }, type: QueryTypes.SELECT });
    assert.ok(rows[0]);
    return rows[0];
  }

  describe('adding one', () => {
    it('answers a card masked, with its brand, a default label and no number', async () => {
      const method = await added(owner, card());
      assert.equal(method.kind, 'card');
      assert.equal(method.masked, '•••• 4242');
      assert.equal(method.brand, 'visa');
      assert.equal(method.label, 'Visa •••• 4242');
      assert.equal(method.expiryMonth, 12);
      assert.equal(method.expiryYear, 2028);
      assert.equal(method.expired, false);
      assert.equal(method.usageCount, 0);
      assert.deepEqual(method.usageTotal, { amount: '0.00', currency: 'EUR' });
      assert.equal(method.lastUsedAt, null);
      assert.equal(method.archived, false);
      assert.equal(method.createdAt, '2026-03-01T09:00:00.000Z');
      const text = JSON.stringify(method);
      assert.ok(!text.includes(cardNumber) && !text.includes(holderName));
      assert.ok(!('number' in method) && !('holderName' in method));
    });

    it('keeps the number and holder only as a keyring token, never in the clear', async () => {
      const method = await added(owner, card({ number: '5555-5555-5555-4444',
        holderName: '  Grace Hopper ' }));
      const row = await storedRow(method.id);
      assert.equal(row.masked, '•••• 4444');
      const token = String(row.details_token);
      assert.ok(!token.includes('5555555555554444') && !token.includes('Grace'));
      assert.deepEqual(JSON.parse(server.ctx.keys.decryptString(token)),
        { kind: 'card', number: '5555555555554444', holderName: 'Grace Hopper' });
    });

    it('takes a bank account by IBAN or by account number', async () => {
      const byIban = await added(owner, { kind: 'bank-account', currency: 'EUR',
        iban: 'de89 3704 0044 0532 0130 00', monthlyLimit: '2500.00' });
      assert.equal(byIban.masked, 'DE•• •••• 3000');
      assert.equal(byIban.label, 'Bank account DE•• •••• 3000');
      assert.equal(byIban.brand, null);
      assert.equal(byIban.expiryMonth, null);
      assert.deepEqual(byIban.monthlyLimit, { amount: '2500.00', currency: 'EUR' });
      const token = String((await storedRow(byIban.id)).details_token);
      assert.deepEqual(JSON.parse(server.ctx.keys.decryptString(token)),
        { kind: 'bank-account', iban, accountNumber: null, holderName: null });
      const byNumber = await added(owner, { kind: 'bank-account', currency: 'USD',
        label: 'Checking', accountNumber: '000123-456789' });
      assert.equal(byNumber.masked, '•••• 6789');
      assert.equal(byNumber.label, 'Checking');
      assert.equal(byNumber.currency, 'USD');
    });

    it('takes another kind with a label and no number', async () => {
      const cash = await added(owner, { kind: 'other', label: ' Cash ', currency: 'JPY',
        transactionAmountMax: '5000' });
      assert.equal(cash.label, 'Cash');
      assert.equal(cash.masked, null);
      assert.deepEqual(cash.transactionAmountMax, { amount: '5000', currency: 'JPY' });
      assert.equal((await storedRow(cash.id)).details_token, null);
    });

    it('audits the addition with the masked form only', async () => {
      const method = await added(owner, card({ label: 'Travel card' }));
      const audits = await call(server, owner, 'GET',
        `/api/audits?entityType=payment-method&entityId=${method.id}`);
      assert.equal(audits.status, 200);
      assert.equal(audits.body.items.length, 1);
      const [row] = audits.body.items;
      assert.equal(row.action, 'payment-method.created');
      assert.equal(row.after.masked, '•••• 4242');
      assert.equal(row.after.label, 'Travel card');
      assert.ok(!JSON.stringify(row).includes(cardNumber));
    });

    const refusals: [string, Record<string, unknown>, number, string][] = [
      ['a wrong check digit', card({ number: '4242 4242 4242 4241' }), 400, 'validation'],
      ['letters in the number', card({ number: '4242 4242 4242 42x2' }), 400, 'validation'],
      ['a number as JSON number', card({ number: 4242424242424242 }), 400, 'validation'],
      ['too few digits', card({ number: '4242 4242 42' }), 400, 'validation'],
      ['a length the brand does not issue', card({ number: '3782 822463 100052' }), 400,
        'validation'],
      ['an expiry in the past', card({ expiryMonth: 2, expiryYear: 2026 }), 422, 'card-expired'],
      ['month 13', card({ expiryMonth: 13 }), 400, 'validation'],
      ['a two-digit year', card({ expiryYear: 28 }), 400, 'validation'],
      ['a year too far ahead', card({ expiryYear: 2047 }), 400, 'validation'],
      ['no expiry', card({ expiryMonth: undefined }), 400, 'validation'],
      ['an unknown kind', card({ kind: 'crypto' }), 400, 'validation'],
      ['no currency', card({ currency: undefined }), 400, 'validation'],
      ['an unknown currency', card({ currency: 'XYZ' }), 422, 'unknown-currency'],
      ['a member of another kind', card({ iban }), 400, 'validation'],
      ['an unknown member', card({ cvc: '123' }), 400, 'validation'],
      ['a label holding the number', card({ label: 'my card 4242 4242 4242 4242' }), 400,
        'validation'],
      ['an empty label', card({ label: '   ' }), 400, 'validation'],
      ['a label too long', card({ label: 'x'.repeat(101) }), 400, 'validation'],
      ['a holder name too long', card({ holderName: 'x'.repeat(101) }), 400, 'validation'],
      ['a limit of zero', card({ monthlyLimit: '0' }), 400, 'validation'],
      ['a negative limit', card({ transactionAmountMax: '-5' }), 400, 'validation'],
      ['a limit in an exponent', card({ transactionAmountMax: '1e3' }), 400, 'validation'],
      ['a limit with too many decimals', card({ monthlyLimit: '12.345' }), 400, 'validation'],
      ['a JPY limit with decimals', card({ currency: 'JPY', monthlyLimit: '10.5' }), 400,
        'validation'],
      ['a limit as a JSON number', card({ monthlyLimit: 100 }), 400, 'validation'],
      ['a huge limit', card({ monthlyLimit: '99999999999999999' }), 400, 'validation'],
      ['an IBAN with a wrong check', { kind: 'bank-account', currency: 'EUR',
        iban: 'DE89370400440532013001' }, 400, 'validation'],
      ['an IBAN of the wrong length', { kind: 'bank-account', currency: 'EUR',
        iban: 'DE8937040044053201300' }, 400, 'validation'],
      ['both an IBAN and an account number', { kind: 'bank-account', currency: 'EUR', iban,
        accountNumber: '12345678' }, 400, 'validation'],
      ['neither an IBAN nor an account number', { kind: 'bank-account', currency: 'EUR' }, 400,
        'validation'],
      ['a label holding the IBAN', { kind: 'bank-account', currency: 'EUR', iban,
        label: `Main ${iban}` }, 400, 'validation'],
      ['another kind without a label', { kind: 'other', currency: 'EUR' }, 400, 'validation'],
    ];
    for (const [what, body, status, slug] of refusals) {
      it(`refuses ${what} with ${status} and stores nothing`, async () => {
        const before = await counts();
        const answer = await create(owner, body);
        assertProblem(answer, status, slug);
        assert.ok(!JSON.stringify(answer.body).includes('42424242'), 'no number in the answer');
        assert.deepEqual(await counts(), before);
      });
    }

    it('refuses a caller without a session, and a body that is not JSON', async () => {
      const before = await counts();
      assertProblem(await create(null as unknown as Client, card()), 401, 'unauthenticated');
      assertProblem(await call(server, owner, 'POST', '/api/payment-methods', 'number=4242',
        { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
      assert.deepEqual(await counts(), before);
    });

    it(`refuses a user's ${paymentMethodsPerUserMax + 1}th method`, async () => {
      const collector = await createTestUser(server.ctx);
      for (let index = 0; index < paymentMethodsPerUserMax; index += 1) {
        await createPaymentMethod(server.ctx, collector, { kind: 'other', label: `M ${index}`,
          currency: 'EUR' });
      }
      await rejectsWithProblem(createPaymentMethod(server.ctx, collector, { kind: 'other',
        label: 'One more', currency: 'EUR' }), 422, 'payment-method-limit-reached');
    });
  });

  describe('reading, changing and archiving', () => {
    let method: { id: number };
    before(async () => {
      method = await added(owner, card({ label: 'Daily card' }));
    });

    it('lists only your own, in pages, archived ones on request', async () => {
      await added(stranger, card({ label: 'Stranger card' }));
      const first = await call(server, owner, 'GET', '/api/payment-methods?limit=2');
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 2);
      assert.ok(first.body.nextCursor);
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Answer = await call(server, owner, 'GET',
          `/api/payment-methods?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        ids.push(...page.body.items.map((item: { id: number }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.ok(ids.includes(method.id));
      assert.deepEqual([...ids].sort((a, b) => a - b), ids);
      const all = await call(server, stranger, 'GET', '/api/payment-methods');
      assert.deepEqual(all.body.items.map((item: { label: string }) => item.label),
        ['Stranger card']);
      assertProblem(await call(server, owner, 'GET', '/api/payment-methods?limit=0'), 400,
        'validation');
      assertProblem(await call(server, owner, 'GET', '/api/payment-methods?cursor=nope!'), 400,
        'validation');
      assertProblem(await call(server, owner, 'GET', '/api/payment-methods?includeArchived=1'),
        400, 'validation');
    });

    it('reads one; another user\'s is not found', async () => {
      const one = await call(server, owner, 'GET', `/api/payment-methods/${method.id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.label, 'Daily card');
      const before = await counts();
      assertProblem(await call(server, stranger, 'GET', `/api/payment-methods/${method.id}`),
        404, 'not-found');
      assertProblem(await call(server, stranger, 'PATCH', `/api/payment-methods/${method.id}`,
        { label: 'Mine now' }), 404, 'not-found');
      assertProblem(await call(server, stranger, 'DELETE', `/api/payment-methods/${method.id}`),
        404, 'not-found');
      assertProblem(await call(server, owner, 'GET', '/api/payment-methods/999999'), 404,
        'not-found');
      assertProblem(await call(server, owner, 'GET', '/api/payment-methods/abc'), 400,
        'validation');
      assert.deepEqual(await counts(), before);
      assert.equal((await call(server, owner, 'GET', `/api/payment-methods/${method.id}`)).body
        .label, 'Daily card');
    });

    it('changes the label and limits, audited with before and after', async () => {
      const changed = await call(server, owner, 'PATCH', `/api/payment-methods/${method.id}`,
        { label: 'Groceries card', transactionAmountMax: '80.00', monthlyLimit: '300.00' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.label, 'Groceries card');
      assert.deepEqual(changed.body.transactionAmountMax, { amount: '80.00', currency: 'EUR' });
      assert.deepEqual(changed.body.monthlyLimit, { amount: '300.00', currency: 'EUR' });
      const removed = await call(server, owner, 'PATCH', `/api/payment-methods/${method.id}`,
        { monthlyLimit: null });
      assert.equal(removed.body.monthlyLimit, null);
      assert.deepEqual(removed.body.transactionAmountMax, { amount: '80.00', currency: 'EUR' });
      const audits = await call(server, owner, 'GET', '/api/audits?entityType=payment-method' +
        `&entityId=${method.id}&action=payment-method.changed`);
      assert.equal(audits.body.items.length, 2);
      const first = audits.body.items.find((row: { before: { label: string } }) =>
        row.before.label === 'Daily card');
      assert.equal(first.after.label, 'Groceries card');
      assert.equal(first.after.transactionAmountMaxMinor, '8000');
      assert.ok(!JSON.stringify(audits.body).includes(cardNumber));
    });

    it('refuses a bad change with 400 and changes nothing', async () => {
      const before = await counts();
      const path = `/api/payment-methods/${method.id}`;
      for (const body of [{}, { label: '' }, { label: '4242 4242 4242 4242' },
        { monthlyLimit: '0' }, { monthlyLimit: '-1' }, { transactionAmountMax: '1.001' },
        { currency: 'USD' }, { number: '4111 1111 1111 1111' }]) {
        assertProblem(await call(server, owner, 'PATCH', path, body), 400, 'validation');
      }
      assert.deepEqual(await counts(), before);
      assert.equal((await call(server, owner, 'GET', path)).body.label, 'Groceries card');
    });

    it('archives: kept on record, out of the default list, unchangeable; again is harmless',
      async () => {
        const path = `/api/payment-methods/${method.id}`;
        const archived = await call(server, owner, 'DELETE', path);
        assert.equal(archived.status, 200);
        assert.equal(archived.body.archived, true);
        assert.equal(archived.body.archivedAt, '2026-03-01T09:00:00.000Z');
        const [, auditsBefore] = await counts();
        const again = await call(server, owner, 'DELETE', path);
        assert.deepEqual(again.body, archived.body);
        assert.equal((await counts())[1], auditsBefore);
        assertProblem(await call(server, owner, 'PATCH', path, { label: 'Back' }), 409,
          'payment-method-archived');
        const listed = await call(server, owner, 'GET', '/api/payment-methods?limit=100');
        assert.ok(!listed.body.items.some((item: { id: number }) => item.id === method.id));
        const withArchived = await call(server, owner, 'GET',
          '/api/payment-methods?limit=100&includeArchived=true');
        assert.ok(withArchived.body.items.some((item: { id: number }) => item.id === method.id));
        assert.equal((await call(server, owner, 'GET', path)).body.archived, true);
      });
  });

  describe('in postings', () => {
    let wallet: { id: number };
    before(async () => {
      wallet = await openWallet(server, owner);
      await post(server, owner, wallet.id, { type: 'credit', amount: '5000.00' });
    });

    const debit = (paymentMethodId: number, amount: string) =>
      call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
        { type: 'debit', amount, paymentMethodId }, freshKey());

    /** Asserts a refused debit changed neither the wallet nor the method. */
    async function refusedUnchanged(answer: Answer, slug: string, methodId: number) {
      const balance = await storedBalanceMinor(server, wallet.id);
      const usage = (await call(server, owner, 'GET', `/api/payment-methods/${methodId}`)).body;
      assertProblem(answer, 422, slug);
      assert.equal(await storedBalanceMinor(server, wallet.id), balance);
      const after = (await call(server, owner, 'GET', `/api/payment-methods/${methodId}`)).body;
      assert.deepEqual(after, usage);
    }

    it('counts each debit in the usage: count, total and last use; credits are not usage',
      async () => {
        const method = await added(owner, card());
        const posted = await debit(method.id, '12.50');
        assert.equal(posted.status, 201, JSON.stringify(posted.body));
        assert.equal(posted.body.paymentMethodId, method.id);
        server.clock.advance(60_000);
        await debit(method.id, '7.50');
        await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
          { type: 'credit', amount: '3.00', paymentMethodId: method.id }, freshKey());
        const read = (await call(server, owner, 'GET', `/api/payment-methods/${method.id}`)).body;
        assert.equal(read.usageCount, 2);
        assert.deepEqual(read.usageTotal, { amount: '20.00', currency: 'EUR' });
        assert.equal(read.lastUsedAt, '2026-03-01T09:01:00.000Z');
      });

    it('refuses a debit above its maximum per transaction, posting nothing', async () => {
      const method = await added(owner, card({ transactionAmountMax: '50.00' }));
      assert.equal((await debit(method.id, '50.00')).status, 201);
      const refused = await debit(method.id, '50.01');
      await refusedUnchanged(refused, 'amount-above-payment-method-maximum', method.id);
      assert.deepEqual(refused.body.transactionAmountMax, { amount: '50.00', currency: 'EUR' });
    });

    it('refuses a debit past its monthly limit, and takes it again next month', async () => {
      const method = await added(owner, card({ monthlyLimit: '100.00' }));
      assert.equal((await debit(method.id, '60.00')).status, 201);
      assert.equal((await debit(method.id, '40.00')).status, 201);
      const refused = await debit(method.id, '0.01');
      await refusedUnchanged(refused, 'payment-method-monthly-limit-exceeded', method.id);
      assert.deepEqual(refused.body.usedThisMonth, { amount: '100.00', currency: 'EUR' });
      server.clock.set(new Date('2026-04-01T00:00:00Z'));
      await signInAgain(server, owner);
      assert.equal((await debit(method.id, '0.01')).status, 201);
    });

    it('refuses another user\'s, an archived, a foreign-currency and an expired method',
      async () => {
        await signInAgain(server, stranger);
        const foreign = await added(stranger, card());
        await refusedUnchanged(await debit(foreign.id, '1.00'), 'unknown-payment-method',
          (await added(owner, card())).id);
        const archived = await added(owner, card());
        await call(server, owner, 'DELETE', `/api/payment-methods/${archived.id}`);
        await refusedUnchanged(await debit(archived.id, '1.00'), 'payment-method-archived',
          archived.id);
        const dollars = await added(owner, card({ currency: 'USD' }));
        await refusedUnchanged(await debit(dollars.id, '1.00'),
          'payment-method-currency-mismatch', dollars.id);
        const expiring = await added(owner, card({ expiryMonth: 4, expiryYear: 2026 }));
        assert.equal((await debit(expiring.id, '1.00')).status, 201);
        server.clock.set(new Date('2026-05-01T00:00:00Z'));
        await signInAgain(server, owner);
        const read = await call(server, owner, 'GET', `/api/payment-methods/${expiring.id}`);
        assert.equal(read.body.expired, true);
        await refusedUnchanged(await debit(expiring.id, '1.00'), 'payment-method-expired',
          expiring.id);
        const refund = await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
          { type: 'credit', amount: '1.00', paymentMethodId: expiring.id }, freshKey());
        assert.equal(refund.status, 201);
        assertProblem(await debit(0, '1.00'), 400, 'validation');
      });

    it('refuses a debit that would take its usage total past what it can record', async () => {
      const method = await added(owner, card());
      await server.ctx.sequelize.query(
        'UPDATE ab_payment_methods SET usage_total_minor = :total WHERE id = :id',
        { replacements: { total: '8999999999999500', id: method.id } });
      await refusedUnchanged(await debit(method.id, '5.01'), 'payment-method-usage-full',
        method.id);
      assert.equal((await debit(method.id, '5.00')).status, 201);
    });

    it('keeps the method on the transactions after it is archived', async () => {
      const method = await added(owner, card());
      const posted = await debit(method.id, '2.00');
      await call(server, owner, 'DELETE', `/api/payment-methods/${method.id}`);
      const read = await call(server, owner, 'GET', `/api/transactions/${posted.body.id}`);
      assert.equal(read.body.paymentMethodId, method.id);
    });
  });

  describe('what is never kept or shown in the clear', () => {
    it('is in no table, no audit row and no log line', async () => {
      const text = await databaseText(server);
      assert.ok(text.includes('ab_payment_methods'), 'the dump covers the table');
      for (const secret of [cardNumber, '5555555555554444', iban, 'DE89 3704', holderName,
        'Grace Hopper', '000123456789']) {
        assert.ok(!text.includes(secret), `${secret} in the database`);
        assert.ok(!server.logLines.join('\n').includes(secret), `${secret} in the log`);
      }
    });

    it('registers details_token for key rotation, which re-encrypts it', async () => {
      assert.ok(encryptedColumns().some((column) => column.table === 'ab_payment_methods' &&
        column.column === 'details_token'));
      const newKey = parseFernetKey(generateFernetKey());
      const rotating = new Keyring([newKey, parseFernetKey(testSecretKey)], server.clock);
      const rotations = await rotateEncryptedColumns(server.ctx.sequelize, rotating,
        createLogger('silent'));
      const rotation = rotations.find((entry) => entry.table === 'ab_payment_methods');
      const rows = await server.ctx.sequelize.query<{ token: string | null }>(
        'SELECT details_token AS token FROM ab_payment_methods', { type: QueryTypes.SELECT });
      const tokens = rows.map((row) => row.token).filter((token) => token !== null);
      assert.ok(tokens.length >= 5);
      assert.equal(rotation?.reencrypted, tokens.length);
      const newOnly = new Keyring([newKey], server.clock);
      const opened = tokens.map((token) => JSON.parse(newOnly.decryptString(token)));
      assert.ok(opened.some((details) => details.number === cardNumber));
      assert.ok(opened.some((details) => details.iban === iban));
    });
  });
});

describe(`a payment method's monthly limit under simultaneous debits on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('lets exactly 5 of 20 debits of 10.00 from two wallets pass a limit of 50.00', async () => {
    const owner = await createTestUser(server.ctx);
    const wallets = [await openWalletDirect(server.ctx, owner),
      await openWalletDirect(server.ctx, owner)];
    for (const wallet of wallets) {
      await postTransaction(server.ctx, owner, { walletId: wallet.id, type: 'credit',
        amount: '1000.00' });
    }
    const method = await createPaymentMethod(server.ctx, owner, { kind: 'card',
      currency: 'EUR', number: cardNumber, expiryMonth: 1, expiryYear: 2030,
      monthlyLimit: '50.00' });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, index) =>
      postTransaction(server.ctx, owner, { walletId: wallets[index % 2]?.id ?? 0,
        type: 'debit', amount: '10.00', paymentMethodId: method.id })));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    for (const outcome of refused) {
      assert.equal((outcome.reason as { slug?: string }).slug,
        'payment-method-monthly-limit-exceeded', String(outcome.reason));
    }
    assert.equal(outcomes.length - refused.length, 5);
    const rows = await server.ctx.sequelize.query<{ usage_count: unknown; total: unknown }>(
      `SELECT usage_count, CAST(usage_total_minor AS TEXT) AS total FROM ab_payment_methods
       WHERE id = :id`, { replacements: { id: method.id }, type: QueryTypes.SELECT });
    assert.equal(Number(rows[0]?.usage_count), 5);
    assert.equal(String(rows[0]?.total), '5000');
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
  });
});
