/**
 * @module
 * CSV import in two steps: a preview that says, row by row, what would be posted, and a
 * commit that posts exactly the previewed new rows.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/import-routes.test.ts.
 *  1. A preview changes no money: it reads the file (import-rows.ts), marks duplicates against
 *     the wallet's entries, and stores the verdicts in `ab_wallet_import_previews` (so any
 *     server process can commit it) for {@link importPreviewTtlMs}.
 *  2. A commit posts the preview's `new` rows, all or none, in one database transaction with
 *     the wallet locked, oldest first (so a wallet's export replays its balances in order);
 *     each is an ordinary posting (origin `import`), so every ledger rule and limit applies,
 *     and the first refusal undoes the whole commit (naming its line).
 *  3. A preview is committed at most once (409 `import-already-committed`); the commit runs
 *     under an `Idempotency-Key`, so a retry gets the first answer.
 *  4. Never doubled: under the lock, the duplicates are marked again; if the wallet gained a
 *     matching entry since the preview (another import, a posting), the commit is refused
 *     (409 `import-preview-stale`) and nothing is posted. Preview again to see the new state.
 *  5. Limits: {@link importBytesMax} bytes and {@link importRowsMax} rows per file,
 *     {@link importPreviewsPerUserMax} open previews per user.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  DataTypes,
  Op,
  QueryTypes,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import {
  duplicateKey,
  importBytesMax,
  importRowsMax,
  markDuplicates,
  readImportRows,
  type ImportedRow,
} from './import-rows.ts';
import { postTransactionMinor } from './ledger.ts';
import { walletModels, type WalletAttributes } from './models.ts';
import { getWallet, lockOwnedWallets } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

export { importBytesMax, importRowsMax };

/** How long a preview may be committed. */
export const importPreviewTtlMs = 60 * 60 * 1000;

/** Most open (not expired, not committed) previews one user may hold. */
export const importPreviewsPerUserMax = 20;

/** Most existing entries compared with one file; a wider file is refused (split it). */
export const importComparedEntriesMax = 100_000;

/** Most expired previews deleted when a new one is stored. */
export const importPurgeRowsMax = 100;

/** A row of `ab_wallet_import_previews`. */
interface ImportPreviewAttributes {
  id: string;
  userId: number;
  walletId: number;
  rowsJson: string;
  rowCount: number;
  newCount: number;
  createdAt: Date;
  expiresAt: Date;
  committedAt: Date | null;
}

type PreviewRow = Model<ImportPreviewAttributes, ImportPreviewAttributes> &
  ImportPreviewAttributes;

/** A preview as the service hands it out. */
export interface ImportPreview {
  id: string;
  wallet: WalletAttributes;
  createdAt: Date;
  expiresAt: Date;
  committedAt: Date | null;
  rows: ImportedRow[];
}

/** What a commit posted. */
export interface ImportCommit {
  previewId: string;
  wallet: WalletAttributes;
  transactionIds: number[];
}

/**
 * Reads a CSV for one of the actor's wallets and stores what a commit would post.
 *
 * @throws ProblemError 404 (wallet), 413 `import-too-large`, 400 `csv-malformed`, 422
 *   `import-range-too-wide`, `import-preview-limit`.
 */
export async function previewImport(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  csvText: string,
): Promise<ImportPreview> {
  const bytes = Buffer.byteLength(csvText, 'utf8');
  if (bytes > importBytesMax) {
    throw new ProblemError(413, 'import-too-large', 'Import too large.',
      `The file has ${bytes} bytes; an import reads at most ${importBytesMax}. Split it.`);
  }
  const wallet = await getWallet(ctx, actor, walletId);
  const { Category } = walletModels(ctx.sequelize);
  const categories = await Category.findAll({ attributes: ['id', 'name'],
    where: { [Op.or]: [{ userId: null }, { userId: actor.userId }], archivedAt: null } });
  const now = ctx.clock.now();
  const rows = readImportRows(csvText, { currency: wallet.currency, now,
    categories: categories.map((category) => ({ id: category.id, name: category.name })) });
  markDuplicates(rows, await existingKeys(ctx, wallet.id, rows, undefined));
  const Preview = importPreviewModel(ctx.sequelize);
  const stored = await writeTransaction(ctx, async (transaction) => {
    await purgeExpiredPreviews(ctx, transaction);
    const open = await Preview.count({ transaction,
      where: { userId: actor.userId, committedAt: null, expiresAt: { [Op.gt]: now } } });
    if (open >= importPreviewsPerUserMax) {
      throw new ProblemError(422, 'import-preview-limit', 'Too many open previews.',
        `At most ${importPreviewsPerUserMax} previews may be open; commit one or wait ` +
          `${importPreviewTtlMs / 60_000} minutes for them to expire.`);
    }
    return Preview.create({ id: randomUUID(), userId: actor.userId, walletId: wallet.id,
      rowsJson: JSON.stringify(rows.map(storedRow)), rowCount: rows.length,
      newCount: rows.filter((row) => row.status === 'new').length, createdAt: now,
      expiresAt: new Date(now.getTime() + importPreviewTtlMs), committedAt: null },
    { transaction });
  });
  return { id: stored.id, wallet, createdAt: stored.createdAt, expiresAt: stored.expiresAt,
    committedAt: null, rows };
}

