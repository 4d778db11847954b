/**
 * @module
 * Where an account stands with MFA: the policy that applies, the methods it can verify with,
 * and whether setup is due, still in its grace period, or due now.
 *
 * Definitions (the login answer and `GET /api/mfa/status` both follow them):
 *  - *usable methods*: methods the account has enabled **and** the policy allows. A method the
 *    policy stopped allowing is kept but not offered.
 *  - *enrolled*: at least one usable method. `methods` lists the usable methods, plus `backup`
 *    when enrolled with unused backup codes.
 *  - *setup due*: the policy is `required` and the account is not enrolled.
 *  - *grace*: setup is due, the policy grants a grace (days from the first prompt, a number of
 *    skipped sign-in prompts, a deadline, any combination), and every granted limit still
 *    holds. With no grace configured, setup is due at once.
 *  - *must enrol now*: setup due and no grace. Such a sign-in gets a pending session that can
 *    only enrol.
 */
import type { AppContext } from '../context.ts';
import { backupCodeCounts } from './backup-codes.ts';
import type { UserMfaRow } from './models.ts';
import { effectivePolicy, policyAllows, type MfaPolicy } from './policies.ts';
import type { MfaMethod, PrimaryMethod } from './schemas.ts';
import { enabledMethodsOf, findUserMfa } from './user-mfa.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** The grace period of an account whose setup is due. */
export interface GraceStanding {
  /** The policy requires a method and the account has none usable. */
  due: boolean;
  /** Setup may still be put off. */
  holds: boolean;
  /** When the grace ends by date (days or deadline); null when no date limits it. */
  endsAt: Date | null;
  /** Sign-in prompts that may still be skipped; null when prompts do not limit it. */
  promptsLeft: number | null;
}

/** Everything the MFA services decide from. */
export interface MfaStanding {
  policy: MfaPolicy;
  record: UserMfaRow | null;
  enabledMethods: PrimaryMethod[];
  usableMethods: PrimaryMethod[];
  backupCodes: { remaining: number; total: number };
  /** What the account can verify with now. */
  methods: MfaMethod[];
  enrolled: boolean;
  grace: GraceStanding;
  /** Setup due and no grace left: the session may only enrol. */
  mustEnrolNow: boolean;
}

/** The grace of `record` under `policy` at `now` (see the module's definitions). */
export function graceOf(
  policy: MfaPolicy,
  record: Pick<UserMfaRow, 'graceStartedAt' | 'gracePromptsSkipped'> | null,
  enrolled: boolean,
  now: Date,
): GraceStanding {
  const due = policy.enforcement === 'required' && !enrolled;
  if (!due) return { due, holds: false, endsAt: null, promptsLeft: null };
  const startedMs = record?.graceStartedAt?.getTime() ?? now.getTime();
  const dateLimitsMs = [
    policy.gracePeriodDays === null ? null : startedMs + policy.gracePeriodDays * dayMs,
    policy.setupDeadline?.getTime() ?? null,
  ].filter((limit): limit is number => limit !== null);
  const endsAt = dateLimitsMs.length === 0 ? null : new Date(Math.min(...dateLimitsMs));
  const promptsLeft =
    policy.gracePromptsMax === null
      ? null
      : Math.max(0, policy.gracePromptsMax - (record?.gracePromptsSkipped ?? 0));
  const configured = dateLimitsMs.length > 0 || promptsLeft !== null;
  const holds =
    configured &&
    (endsAt === null || now.getTime() < endsAt.getTime()) &&
    (promptsLeft === null || promptsLeft > 0);
  return { due, holds, endsAt, promptsLeft };
}

/** The standing of `userId` now. */
export async function standingOf(ctx: AppContext, userId: number): Promise<MfaStanding> {
  const [policy, record] = await Promise.all([
    effectivePolicy(ctx, userId),
    findUserMfa(ctx, userId),
  ]);
  return standingFrom(ctx, policy, record);
}

/** The standing from an already loaded policy and record. */
export async function standingFrom(
  ctx: AppContext,
  policy: MfaPolicy,
  record: UserMfaRow | null,
): Promise<MfaStanding> {
  const enabledMethods = enabledMethodsOf(record);
  const usableMethods = enabledMethods.filter((method) => policyAllows(policy, method));
  const enrolled = usableMethods.length > 0;
  const backupCodes = record ? await backupCodeCounts(ctx, record.id) : { remaining: 0, total: 0 };
  const methods: MfaMethod[] = [...usableMethods];
  if (enrolled && backupCodes.remaining > 0) methods.push('backup');
  const grace = graceOf(policy, record, enrolled, ctx.clock.now());
  return {
    policy,
    record,
    enabledMethods,
    usableMethods,
    backupCodes,
    methods,
    enrolled,
    grace,
    mustEnrolNow: grace.due && !grace.holds,
  };
}
