/**
 * @module
 * Telling the account holder, by email to the account's address, when something happens to
 * their second factor: a factor added, changed or removed, the account locked after wrong
 * codes, a backup code used, an Admin unlock or reset.
 *
 * Invariants:
 *  1. A notice never holds a code, a secret or a full phone number.
 *  2. A notice that cannot be sent is logged (without its address) and does not undo or fail
 *     what it reports: the change has happened either way.
 */
import type { AppContext } from '../context.ts';
import { authModels } from '../auth/models.ts';

/** What a notice reports. */
export type MfaNotice =
  | { kind: 'factor-added'; method: string }
  | { kind: 'factor-removed'; method: string }
  | { kind: 'destination-changed'; method: string }
  | { kind: 'backup-codes-regenerated' }
  | { kind: 'backup-code-used'; remaining: number }
  | { kind: 'locked'; lockedUntil: Date }
  | { kind: 'unlocked' }
  | { kind: 'reset' };

const methodNames: Record<string, string> = {
  totp: 'authenticator app',
  sms: 'text message',
  email: 'email code',
};

function describe(notice: MfaNotice): { subject: string; text: string } {
  const name = 'method' in notice ? (methodNames[notice.method] ?? notice.method) : '';
  switch (notice.kind) {
    case 'factor-added':
      return {
        subject: 'A sign-in method was added',
        text: `An ${name} was added as a second factor.`,
      };
    case 'factor-removed':
      return {
        subject: 'A sign-in method was removed',
        text: `The ${name} second factor was removed.`,
      };
    case 'destination-changed':
      return { subject: 'A sign-in method changed', text: `Where your ${name} goes was changed.` };
    case 'backup-codes-regenerated':
      return {
        subject: 'New backup codes',
        text: 'New backup codes were made; the old ones no longer work.',
      };
    case 'backup-code-used':
      return {
        subject: 'A backup code was used',
        text: `A backup code was used to sign in. ${notice.remaining} unused codes are left.`,
      };
    case 'locked':
      return {
        subject: 'Sign-in locked',
        text:
          'Too many wrong codes: verification is locked until ' +
          `${notice.lockedUntil.toISOString()}.`,
      };
    case 'unlocked':
      return { subject: 'Sign-in unlocked', text: 'An administrator unlocked your second factor.' };
    case 'reset':
      return {
        subject: 'Second factor reset',
        text:
          'An administrator removed your second factors. ' +
          'Set one up again at your next sign-in.',
      };
  }
}

/**
 * Emails `notice` to the account `userId`.
 *
 * @param ctx - the server's context; `ctx.mailer` sends.
 * @param userId - the account told.
 * @param notice - what happened.
 */
export async function notifyAccount(
  ctx: AppContext,
  userId: number,
  notice: MfaNotice,
): Promise<void> {
  const { User } = authModels(ctx.sequelize);
  const user = await User.findByPk(userId, { attributes: ['id', 'email'] });
  if (user === null) return;
  const { subject, text } = describe(notice);
  try {
    await ctx.mailer.send({
      to: user.email,
      subject,
      text: `${text}\n\nIf this was not you, contact your administrator.`,
      userId,
    });
  } catch (error) {
    ctx.logger.warn('mfa notice not sent', {
      userId,
      kind: notice.kind,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