/**
 * One of the actor's previews for one of their wallets, as it was stored.
 *
 * @throws ProblemError 404 for another user's, another wallet's or an unknown preview.
 */
export async function getImportPreview(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  previewId: string,
): Promise<ImportPreview> {
  const wallet = await getWallet(ctx, actor, walletId);
  const row = await findPreview(ctx, actor, wallet.id, previewId, undefined);
  return { id: row.id, wallet, createdAt: row.createdAt, expiresAt: row.expiresAt,
    committedAt: row.committedAt, rows: parseStoredRows(row.rowsJson) };
}

/**
 * Posts the previewed new rows, all or none, inside `options.transaction` (the idempotency
 * layer's) or a database transaction of its own.
 *
 * @throws ProblemError 404, 409 `import-already-committed`, `import-preview-stale`, 410
 *   `import-preview-expired`, and any posting rule's refusal with the row's `line`.
 */
export async function commitImport(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  previewId: string,
  options: { transaction?: Transaction } = {},
): Promise<ImportCommit> {
  return writeTransaction(ctx, async (transaction) => {
    const [locked] = await lockOwnedWallets(ctx, transaction, actor, [walletId]);
    assert(locked, 'the wallet was locked');
    const preview = await findPreview(ctx, actor, walletId, previewId, transaction);
    checkCommittable(preview, ctx.clock.now());
    const rows = parseStoredRows(preview.rowsJson);
    await checkStillNew(ctx, walletId, rows, transaction);
    const transactionIds: number[] = [];
    for (const row of chronological(rows)) {
      transactionIds.push(await postRow(ctx, actor, walletId, row, transaction));
    }
    assert.equal(transactionIds.length, preview.newCount, 'every previewed new row was posted');
    const [marked] = await importPreviewModel(ctx.sequelize).update(
      { committedAt: ctx.clock.now() },
      { where: { id: preview.id, committedAt: null }, transaction });
    assert.equal(marked, 1, 'the preview was committed once, under the wallet lock');
    const wallet = await getWalletIn(ctx, walletId, transaction);
    return { previewId: preview.id, wallet, transactionIds };
  }, options.transaction);
}

/** The new rows, oldest first (file order among equal instants). */
function chronological(rows: readonly ImportedRow[]): ImportedRow[] {
  const fresh = rows.filter((row) => row.status === 'new');
  const instantOf = (row: ImportedRow) => row.draft?.occurredAt.getTime() ?? 0;
  return fresh.sort((first, second) =>
    instantOf(first) - instantOf(second) || first.line - second.line);
}

async function postRow(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  row: ImportedRow,
  transaction: Transaction,
): Promise<number> {
  const { draft } = row;
  assert(draft && row.key, 'a new row has a draft and a key');
  try {
    const posting = await postTransactionMinor(ctx, actor, { walletId, type: draft.type,
      amountMinor: draft.amountMinor, origin: 'import', importFingerprint: row.key,
      categoryId: draft.categoryId, description: draft.description,
      counterparty: draft.counterparty, tags: draft.tags, occurredAt: draft.occurredAt },
    { transaction });
    return posting.transaction.id;
  } catch (error) {
    if (!(error instanceof ProblemError) || error.status >= 500) throw error;
    throw new ProblemError(error.status, error.slug, error.title,
      `line ${row.line}: ${error.message} Nothing was imported.`,
      { extensions: { ...error.extensions, line: row.line }, headers: error.headers });
  }
}

function checkCommittable(preview: ImportPreviewAttributes, now: Date): void {
  if (preview.committedAt !== null) {
    throw new ProblemError(409, 'import-already-committed', 'Import already committed.',
      `Preview ${preview.id} was committed at ${preview.committedAt.toISOString()}.`);
  }
  if (preview.expiresAt <= now) {
    throw new ProblemError(410, 'import-preview-expired', 'Preview expired.',
      `Preview ${preview.id} expired at ${preview.expiresAt.toISOString()}; preview again.`);
  }
}

/** Invariant 4: the new rows are still new with the wallet locked. */
async function checkStillNew(
  ctx: AppContext,
  walletId: number,
  rows: ImportedRow[],
  transaction: Transaction,
): Promise<void> {
  const again = rows.map((row) => ({ ...row, status: row.status === 'invalid'
    ? 'invalid' as const : 'new' as const }));
  markDuplicates(again, await existingKeys(ctx, walletId, again, transaction));
  const changed = again.filter((row, index) => row.status !== rows[index]?.status);
  if (changed.length > 0) {
    throw new ProblemError(409, 'import-preview-stale', 'Preview out of date.',
      `The wallet changed since the preview: ${changed.length} rows are no longer what the ` +
        'preview said. Nothing was imported; preview the file again.',
      { extensions: { lines: changed.map((row) => row.line) } });
  }
}

