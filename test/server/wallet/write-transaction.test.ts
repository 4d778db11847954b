import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { writeTransaction } from '../../../server/wallet/write-transaction.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { rejectsWithProblem } from './support.ts';

describe(`the write transaction on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('commits what the work wrote, and rolls all of it back when the work throws', async () => {
    const insert = (key: string) => writeTransaction(server.ctx, async (t) => {
      await server.ctx.sequelize.query(`INSERT INTO ab_rate_limit (key, failures, window_started_at)
        VALUES (:key, 0, :now)`, { replacements: { key, now: new Date() }, transaction: t });
      if (key === 'fails') throw new Error('after the write');
    });
    await insert('kept');
    await assert.rejects(insert('fails'), /after the write/);
    const rows = await server.ctx.sequelize.query<{ key: string }>(
      "SELECT key FROM ab_rate_limit WHERE key IN ('kept', 'fails')", { type: QueryTypes.SELECT });
    assert.deepEqual(rows.map((row) => row.key), ['kept']);
  });

  it('joins a database transaction the caller holds', async () => {
    await server.ctx.sequelize.transaction(async (outer) => {
      const inner = await writeTransaction(server.ctx, async (t) => t, outer);
      assert.equal(inner, outer);
    });
  });

  it('answers 503 database-busy with Retry-After when SQLite stays locked', async () => {
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'),
      { code: 'SQLITE_BUSY' });
    const problem = await rejectsWithProblem(writeTransaction(server.ctx, async () => {
      throw busy;
    }), 503, 'database-busy');
    assert.equal(problem.headers['Retry-After'], '1');
  });
});
