/**
 * @module
 * A separate server process for the multi-process tests: opens the database named on the
 * command line and posts `count` debits to one wallet at once, then prints what happened as
 * one JSON line: `{"posted": n, "refused": m}`. Any other failure exits non-zero.
 *
 * Usage: node --import tsx debit-worker.ts DATABASE_URL USER_ID WALLET_ID COUNT AMOUNT
 */
import { loadConfig } from '../../../../server/config.ts';
import { closeContext, createContext } from '../../../../server/context.ts';
import { ProblemError } from '../../../../server/http/problem.ts';
import { createLogger } from '../../../../server/logger.ts';
import { postTransaction } from '../../../../server/wallet/ledger.ts';
import { testSecretKey } from '../../support/test-context.ts';

const [databaseUrl, userIdText, walletIdText, countText, amount] = process.argv.slice(2);
if (!databaseUrl || !userIdText || !walletIdText || !countText || !amount) {
  throw new Error('usage: debit-worker.ts DATABASE_URL USER_ID WALLET_ID COUNT AMOUNT');
}
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl,
  SECRET_KEYS: testSecretKey });
const ctx = await createContext(config, { logger: createLogger('silent') });
const actor = { userId: Number(userIdText), isAdmin: false, ip: null,
  userAgent: `worker ${process.pid}` };
const outcomes = await Promise.allSettled(Array.from({ length: Number(countText) }, () =>
  postTransaction(ctx, actor, { walletId: Number(walletIdText), type: 'debit', amount })));
await closeContext(ctx);
const unexpected = outcomes.find((outcome) => outcome.status === 'rejected' &&
  !(outcome.reason instanceof ProblemError && outcome.reason.slug === 'insufficient-funds'));
if (unexpected && unexpected.status === 'rejected') throw unexpected.reason;
const posted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
process.stdout.write(`${JSON.stringify({ posted, refused: outcomes.length - posted })}\n`);
