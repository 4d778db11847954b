/**
 * @module
 * Deleting MFA rows that have run out: SMS and email codes past their expiry, TOTP enrolments
 * never confirmed, remembered devices past their end, and `mfa:` counts whose longest window
 * is over. Nothing deleted here could still be used; every check also compares times itself,
 * so running this late or never changes no answer, only the size of the tables.
 *
 * Run by the server's scheduler (server/jobs.ts) with the session, login-count and
 * idempotency-key purges.
 */
import { Op } from 'sequelize';
import type { AppContext } from '../context.ts';
import { mfaModels } from './models.ts';
import { purgeMfaCounts } from './throttle.ts';

/** How many rows each purge deleted. */
export interface MfaPurge {
  codes: number;
  enrolments: number;
  devices: number;
  counts: number;
}

/**
 * Deletes every MFA row that has run out by now.
 *
 * @param ctx - the server's context; "now" is its clock's.
 * @returns how many rows of each kind went.
 */
export async function purgeExpiredMfaRows(ctx: AppContext): Promise<MfaPurge> {
  const { OtpCode, TotpEnrolment, TrustedDevice } = mfaModels(ctx.sequelize);
  const expired = { expiresAt: { [Op.lte]: ctx.clock.now() } };
  return {
    codes: await OtpCode.destroy({ where: expired }),
    enrolments: await TotpEnrolment.destroy({ where: expired }),
    devices: await TrustedDevice.destroy({ where: expired }),
    counts: await purgeMfaCounts(ctx),
  };
}
