/**
 * @module
 * `npm run keys:rotate`: re-encrypts every registered encrypted column with the newest key in
 * `SECRET_KEYS`, so the older keys can be dropped afterwards.
 *
 * Reads the same environment as the server (`DATABASE_URL`, `SECRET_KEYS`, ...), migrates the
 * database, rotates, and prints one line per column and a total on stdout; logs go to stderr.
 * Exits 0 when every value is under the newest key, 1 with a message on stderr otherwise.
 *
 * @example
 * ```sh
 * SECRET_KEYS="$NEW_KEY,$OLD_KEY" DATABASE_URL=postgres://app@db/app npm run keys:rotate
 * ```
 */
import { loadConfig } from '../config.ts';
import { closeContext, createContext } from '../context.ts';
import { rotateEncryptedColumns, type ColumnRotation } from '../crypto/encrypted-columns.ts';
import '../crypto/registered-columns.ts';
import { createLogger } from '../logger.ts';
import { createMigrator } from '../migrator.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  // stdout carries only the summary, so a script can read it; structured logs go to stderr.
  const logger = createLogger(config.logLevel, (line) => process.stderr.write(`${line}\n`));
  const ctx = await createContext(config, { logger });
  try {
    await createMigrator(ctx.sequelize, (message) => logger.info(message)).up();
    const rotations = await rotateEncryptedColumns(ctx.sequelize, ctx.keys, logger);
    process.stdout.write(formatSummary(rotations, ctx.keys.size));
  } finally {
    await closeContext(ctx);
  }
}

/** The report: a line per column, then a total. */
function formatSummary(rotations: readonly ColumnRotation[], keyCount: number): string {
  const lines = rotations.map(
    (rotation) =>
      `${rotation.table}.${rotation.column}: scanned ${rotation.scanned}, ` +
      `re-encrypted ${rotation.reencrypted}`,
  );
  if (rotations.length === 0) lines.push('no encrypted columns are registered');
  const scanned = rotations.reduce((sum, rotation) => sum + rotation.scanned, 0);
  const reencrypted = rotations.reduce((sum, rotation) => sum + rotation.reencrypted, 0);
  const keys = keyCount === 1 ? '1 key' : `${keyCount} keys`;
  lines.push(
    `total: ${rotations.length} columns, scanned ${scanned}, re-encrypted ${reencrypted} ` +
      `(keyring of ${keys})`,
  );
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  // A ConfigError's message already lists every bad variable; other errors carry a row or a
  // database problem in theirs. Stacks are left out: this is read by an operator.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`keys:rotate failed: ${message}\n`);
  // exitCode rather than exit(): lets stderr drain before the process ends.
  process.exitCode = 1;
});
