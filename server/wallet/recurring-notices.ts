/**
 * @module
 * Telling the owner of a recurring rule that it was paused after repeated failed postings, by
 * email to the account's address through the context's mailer (`ctx.mailer`: SMTP, or the
 * development outbox), the path the MFA notices take.
 *
 * Invariants:
 *  1. A notice is sent after the pause has committed, so a rolled-back pause tells nobody.
 *  2. A notice that cannot be sent is logged (without the address) and does not undo the pause:
 *     the audit row records it either way, and the rule shows its `pausedReason`.
 */
import { authModels } from '../auth/models.ts';
import type { AppContext } from '../context.ts';
import type { RecurringAttributes } from './models.ts';
import { formatMinor } from './money.ts';

/**
 * Emails the owner of `rule` that it was paused, and why.
 *
 * @param ctx - the context; `ctx.mailer` sends.
 * @param rule - the rule as paused.
 * @param lastError - what the last attempt failed with.
 */
export async function notifyRulePaused(
  ctx: AppContext,
  rule: RecurringAttributes,
  lastError: string,
): Promise<void> {
  const { User } = authModels(ctx.sequelize);
  const user = await User.findByPk(rule.userId, { attributes: ['id', 'email'] });
  if (user === null) return;
  const what = `${rule.type} of ${formatMinor(rule.amountMinor, rule.currency)} ${rule.currency}` +
    (rule.description === null ? '' : ` ("${rule.description}")`);
  try {
    await ctx.mailer.send({
      to: user.email,
      subject: 'A recurring transaction was paused',
      text: `Your recurring ${what} to wallet ${rule.walletId} was paused after ` +
        `${rule.failureCount} failed attempts in a row. The last one failed with: ` +
        `${lastError}\n\n` +
        'Nothing more is posted until you resume it; the occurrence that failed is tried again ' +
        'when you do.',
      userId: rule.userId,
    });
  } catch (error) {
    ctx.logger.warn('recurring pause notice not sent', { userId: rule.userId,
      recurringId: rule.id, error: error instanceof Error ? error.message : String(error) });
  }
}