/**
 * The duplicate keys of the wallet's entries that could match `rows`: those of the rows' days
 * and amounts. Read in SQL by (wallet, occurred_at) and bounded.
 */
async function existingKeys(
  ctx: AppContext,
  walletId: number,
  rows: readonly ImportedRow[],
  transaction: Transaction | undefined,
): Promise<string[]> {
  const drafts = rows.flatMap((row) => (row.draft ? [row.draft] : []));
  if (drafts.length === 0) return [];
  const instantsMs = drafts.map((draft) => draft.occurredAt.getTime());
  const dayMs = 24 * 60 * 60 * 1000;
  const fromMs = Math.floor(Math.min(...instantsMs) / dayMs) * dayMs;
  const toMs = Math.floor(Math.max(...instantsMs) / dayMs) * dayMs + dayMs;
  const amounts = [...new Set(drafts.map((draft) => draft.amountMinor))];
  const { WalletTransaction } = walletModels(ctx.sequelize);
  const entries = await WalletTransaction.findAll({
    attributes: ['type', 'amountMinor', 'occurredAt', 'description', 'counterparty'],
    where: { walletId, amountMinor: { [Op.in]: amounts },
      occurredAt: { [Op.gte]: new Date(fromMs), [Op.lt]: new Date(toMs) } },
    limit: importComparedEntriesMax + 1, transaction,
  });
  if (entries.length > importComparedEntriesMax) {
    throw new ProblemError(422, 'import-range-too-wide', 'Import spans too much.',
      `The file's dates cover more than ${importComparedEntriesMax} entries to compare; ` +
        'split it into shorter periods.');
  }
  return entries.map((entry) => duplicateKey(entry));
}

async function findPreview(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  previewId: string,
  transaction: Transaction | undefined,
): Promise<PreviewRow> {
  const Preview = importPreviewModel(ctx.sequelize);
  const row = await Preview.findByPk(previewId, { transaction,
    ...(transaction ? { lock: transaction.LOCK.UPDATE } : {}) });
  if (!row || row.userId !== actor.userId || row.walletId !== walletId) {
    throw notFoundProblem(`There is no import preview ${previewId} of this wallet of yours.`);
  }
  return row;
}

async function getWalletIn(
  ctx: AppContext,
  walletId: number,
  transaction: Transaction,
): Promise<WalletAttributes> {
  const { Wallet } = walletModels(ctx.sequelize);
  const row = await Wallet.findByPk(walletId, { transaction });
  assert(row, 'a locked wallet exists');
  return row.get({ plain: true });
}

async function purgeExpiredPreviews(ctx: AppContext, transaction: Transaction): Promise<void> {
  await ctx.sequelize.query(
    `DELETE FROM ab_wallet_import_previews WHERE id IN
       (SELECT id FROM ab_wallet_import_previews WHERE expires_at <= :now LIMIT :limit)`,
    { replacements: { now: ctx.clock.now(), limit: importPurgeRowsMax },
      type: QueryTypes.BULKDELETE, transaction },
  );
}

// Stored rows: bigints as strings and instants as ISO text, so JSON holds them exactly.

type StoredDraft = Omit<NonNullable<ImportedRow['draft']>, 'amountMinor' | 'occurredAt'> &
  { amountMinor: string; occurredAt: string };
type StoredRow = Omit<ImportedRow, 'draft'> & { draft: StoredDraft | null };

function storedRow(row: ImportedRow): StoredRow {
  const { draft } = row;
  return { ...row, draft: draft && { ...draft, amountMinor: draft.amountMinor.toString(),
    occurredAt: draft.occurredAt.toISOString() } };
}

function parseStoredRows(rowsJson: string): ImportedRow[] {
  const stored = JSON.parse(rowsJson) as StoredRow[];
  assert(Array.isArray(stored), 'stored rows are an array');
  assert(stored.length <= importRowsMax, 'a stored preview holds at most importRowsMax rows');
  return stored.map((row) => ({ ...row, draft: row.draft && { ...row.draft,
    amountMinor: BigInt(row.draft.amountMinor), occurredAt: new Date(row.draft.occurredAt) } }));
}

const definedModels = new WeakMap<Sequelize, ModelStatic<PreviewRow>>();

/** The model of `ab_wallet_import_previews` (migration wallet_002), once per database. */
export function importPreviewModel(sequelize: Sequelize): ModelStatic<PreviewRow> {
  let model = definedModels.get(sequelize);
  if (!model) {
    const instant = (allowNull: boolean) => ({ type: DataTypes.DATE, allowNull });
    model = sequelize.define<PreviewRow>('AbWalletImportPreview', {
      id: { type: DataTypes.CHAR(36), primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      walletId: { type: DataTypes.INTEGER, allowNull: false },
      rowsJson: { type: DataTypes.TEXT, allowNull: false },
      rowCount: { type: DataTypes.INTEGER, allowNull: false },
      newCount: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: instant(false),
      expiresAt: instant(false),
      committedAt: instant(true),
    }, { tableName: 'ab_wallet_import_previews', underscored: true, timestamps: false });
    definedModels.set(sequelize, model);
  }
  return model;
}
