import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import {
  appendAudit,
  auditGenesisHash,
  auditHash,
  auditIpLengthMax,
  auditStateLengthMax,
  auditUserAgentLengthMax,
  userAuditChain,
  type AuditEntry,
} from '../../../server/wallet/audits.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { writeTransaction } from '../../../server/wallet/write-transaction.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser } from './support.ts';

describe(`the audit trail on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const entry = (actor: Actor, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
    ownerUserId: actor.userId, actor, action: 'test.noted', entityType: 'test', entityId: 1,
    before: null, after: { note: 'x' }, ...overrides,
  });
  const append = (value: AuditEntry) =>
    writeTransaction(server.ctx, (t) => appendAudit(server.ctx, t, value));

  it('chains each row to the previous one, from the genesis hash', async () => {
    const actor = await createTestUser(server.ctx);
    const first = await append(entry(actor));
    const second = await append(entry(actor, { before: { note: 'x' }, after: { note: 'y' } }));
    assert.equal(first.chain, userAuditChain(actor.userId));
    assert.deepEqual([first.sequence, second.sequence], [1, 2]);
    assert.equal(first.prevHash, auditGenesisHash);
    assert.equal(second.prevHash, first.hash);
    const { id: _id, hash, ...fields } = second;
    assert.equal(auditHash(fields), hash);
    assert.equal(second.beforeState, '{"note":"x"}');
    const { AuditChain } = walletModels(server.ctx.sequelize);
    const head = await AuditChain.findByPk(first.chain);
    assert.deepEqual([head?.sequenceLast, head?.hashLast], [2, second.hash]);
  });

  it('queues simultaneous changes of one user instead of forking the chain', async () => {
    const actor = await createTestUser(server.ctx);
    const rows = await Promise.all(Array.from({ length: 20 }, (_, index) =>
      append(entry(actor, { entityId: index }))));
    const bySequence = [...rows].sort((first, second) => first.sequence - second.sequence);
    assert.deepEqual(bySequence.map((row) => row.sequence),
      Array.from({ length: 20 }, (_, index) => index + 1));
    for (let index = 1; index < bySequence.length; index += 1) {
      assert.equal(bySequence[index]?.prevHash, bySequence[index - 1]?.hash);
    }
  });

  it('hashes every field: changing any one changes the hash', async () => {
    const actor = await createTestUser(server.ctx);
    const { id: _id, hash, ...fields } = await append(entry(actor));
    const changes = [{ action: 'test.other' }, { afterState: '{"note":"z"}' }, { ip: '10.0.0.1' },
      { createdAt: new Date(fields.createdAt.getTime() + 1) }, { actorUserId: null },
      { prevHash: 'f'.repeat(64) }, { sequence: fields.sequence + 1 }, { entityId: '2' }];
    for (const change of changes) assert.notEqual(auditHash({ ...fields, ...change }), hash);
  });

  it(`keeps an IP of ${auditIpLengthMax} and a user agent of ${auditUserAgentLengthMax} ` +
    'characters, and cuts longer ones', async () => {
    const actor = await createTestUser(server.ctx);
    const at = await append(entry({ ...actor, ip: 'i'.repeat(auditIpLengthMax),
      userAgent: 'u'.repeat(auditUserAgentLengthMax) }));
    assert.equal(at.ip?.length, auditIpLengthMax);
    assert.equal(at.userAgent?.length, auditUserAgentLengthMax);
    const past = await append(entry({ ...actor, ip: 'i'.repeat(auditIpLengthMax + 1),
      userAgent: 'u'.repeat(auditUserAgentLengthMax + 1) }));
    assert.equal(past.ip?.length, auditIpLengthMax);
    assert.equal(past.userAgent?.length, auditUserAgentLengthMax);
  });

  it(`stores a state of ${auditStateLengthMax} characters and asserts on more`, async () => {
    const actor = await createTestUser(server.ctx);
    const wrapper = '{"note":""}'.length;
    const atLimit = await append(entry(actor,
      { after: { note: 'n'.repeat(auditStateLengthMax - wrapper) } }));
    assert.equal(atLimit.afterState?.length, auditStateLengthMax);
    await assert.rejects(append(entry(actor,
      { after: { note: 'n'.repeat(auditStateLengthMax - wrapper + 1) } })), assert.AssertionError);
    const { AuditChain } = walletModels(server.ctx.sequelize);
    const head = await AuditChain.findByPk(userAuditChain(actor.userId));
    assert.equal(head?.sequenceLast, 1, 'the refused row left the chain alone');
  });

  it('chains changes that belong to nobody in the system chain', async () => {
    const row = await append({ ownerUserId: null, actor: null, action: 'rates.loaded',
      entityType: 'exchange-rate', entityId: 'x', before: null, after: null });
    assert.equal(row.chain, 'system');
    assert.equal(row.actorUserId, null);
  });
});
