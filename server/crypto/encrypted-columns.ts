/**
 * @module
 * Which table columns hold keyring tokens, and re-encrypting them with the newest key.
 *
 * A domain that stores a keyring token (an MFA seed, a payment detail) declares the column once
 * with {@link registerEncryptedColumn}, from a module imported by `registered-columns.ts`.
 * `npm run keys:rotate` then walks every registered column with
 * {@link rotateEncryptedColumns}, so an old key can be dropped from `SECRET_KEYS` afterwards.
 *
 * Invariants. Each is asserted below and tested in test/server/crypto/encrypted-columns.test.ts.
 *  1. Table and column names are plain identifiers, registered once each, and always quoted
 *     by the dialect when put into SQL; values only ever travel as replacements.
 *  2. A batch reads at most {@link rotationBatchRowsMax} rows, and each batch is read and
 *     rewritten in one database transaction.
 *  3. A value is rewritten only if an older key made it, only with the newest key, and only if
 *     it still holds the token that was read (a value changed meanwhile is left alone). The new
 *     token is decrypted again before it is written, and must give the same plaintext.
 *  4. A value that no key opens stops the rotation with an error naming the row, never the
 *     value: it means a key was dropped too early, and an operator must look.
 *  5. Rotation makes progress: every batch starts strictly after the previous batch's last
 *     primary key, so the walk over a table ends after at most rows / batch + 1 batches.
 */
import assert from 'node:assert/strict';
import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import type { Logger } from '../logger.ts';
import { FernetError } from './fernet.ts';
import type { Keyring, KeyringDecryption } from './keyring.ts';

/** A column whose values are keyring tokens (text, nullable). */
export interface EncryptedColumn {
  /** The table, e.g. `ab_user_mfa`. */
  table: string;
  /** The table's single-column primary key; rows are walked in its order. */
  primaryKey: string;
  /** The column holding the tokens. */
  column: string;
}

/** What rotating one column did. */
export interface ColumnRotation {
  table: string;
  column: string;
  /** Rows read, null values included. */
  scanned: number;
  /** Values rewritten with the newest key. */
  reencrypted: number;
}

/** Most rows read and rewritten in one database transaction. */
export const rotationBatchRowsMax = 500;

/** Most columns that may be registered; a bound on the rotation's outer loop. */
export const encryptedColumnsMax = 64;

/** A plain SQL identifier, at most 63 characters (PostgreSQL's limit). */
const isPlainIdentifierRe = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

const registry: EncryptedColumn[] = [];

/**
 * Declares that `column` of `table` holds keyring tokens, so key rotation re-encrypts it.
 * Call it once per column at module load, from a module that `registered-columns.ts` imports.
 *
 * @param column - Plain identifiers only; registering the same table and column twice is a bug.
 * @example
 * ```ts
 * registerEncryptedColumn({ table: 'ab_user_mfa', primaryKey: 'id', column: 'totp_secret' });
 * ```
 */
export function registerEncryptedColumn(column: EncryptedColumn): void {
  assert.match(column.table, isPlainIdentifierRe);
  assert.match(column.primaryKey, isPlainIdentifierRe);
  assert.match(column.column, isPlainIdentifierRe);
  assert.notEqual(column.primaryKey, column.column, 'the primary key cannot be encrypted');
  const duplicate = registry.some(
    (known) => known.table === column.table && known.column === column.column,
  );
  assert(!duplicate, `${column.table}.${column.column} is registered twice`);
  assert(registry.length < encryptedColumnsMax, 'too many encrypted columns registered');
  registry.push(Object.freeze({ ...column }));
}

/** Every registered column, in registration order. */
export function encryptedColumns(): readonly EncryptedColumn[] {
  return Object.freeze([...registry]);
}

/**
 * Re-encrypts, with the keyring's newest key, every value in every registered column that an
 * older key made. Safe to run again, and beside running servers: a batch holds its database
 * transaction only for {@link rotationBatchRowsMax} rows, and a value written meanwhile is
 * never overwritten.
 *
 * @param sequelize - The database, SQLite or PostgreSQL.
 * @param keyring - Its first key is the one values end up under.
 * @param logger - Receives one line per column.
 * @returns One entry per registered column, in registration order.
 * @throws Error naming the table, column and primary key of a value that no key opens; the
 *   batches before it stay rewritten.
 */
export async function rotateEncryptedColumns(
  sequelize: Sequelize,
  keyring: Keyring,
  logger: Logger,
): Promise<ColumnRotation[]> {
  const columns = encryptedColumns();
  assert(columns.length <= encryptedColumnsMax);
  const rotations: ColumnRotation[] = [];
  for (const column of columns) {
    const rotation = await rotateColumn(sequelize, keyring, column);
    assert(rotation.reencrypted <= rotation.scanned);
    logger.info('encrypted column rotated', { ...rotation });
    rotations.push(rotation);
  }
  assert.equal(rotations.length, columns.length);
  return rotations;
}

/** A primary key value as the driver returns it. */
type RowKey = string | number;

