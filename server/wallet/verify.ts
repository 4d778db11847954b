/**
 * @module
 * Verification of the whole ledger: every balance recomputed from its entries, every
 * reversal link, every transfer pair and every audit chain rehashed. This backs
 * `npm run wallet:verify`, and the tests run it after the rules they prove.
 *
 * It reads one consistent snapshot (REPEATABLE READ on PostgreSQL, one read transaction on
 * SQLite), so postings that arrive meanwhile never show as differences. It reports; it never
 * repairs: a difference means a bug or tampering, and a person must look.
 *
 * What is checked, per wallet:
 *  - balance = sum(credits) - sum(debits), entry count and sequences 1..n without gaps;
 *  - each entry's balanceAfter is the running balance, and its currency is the wallet's;
 *  - balance >= -overdraftLimit.
 * Per reversal: both links point at each other; same amount, same wallet, opposite type.
 * Per transfer: two legs, one debit and one credit, each naming the other's wallet, amount
 * and currency, one frozen rate on both, and the converted amount reproducible from it.
 * Per audit chain: sequences 1..n, each prevHash the previous hash, each hash recomputed,
 * and the chain head at the last row.
 */
import assert from 'node:assert/strict';
import { Op, QueryTypes, Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { auditGenesisHash, auditHash, userAuditChain } from './audits.ts';
import { countFromColumn, minorFromColumn } from './column-values.ts';
import { parseRate } from './decimal-rate.ts';
import { walletModels, type WalletAttributes, type WalletTransactionAttributes } from './models.ts';
import { convertMinor } from './money.ts';

/** Rows read per query while walking a table. */
export const verifyPageRowsMax = 1000;

/** Most differences reported; past it the report says `truncated`. */
export const verifyProblemsMax = 1000;

/** Most users one scoped verification may name. */
export const verifyScopeUsersMax = 1000;

/** What kind of difference was found. */
export type LedgerProblemKind =
  | 'balance-mismatch'
  | 'entry-count-mismatch'
  | 'sequence-gap'
  | 'running-balance-mismatch'
  | 'currency-mismatch'
  | 'below-overdraft-limit'
  | 'reversal-link-broken'
  | 'transfer-unbalanced'
  | 'audit-sequence-gap'
  | 'audit-prev-hash-mismatch'
  | 'audit-hash-mismatch'
  | 'audit-head-mismatch';

/** One difference, with where it is. */
export interface LedgerProblem {
  kind: LedgerProblemKind;
  detail: string;
  walletId?: number;
  transactionId?: number;
  transferId?: string;
  chain?: string;
  auditId?: number;
}

/** What a verification found. */
export interface LedgerReport {
  ok: boolean;
  walletsChecked: number;
  entriesChecked: number;
  transfersChecked: number;
  chainsChecked: number;
  auditsChecked: number;
  problems: LedgerProblem[];
  /** True when more than {@link verifyProblemsMax} differences exist. */
  truncated: boolean;
}

/** Which part of the ledger to verify; by default all of it. */
export interface VerifyScope {
  /** Only these users' wallets, transfers and audit chains (not the system chain). */
  userIds?: readonly number[];
}

interface Walk {
  ctx: AppContext;
  snapshot: Transaction;
  userIds: readonly number[] | null;
  report: LedgerReport;
}

/**
 * Verifies the ledger, or the part of it `scope` names.
 *
 * @returns the report; `ok` is true when no difference was found.
 * @example
 * const report = await verifyLedger(ctx);
 * if (!report.ok) console.error(report.problems);
 */
export async function verifyLedger(
  ctx: AppContext,
  scope: VerifyScope = {},
): Promise<LedgerReport> {
  const userIds = scope.userIds ?? null;
  assert(userIds === null || userIds.length <= verifyScopeUsersMax, 'too many users to verify');
  assert(userIds === null || userIds.every((id) => Number.isSafeInteger(id) && id > 0),
    'user ids are positive integers');
  const report: LedgerReport = { ok: true, walletsChecked: 0, entriesChecked: 0,
    transfersChecked: 0, chainsChecked: 0, auditsChecked: 0, problems: [], truncated: false };
  const isolation = ctx.sequelize.getDialect() === 'postgres'
    ? { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ }
    : { type: Transaction.TYPES.DEFERRED };
  await ctx.sequelize.transaction(isolation, async (snapshot) => {
    const walk: Walk = { ctx, snapshot, userIds, report };
    await verifyWallets(walk);
    await verifyReversalLinks(walk);
    await verifyTransfers(walk);
    await verifyAuditChains(walk);
  });
  report.ok = report.problems.length === 0 && !report.truncated;
  return report;
}

function record(report: LedgerReport, problem: LedgerProblem): void {
  if (report.problems.length < verifyProblemsMax) report.problems.push(problem);
  else report.truncated = true;
}

async function verifyWallets(walk: Walk): Promise<void> {
  const { Wallet } = walletModels(walk.ctx.sequelize);
  const where = walk.userIds ? { userId: { [Op.in]: [...walk.userIds] } } : {};
  const walletsTotal = await Wallet.count({ where, transaction: walk.snapshot });
  let afterId = 0;
  for (let page = 0; page <= Math.ceil(walletsTotal / verifyPageRowsMax); page += 1) {
    const wallets = await Wallet.findAll({
      where: { ...where, id: { [Op.gt]: afterId } },
      order: [['id', 'ASC']], limit: verifyPageRowsMax, transaction: walk.snapshot,
    });
    for (const wallet of wallets) await verifyWallet(walk, wallet.get({ plain: true }));
    const last = wallets.at(-1);
    if (!last) break;
    afterId = last.id;
  }
  assert(walk.report.walletsChecked === walletsTotal, 'every wallet in the snapshot was walked');
}

async function verifyWallet(walk: Walk, wallet: WalletAttributes): Promise<void> {
  const { report } = walk;
  report.walletsChecked += 1;
  const [sums] = await walk.ctx.sequelize.query<Record<string, unknown>>(
    `SELECT CAST(COALESCE(SUM(CASE WHEN type = 'credit' THEN amount_minor
              ELSE -amount_minor END), 0) AS TEXT) AS net_minor,
            COUNT(*) AS entries, COALESCE(MAX(sequence), 0) AS sequence_max
     FROM ab_wallet_transactions WHERE wallet_id = :walletId`,
    { replacements: { walletId: wallet.id }, type: QueryTypes.SELECT, transaction: walk.snapshot },
  );
  assert(sums, 'an aggregate returns one row');
  const netMinor = minorFromColumn(sums.net_minor);
  const entries = countFromColumn(sums.entries);
  const at = { walletId: wallet.id };
  if (netMinor !== wallet.balanceMinor) {
    record(report, { kind: 'balance-mismatch', ...at,
      detail: `balance ${wallet.balanceMinor} but entries sum to ${netMinor}` });
  }
  if (entries !== wallet.entryCount || countFromColumn(sums.sequence_max) !== entries) {
    record(report, { kind: 'entry-count-mismatch', ...at,
      detail: `entryCount ${wallet.entryCount}, ${entries} entries, ` +
        `last sequence ${String(sums.sequence_max)}` });
  }
  if (wallet.balanceMinor < -wallet.overdraftLimitMinor) {
    record(report, { kind: 'below-overdraft-limit', ...at,
      detail: `balance ${wallet.balanceMinor} below -${wallet.overdraftLimitMinor}` });
  }
  await walkEntries(walk, wallet, entries);
}

/** Replays the wallet's entries in sequence order and checks each running balance. */
async function walkEntries(walk: Walk, wallet: WalletAttributes, entries: number): Promise<void> {
  const { WalletTransaction } = walletModels(walk.ctx.sequelize);
  let runningMinor = 0n;
  let sequence = 0;
  for (let page = 0; page <= Math.ceil(entries / verifyPageRowsMax); page += 1) {
    const rows = await WalletTransaction.findAll({
      where: { walletId: wallet.id, sequence: { [Op.gt]: sequence } },
      order: [['sequence', 'ASC']], limit: verifyPageRowsMax, transaction: walk.snapshot,
    });
    for (const row of rows) {
      const entry = row.get({ plain: true });
      walk.report.entriesChecked += 1;
      runningMinor += entry.type === 'credit' ? entry.amountMinor : -entry.amountMinor;
      checkEntry(walk.report, wallet, entry, sequence, runningMinor);
      sequence = entry.sequence;
    }
    if (rows.length < verifyPageRowsMax) break;
  }
}

function checkEntry(
  report: LedgerReport,
  wallet: WalletAttributes,
  entry: WalletTransactionAttributes,
  previousSequence: number,
  runningMinor: bigint,
): void {
  const at = { walletId: wallet.id, transactionId: entry.id };
  if (entry.sequence !== previousSequence + 1) {
    record(report, { kind: 'sequence-gap', ...at,
      detail: `sequence ${entry.sequence} follows ${previousSequence}` });
  }
  if (entry.balanceAfterMinor !== runningMinor) {
    record(report, { kind: 'running-balance-mismatch', ...at,
      detail: `balanceAfter ${entry.balanceAfterMinor}, running balance ${runningMinor}` });
  }
  if (entry.currency !== wallet.currency) {
    record(report, { kind: 'currency-mismatch', ...at,
      detail: `entry in ${entry.currency}, wallet in ${wallet.currency}` });
  }
}

async function verifyReversalLinks(walk: Walk): Promise<void> {
  const scope = walk.userIds
    ? 'AND x.wallet_id IN (SELECT id FROM ab_user_wallets WHERE user_id IN (:userIds))'
    : '';
  const queries = [
    // A reversal whose original does not point back, or does not mirror it.
    `SELECT x.id AS id FROM ab_wallet_transactions x
     LEFT JOIN ab_wallet_transactions o ON o.id = x.reversal_of_id
     WHERE x.reversal_of_id IS NOT NULL ${scope} AND (o.id IS NULL OR o.reversed_by_id IS NULL
       OR o.reversed_by_id <> x.id OR o.amount_minor <> x.amount_minor OR o.type = x.type
       OR o.wallet_id <> x.wallet_id)
     ORDER BY x.id LIMIT :limit`,
    // An original whose reversal does not point back.
    `SELECT x.id AS id FROM ab_wallet_transactions x
     LEFT JOIN ab_wallet_transactions r ON r.id = x.reversed_by_id
     WHERE x.reversed_by_id IS NOT NULL ${scope}
       AND (r.id IS NULL OR r.reversal_of_id IS NULL OR r.reversal_of_id <> x.id)
     ORDER BY x.id LIMIT :limit`,
  ];
  for (const sql of queries) {
    const rows = await walk.ctx.sequelize.query<{ id: unknown }>(sql, {
      replacements: { userIds: walk.userIds ?? [], limit: verifyProblemsMax },
      type: QueryTypes.SELECT, transaction: walk.snapshot,
    });
    for (const row of rows) {
      record(walk.report, { kind: 'reversal-link-broken', transactionId: countFromColumn(row.id),
        detail: 'the reversal and its original do not point at each other, or do not mirror' });
    }
  }
}

async function verifyTransfers(walk: Walk): Promise<void> {
  const { WalletTransaction } = walletModels(walk.ctx.sequelize);
  const scope = walk.userIds
    ? 'AND wallet_id IN (SELECT id FROM ab_user_wallets WHERE user_id IN (:userIds))'
    : '';
  const [counted] = await walk.ctx.sequelize.query<{ transfers: unknown }>(
    `SELECT COUNT(DISTINCT transfer_id) AS transfers FROM ab_wallet_transactions
     WHERE transfer_id IS NOT NULL ${scope}`,
    { replacements: { userIds: walk.userIds ?? [] }, type: QueryTypes.SELECT,
      transaction: walk.snapshot },
  );
  const transfersTotal = countFromColumn(counted?.transfers ?? 0);
  let afterId = '';
  for (let page = 0; page <= Math.ceil(transfersTotal / verifyPageRowsMax); page += 1) {
    const ids = await walk.ctx.sequelize.query<{ transfer_id: string }>(
      `SELECT DISTINCT transfer_id FROM ab_wallet_transactions
       WHERE transfer_id IS NOT NULL AND transfer_id > :afterId ${scope}
       ORDER BY transfer_id LIMIT :limit`,
      { replacements: { afterId, userIds: walk.userIds ?? [], limit: verifyPageRowsMax },
        type: QueryTypes.SELECT, transaction: walk.snapshot },
    );
    if (ids.length === 0) break;
    const legs = await WalletTransaction.findAll({
      where: { transferId: { [Op.in]: ids.map((row) => row.transfer_id) } },
      order: [['transferId', 'ASC'], ['id', 'ASC']], transaction: walk.snapshot,
    });
    const byTransfer = new Map<string, WalletTransactionAttributes[]>();
    for (const leg of legs) {
      const entry = leg.get({ plain: true });
      assert(entry.transferId !== null, 'a transfer leg has its transfer id');
      byTransfer.set(entry.transferId, [...(byTransfer.get(entry.transferId) ?? []), entry]);
    }
    for (const [transferId, pair] of byTransfer) checkTransfer(walk.report, transferId, pair);
    afterId = ids.at(-1)?.transfer_id ?? afterId;
  }
}

function checkTransfer(
  report: LedgerReport,
  transferId: string,
  pair: WalletTransactionAttributes[],
): void {
  report.transfersChecked += 1;
  const unbalanced = (detail: string) =>
    record(report, { kind: 'transfer-unbalanced', transferId, detail });
  const debit = pair.find((leg) => leg.type === 'debit');
  const credit = pair.find((leg) => leg.type === 'credit');
  if (pair.length !== 2 || !debit || !credit) return unbalanced(`${pair.length} legs, not a pair`);
  const mirrored = debit.counterWalletId === credit.walletId &&
    credit.counterWalletId === debit.walletId &&
    debit.counterAmountMinor === credit.amountMinor &&
    credit.counterAmountMinor === debit.amountMinor &&
    debit.counterCurrency === credit.currency && credit.counterCurrency === debit.currency &&
    debit.rate === credit.rate && debit.rateDate === credit.rateDate &&
    debit.origin === credit.origin;
  if (!mirrored) return unbalanced('the legs do not name each other alike');
  if (debit.currency === credit.currency) {
    if (debit.amountMinor !== credit.amountMinor) unbalanced('amounts differ in one currency');
    return;
  }
  if (debit.rate === null) return unbalanced('a conversion without a rate');
  // A transfer converts its debit; the reversal of one converts its credit (the money back).
  const [from, to] = debit.origin === 'reversal' ? [credit, debit] : [debit, credit];
  const rate = parseRate(debit.rate);
  const expectedMinor = convertMinor(from.amountMinor, from.currency, to.currency, rate);
  if (expectedMinor !== to.amountMinor) {
    unbalanced(`${from.amountMinor} ${from.currency} at ${debit.rate} is ${expectedMinor}, ` +
      `not ${to.amountMinor} ${to.currency}`);
  }
}

async function verifyAuditChains(walk: Walk): Promise<void> {
  const { AuditChain } = walletModels(walk.ctx.sequelize);
  const chains = walk.userIds
    ? walk.userIds.map((userId) => userAuditChain(userId))
    : await distinctChains(walk);
  for (const chain of chains) {
    const head = await AuditChain.findByPk(chain, { transaction: walk.snapshot });
    await verifyAuditChain(walk, chain, head ? { sequenceLast: head.sequenceLast,
      hashLast: head.hashLast } : { sequenceLast: 0, hashLast: auditGenesisHash });
  }
}

async function distinctChains(walk: Walk): Promise<string[]> {
  const rows = await walk.ctx.sequelize.query<{ chain: string }>(
    `SELECT chain FROM ab_wallet_audit_chains UNION SELECT DISTINCT chain FROM ab_wallet_audits`,
    { type: QueryTypes.SELECT, transaction: walk.snapshot },
  );
  return rows.map((row) => row.chain).sort();
}

async function verifyAuditChain(
  walk: Walk,
  chain: string,
  head: { sequenceLast: number; hashLast: string },
): Promise<void> {
  const { Audit } = walletModels(walk.ctx.sequelize);
  const { report } = walk;
  report.chainsChecked += 1;
  const rowsTotal = await Audit.count({ where: { chain }, transaction: walk.snapshot });
  let sequence = 0;
  let hash = auditGenesisHash;
  for (let page = 0; page <= Math.ceil(rowsTotal / verifyPageRowsMax); page += 1) {
    const rows = await Audit.findAll({
      where: { chain, sequence: { [Op.gt]: sequence } },
      order: [['sequence', 'ASC']], limit: verifyPageRowsMax, transaction: walk.snapshot,
    });
    for (const row of rows) {
      const { id, hash: storedHash, ...fields } = row.get({ plain: true });
      report.auditsChecked += 1;
      const at = { chain, auditId: id };
      if (fields.sequence !== sequence + 1) {
        record(report, { kind: 'audit-sequence-gap', ...at,
          detail: `sequence ${fields.sequence} follows ${sequence}` });
      }
      if (fields.prevHash !== hash) {
        record(report, { kind: 'audit-prev-hash-mismatch', ...at,
          detail: 'prevHash is not the previous row\'s hash' });
      }
      if (auditHash(fields) !== storedHash) {
        record(report, { kind: 'audit-hash-mismatch', ...at,
          detail: 'the row does not hash to its stored hash: it was changed' });
      }
      sequence = fields.sequence;
      hash = storedHash;
    }
    if (rows.length < verifyPageRowsMax) break;
  }
  if (head.sequenceLast !== sequence || head.hashLast !== hash) {
    record(report, { kind: 'audit-head-mismatch', chain,
      detail: `head at ${head.sequenceLast}, last row at ${sequence}` });
  }
}
