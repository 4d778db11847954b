import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCsv } from '../../../server/wallet/csv.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  csvExportColumns,
  csvExportRowsMax,
} from '../../../server/wallet/transaction-export.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { apiUser, assertProblem, call, openWallet, post, type Client } from './api-support.ts';

const csvLimits = { recordsMax: csvExportRowsMax + 2, fieldsMax: 20, fieldLengthMax: 1000 };

describe(`exporting transactions as CSV on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
  });
  after(async () => {
    assert.deepEqual((await verifyLedger(server.ctx)).problems, []);
    await server.close();
  });

  it('writes RFC 4180 CSV, newest first, with the search filters', async () => {
    const wallet = await openWallet(server, owner, { overdraftLimit: '100.00' });
    await post(server, owner, wallet.id, { type: 'credit', amount: '100.00',
      description: 'Pay, "March"', occurredAt: '2026-02-01T09:00:00Z', tags: ['a', 'b'] });
    await post(server, owner, wallet.id, { type: 'debit', amount: '150.00',
      description: 'Two\nlines', counterparty: 'Shop', occurredAt: '2026-02-02T09:00:00Z' });
    const answer = await call(server, owner, 'GET', `/api/wallets/${wallet.id}/transactions.csv`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(answer.headers.get('content-disposition'),
      `attachment; filename="wallet-${wallet.id}-transactions.csv"`);
    assert.equal(answer.headers.get('x-row-count'), '2');
    const text: string = answer.body;
    assert.ok(text.startsWith(`${csvExportColumns.join(',')}\r\n`));
    assert.ok(text.includes('"Pay, ""March"""'));
    assert.ok(text.includes('"Two\nlines"'));
    const [header, newest, oldest] = parseCsv(text, csvLimits);
    assert.deepEqual(header?.fields, [...csvExportColumns]);
    const cell = (row: typeof newest, column: string) =>
      row?.fields[csvExportColumns.indexOf(column as never)];
    assert.equal(cell(newest, 'amount'), '150.00');
    assert.equal(cell(newest, 'balanceAfter'), '-50.00');
    assert.equal(cell(oldest, 'tags'), 'a;b');
    assert.equal(cell(oldest, 'occurredAt'), '2026-02-01T09:00:00.000Z');
    const filtered = await call(server, owner, 'GET',
      `/api/wallets/${wallet.id}/transactions.csv?type=credit`);
    assert.equal(filtered.headers.get('x-row-count'), '1');
    assert.equal(parseCsv(filtered.body, csvLimits).length, 2);
  });

  it('guards cells that a spreadsheet would run as formulas', async () => {
    const wallet = await openWallet(server, owner);
    for (const description of ['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)']) {
      await post(server, owner, wallet.id, { type: 'credit', amount: '1.00', description,
        counterparty: '=cmd|calc' });
    }
    const text: string = (await call(server, owner, 'GET',
      `/api/wallets/${wallet.id}/transactions.csv`)).body;
    for (const record of parseCsv(text, csvLimits).slice(1)) {
      for (const field of record.fields) {
        assert.ok(!/^[=+@]/.test(field) && !/^-(?![0-9]+(\.[0-9]+)?$)/.test(field), field);
      }
    }
    assert.ok(text.includes('"\'=HYPERLINK(""http://evil"")"'));
    assert.ok(text.includes("'=cmd|calc"));
  });

  it('answers 404 for another user\'s wallet and 400 for bad filters', async () => {
    const wallet = await openWallet(server, owner);
    assertProblem(await call(server, stranger, 'GET',
      `/api/wallets/${wallet.id}/transactions.csv`), 404, 'not-found');
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${wallet.id}/transactions.csv?amountMin=1.234`), 400, 'validation');
  });

  it(`streams ${csvExportRowsMax} rows and refuses one more`, async () => {
    const wallet = await openWallet(server, owner);
    const { Wallet, WalletTransaction } = walletModels(server.ctx.sequelize);
    const rows = csvExportRowsMax + 1;
    const startMs = Date.parse('2026-01-01T00:00:00Z');
    const entries = Array.from({ length: rows }, (_, index) => ({
      walletId: wallet.id, sequence: index + 1, type: 'credit' as const,
      origin: 'manual' as const, amountMinor: 1n, currency: 'EUR',
      balanceAfterMinor: BigInt(index + 1), categoryId: null, paymentMethodId: null,
      description: `bulk ${index}`, counterparty: null, tags: [], metadata: {},
      occurredAt: new Date(startMs + index * 60_000), postedAt: server.clock.now(),
      reversalOfId: null, reversedById: null, transferId: null, counterWalletId: null,
      counterAmountMinor: null, counterCurrency: null, rate: null, rateDate: null,
      rateSource: null, riskScore: null, riskBand: null, importFingerprint: null }));
    for (let start = 0; start < rows; start += 2000) {
      await WalletTransaction.bulkCreate(entries.slice(start, start + 2000));
    }
    await Wallet.update({ balanceMinor: BigInt(rows), entryCount: rows },
      { where: { id: wallet.id } });
    const path = `/api/wallets/${wallet.id}/transactions.csv`;
    assertProblem(await call(server, owner, 'GET', path), 422, 'export-too-large');
    const answer = await call(server, owner, 'GET', `${path}?from=2026-01-01T00:01:00Z`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-row-count'), String(csvExportRowsMax));
    const records = parseCsv(answer.body, csvLimits);
    assert.equal(records.length, csvExportRowsMax + 1);
    const ids = new Set(records.slice(1).map((record) => record.fields[0]));
    assert.equal(ids.size, csvExportRowsMax, 'every row once');
    assert.equal(records[1]?.fields[5], `bulk ${rows - 1}`);
    assert.equal(records.at(-1)?.fields[5], 'bulk 1');
  });
});
