/**
 * @module
 * Two tables of keyring tokens that exist only in tests, registered as encrypted columns when
 * this module loads. The rotation tests import it; the `keys:rotate` test also passes it to the
 * CLI's process with `--import`, so the CLI sees the same registrations without the server
 * knowing about test tables.
 */
import type { Sequelize } from 'sequelize';
import {
  registerEncryptedColumn,
  type EncryptedColumn,
} from '../../../../server/crypto/encrypted-columns.ts';

/** Tokens keyed by an integer, enough rows of which span several batches. */
export const vaultNotes: EncryptedColumn = {
  table: 'ab_test_vault_notes',
  primaryKey: 'id',
  column: 'secret_note',
};

/** Tokens keyed by text, so rotation walks a non-numeric primary key too. */
export const vaultLabels: EncryptedColumn = {
  table: 'ab_test_vault_labels',
  primaryKey: 'code',
  column: 'secret_label',
};

registerEncryptedColumn(vaultNotes);
registerEncryptedColumn(vaultLabels);

/** Where this module lives, for `node --import`. */
export const vaultColumnsModuleUrl = import.meta.url;

/** One row of a vault table: its primary key and its token (or null). */
export interface VaultRow {
  key: number | string;
  token: string | null;
}

/** Rows inserted per statement, so a large fixture never makes one huge statement. */
const insertRowsPerStatement = 250;

/** Creates both vault tables (same SQL on SQLite and PostgreSQL). */
export async function createVaultTables(sequelize: Sequelize): Promise<void> {
  await sequelize.query(
    'CREATE TABLE ab_test_vault_notes (id INTEGER PRIMARY KEY, secret_note TEXT)',
  );
  await sequelize.query(
    'CREATE TABLE ab_test_vault_labels (code VARCHAR(64) PRIMARY KEY, secret_label TEXT)',
  );
}

/** Inserts `rows` into the table of `column`. */
export async function insertVaultRows(
  sequelize: Sequelize,
  column: EncryptedColumn,
  rows: readonly VaultRow[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += insertRowsPerStatement) {
    const chunk = rows.slice(start, start + insertRowsPerStatement);
    const values = chunk.map((_, index) => `(:key${index}, :token${index})`).join(', ');
    const replacements: Record<string, unknown> = {};
    chunk.forEach((row, index) => {
      replacements[`key${index}`] = row.key;
      replacements[`token${index}`] = row.token;
    });
    await sequelize.query(
      `INSERT INTO ${column.table} (${column.primaryKey}, ${column.column}) VALUES ${values}`,
      { replacements },
    );
  }
}

/** Reads every token of the table of `column`, by primary key (as a string). */
export async function readVaultTokens(
  sequelize: Sequelize,
  column: EncryptedColumn,
): Promise<Map<string, string | null>> {
  const [rows] = await sequelize.query(
    `SELECT ${column.primaryKey} AS row_key, ${column.column} AS row_token FROM ${column.table}`,
  );
  const tokens = new Map<string, string | null>();
  for (const row of rows as { row_key: number | string; row_token: string | null }[]) {
    tokens.set(String(row.row_key), row.row_token);
  }
  return tokens;
}
