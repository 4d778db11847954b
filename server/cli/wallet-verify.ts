/**
 * @module
 * `npm run wallet:verify`: recomputes every wallet balance from its entries, checks every
 * reversal link and transfer pair, and rehashes every audit chain (server/wallet/verify.ts),
 * then prints a report.
 *
 * Reads the same environment as the server (`DATABASE_URL`, ...). It never writes: it does not
 * migrate, and it reports differences without repairing them. The report goes to stdout, logs
 * to stderr. Exit status: 0 when the ledger is clean, 1 when any difference was found, 2 when
 * the ledger could not be verified (no database, no wallet tables).
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://app@db/app npm run wallet:verify
 * ```
 */
import { loadConfig } from '../config.ts';
import { closeContext, createContext } from '../context.ts';
import { createLogger } from '../logger.ts';
import { verifyLedger, type LedgerProblem, type LedgerReport } from '../wallet/verify.ts';

/** The exit status for a ledger with differences. */
export const exitDifferences = 1;

/** The exit status when the ledger could not be verified. */
export const exitUnverified = 2;

/** The tables the verification reads (migration wallet_001). */
const walletTables = ['ab_user_wallets', 'ab_wallet_transactions', 'ab_wallet_audits',
  'ab_wallet_audit_chains'];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, (line) => process.stderr.write(`${line}\n`));
  const ctx = await createContext(config, { logger });
  try {
    // Read the catalogue rather than the migration log: asking umzug would create its table.
    const tables = (await ctx.sequelize.getQueryInterface().showAllTables()).map(String);
    if (!walletTables.every((table) => tables.includes(table))) {
      process.stderr.write('wallet:verify: the database has no wallet tables; run the server ' +
        'or `npm run db:migrate` first.\n');
      process.exitCode = exitUnverified;
      return;
    }
    const report = await verifyLedger(ctx);
    process.stdout.write(formatReport(report, ctx.sequelize.getDialect()));
    process.exitCode = report.ok ? 0 : exitDifferences;
  } finally {
    await closeContext(ctx);
  }
}

/** The report: what was checked, then one line per difference, then the verdict. */
function formatReport(report: LedgerReport, dialect: string): string {
  const lines = [
    `wallet ledger on ${dialect}`,
    `  wallets:      ${report.walletsChecked}`,
    `  entries:      ${report.entriesChecked}`,
    `  transfers:    ${report.transfersChecked}`,
    `  audit chains: ${report.chainsChecked} (${report.auditsChecked} rows)`,
  ];
  for (const problem of report.problems) lines.push(`  DIFFERENCE ${describe(problem)}`);
  if (report.truncated) lines.push('  ... more differences than listed');
  lines.push(report.ok
    ? 'clean: every balance, link, transfer and audit chain checks out'
    : `NOT CLEAN: ${report.problems.length}${report.truncated ? '+' : ''} differences`);
  return `${lines.join('\n')}\n`;
}

function describe(problem: LedgerProblem): string {
  const where = [
    problem.walletId === undefined ? null : `wallet ${problem.walletId}`,
    problem.transactionId === undefined ? null : `transaction ${problem.transactionId}`,
    problem.transferId === undefined ? null : `transfer ${problem.transferId}`,
    problem.chain === undefined ? null : `chain ${problem.chain}`,
    problem.auditId === undefined ? null : `audit ${problem.auditId}`,
  ].filter((part) => part !== null).join(', ');
  return `${problem.kind} (${where}): ${problem.detail}`;
}

main().catch((error: unknown) => {
  // Read by an operator: the message says what failed; a stack would say nothing more useful.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`wallet:verify could not verify the ledger: ${message}\n`);
  process.exitCode = exitUnverified;
});
