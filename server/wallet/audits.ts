/**
 * @module
 * The wallet audit trail: every change, chained by hashes so that an edited, removed or
 * inserted row shows.
 *
 * Each user's changes form one chain (`user:<id>`); changes that belong to nobody (exchange
 * rates) form the chain `system`. A row's hash is the SHA-256 of its canonical fields and the
 * previous row's hash, so changing any row breaks every later link. `verify.ts` recomputes
 * every chain.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/audits.test.ts.
 *  1. A chain's rows have sequences 1, 2, 3, ... without gaps; row n's `prevHash` is row
 *     n-1's `hash`, and row 1's is {@link auditGenesisHash}.
 *  2. `hash = auditHash(row)` for every row.
 *  3. The chain head (`ab_wallet_audit_chains`) names the last row's sequence and hash.
 *  4. An audit row is written in the database transaction of the change it records, with the
 *     chain head locked, so concurrent changes queue instead of forking the chain; the unique
 *     (chain, sequence) index refuses a fork even if a lock were missed.
 *  5. Audit rows are never updated or deleted.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import type { Actor } from './actor.ts';
import { canonicalJson } from './canonical-json.ts';
import { walletModels, type AuditAttributes, type JsonValue } from './models.ts';

/** The `prevHash` of a chain's first row. */
export const auditGenesisHash = '0'.repeat(64);

/** The chain of changes that belong to no user (exchange rates). */
export const systemAuditChain = 'system';

/** Longest IP address kept; longer values are cut (the column's width). */
export const auditIpLengthMax = 64;

/** Longest user agent kept; longer values are cut (the column's width). */
export const auditUserAgentLengthMax = 512;

/** Longest before or after state, as canonical JSON; the services build them small. */
export const auditStateLengthMax = 16_384;

/** What a change records. */
export interface AuditEntry {
  /** Whose data changed; null for system data. Picks the chain. */
  ownerUserId: number | null;
  /** Who changed it; null for the server itself (the bundled rates at first start). */
  actor: Actor | null;
  /** What happened, `noun.verb`: `transaction.posted`, `wallet.limits-changed`. */
  action: string;
  entityType: string;
  entityId: string | number;
  before: JsonValue | null;
  after: JsonValue | null;
}

/** The fields a row's hash covers: everything but its id and the hash itself. */
export type AuditHashFields = Omit<AuditAttributes, 'id' | 'hash'>;

/** The chain a user's changes go to. */
export function userAuditChain(userId: number): string {
  assert(Number.isSafeInteger(userId), 'a user id is an integer');
  assert(userId > 0, 'a user id is positive');
  return `user:${userId}`;
}

/**
 * The hash of an audit row: SHA-256 over its fields as canonical JSON, in hex.
 *
 * @example
 * auditHash({ ...fields, prevHash: auditGenesisHash });
 */
export function auditHash(fields: AuditHashFields): string {
  const material = canonicalJson([
    fields.chain,
    fields.sequence,
    fields.ownerUserId,
    fields.actorUserId,
    fields.action,
    fields.entityType,
    fields.entityId,
    fields.beforeState,
    fields.afterState,
    fields.ip,
    fields.userAgent,
    fields.createdAt.toISOString(),
    fields.prevHash,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Appends one row to the owner's chain, inside the caller's database transaction.
 *
 * @param ctx - the context; its clock stamps the row.
 * @param databaseTransaction - the transaction of the change being recorded.
 * @param entry - what changed and who changed it.
 * @returns the stored row.
 */
export async function appendAudit(
  ctx: AppContext,
  databaseTransaction: Transaction,
  entry: AuditEntry,
): Promise<AuditAttributes> {
  const { Audit, AuditChain } = walletModels(ctx.sequelize);
  const chain = entry.ownerUserId === null ? systemAuditChain : userAuditChain(entry.ownerUserId);
  const head = await lockAuditChain(ctx, databaseTransaction, chain);
  const fields: AuditHashFields = {
    chain,
    sequence: head.sequenceLast + 1,
    ownerUserId: entry.ownerUserId,
    actorUserId: entry.actor?.userId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: String(entry.entityId),
    beforeState: stateText(entry.before),
    afterState: stateText(entry.after),
    ip: entry.actor?.ip?.slice(0, auditIpLengthMax) ?? null,
    userAgent: entry.actor?.userAgent?.slice(0, auditUserAgentLengthMax) ?? null,
    createdAt: ctx.clock.now(),
    prevHash: head.hashLast,
  };
  const hash = auditHash(fields);
  const row = await Audit.create({ ...fields, hash }, { transaction: databaseTransaction });
  const [moved] = await AuditChain.update(
    { sequenceLast: fields.sequence, hashLast: hash, updatedAt: fields.createdAt },
    { where: { chain, sequenceLast: head.sequenceLast }, transaction: databaseTransaction },
  );
  assert.equal(moved, 1, 'the audit chain head moved while it was locked');
  const stored = row.get({ plain: true });
  assert.equal(stored.sequence, head.sequenceLast + 1);
  assert.equal(stored.prevHash, head.hashLast);
  return stored;
}

/**
 * Locks the head of `chain` for the rest of the database transaction, creating it on first
 * use. Call it before the first write when a check must see the chain's latest state (e.g.
 * counting a user's wallets); `appendAudit` locks it again, which is harmless.
 */
export async function lockAuditChain(
  ctx: AppContext,
  databaseTransaction: Transaction,
  chain: string,
): Promise<{ sequenceLast: number; hashLast: string }> {
  const { AuditChain } = walletModels(ctx.sequelize);
  const lock = { transaction: databaseTransaction, lock: databaseTransaction.LOCK.UPDATE };
  let head = await AuditChain.findByPk(chain, lock);
  if (!head) {
    // Several processes may start a chain at once; the primary key lets one insert win.
    await AuditChain.bulkCreate(
      [{ chain, sequenceLast: 0, hashLast: auditGenesisHash, updatedAt: ctx.clock.now() }],
      { ignoreDuplicates: true, transaction: databaseTransaction },
    );
    head = await AuditChain.findByPk(chain, lock);
  }
  assert(head, 'an audit chain head exists after it was inserted');
  assert(head.sequenceLast >= 0, 'a chain head sequence is not negative');
  assert.equal(head.hashLast.length, 64);
  return { sequenceLast: head.sequenceLast, hashLast: head.hashLast };
}

function stateText(state: JsonValue | null): string | null {
  if (state === null) return null;
  const text = canonicalJson(state);
  assert(text.length <= auditStateLengthMax, 'an audit state is larger than its limit');
  return text;
}
