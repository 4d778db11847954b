import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importPreviewSchema } from '../../../server/wallet/schemas.ts';
import {
  importBytesMax,
  importPreviewsPerUserMax,
  importPreviewTtlMs,
  importRowsMax,
} from '../../../server/wallet/transaction-import.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  storedBalanceMinor,
  walletRowCounts,
  type Answer,
  type Client,
} from './api-support.ts';

describe(`CSV import with a preview on ${testDialect}`, () => {
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

  const preview = (walletId: number, csv: string, client = owner, asText = true) =>
    call(server, client, 'POST', `/api/wallets/${walletId}/imports/preview`,
      asText ? csv : { csv }, asText ? { 'content-type': 'text/csv' } : {});
  const previewed = async (walletId: number, csv: string, asText = true) => {
    const answer = await preview(walletId, csv, owner, asText);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return importPreviewSchema.parse(answer.body);
  };
  const commit = (walletId: number, previewId: string, key = freshKey(), client = owner) =>
    call(server, client, 'POST', `/api/wallets/${walletId}/imports/${previewId}/commit`,
      undefined, key);
  const exported = async (walletId: number) => {
    const answer = await call(server, owner, 'GET', `/api/wallets/${walletId}/transactions.csv`);
    assert.equal(answer.status, 200);
    return answer.body as string;
  };
  const descriptions = async (walletId: number) => (await call(server, owner, 'GET',
    `/api/wallets/${walletId}/transactions?limit=100`)).body.items
    .map((item: { description: string | null }) => item.description);

  it('round-trips: export, preview (duplicates found), commit elsewhere, guard undone',
    async () => {
      const source = await openWallet(server, owner);
      const food = (await call(server, owner, 'GET', '/api/categories?limit=100')).body.items
        .find((category: { systemKey: string }) => category.systemKey === 'food').id;
      await post(server, owner, source.id, { type: 'credit', amount: '300.00',
        description: 'Salary', occurredAt: '2026-02-01T09:00:00Z' });
      await post(server, owner, source.id, { type: 'debit', amount: '12.30',
        description: '=1+1', counterparty: '@evil', categoryId: food, tags: ['x', 'y'],
        occurredAt: '2026-02-02T09:00:00Z' });
      const mistake = await post(server, owner, source.id, { type: 'debit', amount: '5.00',
        description: 'Oops, "twice"', occurredAt: '2026-02-03T09:00:00Z' });
      await call(server, owner, 'POST', `/api/transactions/${mistake.id}/reverse`);
      const csv = await exported(source.id);
      assert.ok(csv.includes("'=1+1"), 'the export guards the formula');
      const again = await previewed(source.id, csv);
      assert.deepEqual(again.counts, { total: 4, new: 0, duplicate: 4, invalid: 0 });
      const target = await openWallet(server, owner);
      const fresh = await previewed(target.id, csv, false);
      assert.deepEqual(fresh.counts, { total: 4, new: 4, duplicate: 0, invalid: 0 });
      const guarded = fresh.rows.find((row) => row.transaction?.description === '=1+1');
      assert.equal(guarded?.transaction?.counterparty, '@evil');
      assert.deepEqual(guarded?.transaction?.tags, ['x', 'y']);
      assert.equal(guarded?.transaction?.categoryId, food);
      const committed = await commit(target.id, fresh.id);
      assert.equal(committed.status, 201, JSON.stringify(committed.body));
      assert.equal(committed.body.postedCount, 4);
      assert.deepEqual(committed.body.balance, { amount: '287.70', currency: 'EUR' });
      assert.equal(await storedBalanceMinor(server, target.id),
        await storedBalanceMinor(server, source.id));
      assert.ok((await descriptions(target.id)).includes('=1+1'));
      const after = await previewed(target.id, await exported(target.id));
      assert.equal(after.counts.duplicate, 4);
      const read = await call(server, owner, 'GET',
        `/api/wallets/${target.id}/imports/${fresh.id}`);
      assert.ok(read.body.committedAt);
    });

  it('commits once: a replay answers the same, a second commit is refused', async () => {
    const wallet = await openWallet(server, owner);
    const file = await previewed(wallet.id, 'date,amount,memo\n2026-02-10,25.00,Gift\n');
    const key = freshKey();
    const first = await commit(wallet.id, file.id, key);
    const replay = await commit(wallet.id, file.id, key);
    assert.equal(first.status, 201);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.deepEqual(replay.body, first.body);
    assertProblem(await commit(wallet.id, file.id), 409, 'import-already-committed');
    assertProblem(await commit(wallet.id, file.id, {}), 400, 'validation');
    assert.equal(await storedBalanceMinor(server, wallet.id), 2500n);
    const racing = await previewed(wallet.id, 'date,amount,memo\n2026-02-10,5.00,Race\n');
    const statuses = (await Promise.all([commit(wallet.id, racing.id),
      commit(wallet.id, racing.id)])).map((answer) => answer.status);
    assert.deepEqual(statuses.sort(), [201, 409]);
    assert.equal(await storedBalanceMinor(server, wallet.id), 3000n);
  });

  it('never doubles: a second preview of the same file goes stale once one commits',
    async () => {
      const wallet = await openWallet(server, owner);
      const csv = 'date,amount,memo\n2026-02-11,10.00,Same\n2026-02-12,-4.00,Lunch\n';
      const one = await previewed(wallet.id, csv);
      const two = await previewed(wallet.id, csv);
      assert.equal((await commit(wallet.id, one.id)).status, 201);
      const counts = await walletRowCounts(server);
      const stale = await commit(wallet.id, two.id);
      assertProblem(stale, 409, 'import-preview-stale');
      assert.deepEqual(stale.body.lines, [2, 3]);
      assert.deepEqual(await walletRowCounts(server), counts);
      assert.equal(await storedBalanceMinor(server, wallet.id), 600n);
    });

  it('posts all rows or none, naming the line a rule refused', async () => {
    const wallet = await openWallet(server, owner);
    const file = await previewed(wallet.id, 'date,type,amount\n2026-02-13,credit,5.00\n' +
      '2026-02-14,debit,9.00\nnot a date,debit,1\n');
    assert.deepEqual(file.counts, { total: 3, new: 2, duplicate: 0, invalid: 1 });
    assert.match(file.rows[2]?.reasons[0] ?? '', /occurredAt/);
    const counts = await walletRowCounts(server);
    const refused = await commit(wallet.id, file.id);
    assertProblem(refused, 422, 'insufficient-funds');
    assert.equal(refused.body.line, 3);
    assert.deepEqual(await walletRowCounts(server), counts);
    await post(server, owner, wallet.id, { type: 'credit', amount: '10.00',
      occurredAt: '2026-01-10T00:00:00Z' });
    assert.equal((await commit(wallet.id, file.id)).status, 201);
    assert.equal(await storedBalanceMinor(server, wallet.id), 600n);
  });

  it('reads CSV as text/csv or in JSON, and refuses other bodies and bad files', async () => {
    const wallet = await openWallet(server, owner);
    assertProblem(await call(server, owner, 'POST', `/api/wallets/${wallet.id}/imports/preview`,
      'date,amount', { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
    assertProblem(await call(server, owner, 'POST', `/api/wallets/${wallet.id}/imports/preview`,
      { text: 'x' }), 400, 'validation');
    assert.equal((await preview(wallet.id, 'date,amount\n', owner, false)).status, 201);
    const malformed = await preview(wallet.id, 'date,amount\n"2026-02-01,1\n');
    assertProblem(malformed, 400, 'csv-malformed');
    assert.equal(malformed.body.line, 2);
    assertProblem(await preview(wallet.id, 'when,amount\n2026-02-01,1\n'), 400, 'csv-malformed');
  });

  it(`takes ${importRowsMax} rows and ${importBytesMax} bytes, and refuses more`, async () => {
    const wallet = await openWallet(server, owner);
    const header = 'date,amount\n';
    const full = await previewed(wallet.id, header + '2026-02-01,1\n'.repeat(importRowsMax));
    assert.equal(full.counts.total, importRowsMax);
    assertProblem(await preview(wallet.id, header + '2026-02-01,1\n'.repeat(importRowsMax + 1)),
      400, 'csv-malformed');
    const line = '2026-02-01,1\n#';
    const atLimit = header + line + 'x'.repeat(importBytesMax - header.length - line.length);
    assert.equal(Buffer.byteLength(atLimit), importBytesMax);
    assert.notEqual((await preview(wallet.id, atLimit)).status, 413);
    assertProblem(await preview(wallet.id, `${atLimit}x`), 413, 'import-too-large');
  });

  it('hides one user\'s wallets and previews from another', async () => {
    const wallet = await openWallet(server, owner);
    const theirs = await openWallet(server, stranger);
    const file = await previewed(wallet.id, 'date,amount\n2026-02-01,1\n');
    assertProblem(await preview(wallet.id, 'date,amount\n2026-02-01,1\n', stranger), 404,
      'not-found');
    assertProblem(await commit(wallet.id, file.id, freshKey(), stranger), 404, 'not-found');
    assertProblem(await commit(theirs.id, file.id, freshKey(), stranger), 404, 'not-found');
    const other = await openWallet(server, owner);
    assertProblem(await commit(other.id, file.id), 404, 'not-found');
    assertProblem(await call(server, stranger, 'GET',
      `/api/wallets/${theirs.id}/imports/${file.id}`), 404, 'not-found');
    assertProblem(await commit(wallet.id, 'not-a-preview-id'), 400, 'validation');
  });

  it('expires a preview after its lifetime', async () => {
    const wallet = await openWallet(server, owner);
    const file = await previewed(wallet.id, 'date,amount\n2026-02-01,1\n');
    assert.equal(Date.parse(file.expiresAt) - Date.parse(file.createdAt), importPreviewTtlMs);
    // Moving the clock past the lifetime would end the session too; age the preview instead.
    await server.ctx.sequelize.query(
      'UPDATE ab_wallet_import_previews SET created_at = :created, expires_at = :expired ' +
        'WHERE id = :id',
      { replacements: { id: file.id, created: new Date(Date.parse(file.createdAt) -
        importPreviewTtlMs), expired: new Date(Date.parse(file.createdAt) - 1) } });
    assertProblem(await commit(wallet.id, file.id), 410, 'import-preview-expired');
    assert.equal(await storedBalanceMinor(server, wallet.id), 0n);
  });

  it(`keeps at most ${importPreviewsPerUserMax} previews open per user`, async () => {
    const collector = await apiUser(server);
    const wallet = await openWallet(server, collector);
    const csv = 'date,amount\n2026-02-01,1\n';
    const answers: Answer[] = [];
    for (let index = 0; index < importPreviewsPerUserMax; index += 1) {
      answers.push(await preview(wallet.id, csv, collector));
    }
    assert.ok(answers.every((answer) => answer.status === 201));
    assertProblem(await preview(wallet.id, csv, collector), 422, 'import-preview-limit');
  });
});