/** What one batch did, and where the next batch starts. */
interface BatchResult {
  scanned: number;
  reencrypted: number;
  lastKey: RowKey | null;
}

async function rotateColumn(
  sequelize: Sequelize,
  keyring: Keyring,
  column: EncryptedColumn,
): Promise<ColumnRotation> {
  const rotation: ColumnRotation = {
    table: column.table,
    column: column.column,
    scanned: 0,
    reencrypted: 0,
  };
  let afterKey: RowKey | null = null;
  for (;;) {
    const startKey: RowKey | null = afterKey;
    // IMMEDIATE takes SQLite's write lock up front: a deferred transaction that reads and then
    // writes can deadlock against another writer instead of waiting. PostgreSQL ignores it.
    const batch: BatchResult = await sequelize.transaction(
      { type: Transaction.TYPES.IMMEDIATE },
      (transaction) => rotateBatch(sequelize, keyring, column, startKey, transaction),
    );
    assert(batch.scanned <= rotationBatchRowsMax);
    rotation.scanned += batch.scanned;
    rotation.reencrypted += batch.reencrypted;
    if (batch.scanned < rotationBatchRowsMax) break;
    assert(batch.lastKey !== null);
    assert.notEqual(batch.lastKey, startKey, 'a batch must move past the previous one');
    afterKey = batch.lastKey;
  }
  return rotation;
}

async function rotateBatch(
  sequelize: Sequelize,
  keyring: Keyring,
  column: EncryptedColumn,
  afterKey: RowKey | null,
  transaction: Transaction,
): Promise<BatchResult> {
  const sql = quotedNames(sequelize, column);
  const where = afterKey === null ? '' : `WHERE ${sql.primaryKey} > :afterKey`;
  const rows = await sequelize.query<Record<string, unknown>>(
    `SELECT ${sql.primaryKey} AS ${sql.keyAlias}, ${sql.column} AS ${sql.tokenAlias} ` +
      `FROM ${sql.table} ${where} ORDER BY ${sql.primaryKey} LIMIT :limit`,
    {
      replacements: { afterKey, limit: rotationBatchRowsMax },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  assert(rows.length <= rotationBatchRowsMax);
  let reencrypted = 0;
  let lastKey: RowKey | null = null;
  for (const row of rows) {
    const rowKey = readRowKey(row.row_key, column);
    lastKey = rowKey;
    const oldToken = row.row_token;
    if (oldToken === null) continue;
    const newToken = reencryptIfOld(keyring, column, rowKey, oldToken);
    if (newToken === null) continue;
    const [, changedRows] = await sequelize.query(
      `UPDATE ${sql.table} SET ${sql.column} = :newToken ` +
        `WHERE ${sql.primaryKey} = :rowKey AND ${sql.column} = :oldToken`,
      { replacements: { newToken, rowKey, oldToken }, type: QueryTypes.UPDATE, transaction },
    );
    // 0 means the value changed after it was read; its writer used the newest key already.
    assert(changedRows === 0 || changedRows === 1, 'a primary key names at most one row');
    reencrypted += changedRows;
  }
  return { scanned: rows.length, reencrypted, lastKey };
}

/**
 * The new token for a value made with an older key, or null when the newest key made it.
 * Decrypts the new token once more before it is written (invariant 3).
 */
function reencryptIfOld(
  keyring: Keyring,
  column: EncryptedColumn,
  rowKey: RowKey,
  oldToken: unknown,
): string | null {
  const where = `${column.table}.${column.column} at ${column.primaryKey} = ${rowKey}`;
  if (typeof oldToken !== 'string') throw new Error(`${where} does not hold a text token.`);
  let opened: KeyringDecryption;
  try {
    opened = keyring.decrypt(oldToken);
  } catch (error) {
    if (!(error instanceof FernetError)) throw error;
    throw new Error(
      `${where} cannot be decrypted with any key in SECRET_KEYS (${error.reason}); ` +
        'keep the key it was made with until this value is fixed.',
    );
  }
  if (opened.keyIndex === 0) return null;
  const newToken = keyring.encrypt(opened.plaintext);
  const check = keyring.decrypt(newToken);
  assert.equal(check.keyIndex, 0);
  assert(check.plaintext.equals(opened.plaintext), 're-encryption must keep the plaintext');
  return newToken;
}

function readRowKey(value: unknown, column: EncryptedColumn): RowKey {
  // PostgreSQL returns BIGINT keys as strings; SQLite returns integers as numbers.
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`${column.table}.${column.primaryKey} holds a null or non-scalar key.`);
}

/** The column's names quoted for the dialect, plus the result aliases the SELECT uses. */
function quotedNames(sequelize: Sequelize, column: EncryptedColumn) {
  const queryInterface = sequelize.getQueryInterface();
  const quote = (identifier: string) => queryInterface.quoteIdentifier(identifier);
  return {
    table: quote(column.table),
    primaryKey: quote(column.primaryKey),
    column: quote(column.column),
    keyAlias: quote('row_key'),
    tokenAlias: quote('row_token'),
  };
}
