/**
 * @module
 * `ADMIN_USER` and `ADMIN_PASSWORD`: making sure, at every start, that this account exists,
 * is active, holds the role `Admin` and opens with this password.
 *
 * Guarantees:
 *  1. Idempotent: a second run with the same values changes nothing (not even the hash, which
 *     is only rewritten when the password no longer matches).
 *  2. A changed password ends every session of the account.
 *  3. Safe when several processes start at once: the unique indexes decide who creates the
 *     account, and the others find it on their retry.
 *  4. The password is never logged or returned.
 */
import assert from 'node:assert/strict';
import { UniqueConstraintError } from 'sequelize';
import type { AppContext } from '../context.ts';
import { authModels } from './models.ts';
import { passwordRuleViolations } from './password-rules.ts';
import { hashPassword, passwordHashCost, verifyPassword } from './passwords.ts';
import { usernameSchema } from './schemas.ts';
import { deleteSessionsOfUser } from './sessions.ts';
import { findUserByUsername, grantRole } from './users.ts';

/** How many times a start retries after losing a race to create the account. */
export const ensureAdminAttemptsMax = 3;

/** The account to make sure of. */
export interface AdminAccount {
  username: string;
  password: string;
}

/** What {@link ensureAdmin} did, for the start-up log. */
export interface EnsureAdminResult {
  userId: number;
  /** The account did not exist and was created. */
  created: boolean;
  /** The stored hash did not match and was replaced (existing accounts only). */
  credentialUpdated: boolean;
  /** The account did not hold the role Admin and now does. */
  roleGranted: boolean;
}

/**
 * Creates or updates the account `admin.username` so it is active, holds the role `Admin` and
 * opens with `admin.password`. A new account's email is the username when it looks like an
 * address, else `<username>@admin.invalid` (a reserved domain: it never receives mail).
 *
 * @param ctx - the server's context.
 * @param admin - the username and password from the configuration.
 * @returns what changed.
 * @throws Error when the username or password breaks the account rules.
 * @example
 * if (config.admin) await ensureAdmin(ctx, config.admin);
 */
export async function ensureAdmin(
  ctx: AppContext,
  admin: AdminAccount,
): Promise<EnsureAdminResult> {
  const problems = adminAccountProblems(admin);
  if (problems.length > 0) throw new Error(`ADMIN_USER/ADMIN_PASSWORD: ${problems.join(' ')}`);
  const username = admin.username.trim();
  for (let attempt = 1; attempt <= ensureAdminAttemptsMax; attempt += 1) {
    try {
      return await ensureAdminOnce(ctx, username, admin.password);
    } catch (error) {
      const lostRace = error instanceof UniqueConstraintError;
      if (!lostRace || attempt === ensureAdminAttemptsMax) throw error;
    }
  }
  assert.fail('unreachable: the last attempt returns or throws');
}

function adminAccountProblems(admin: AdminAccount): string[] {
  const parsed = usernameSchema.safeParse(admin.username);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  return [...problems, ...passwordRuleViolations(admin.password, admin.username)];
}

async function ensureAdminOnce(
  ctx: AppContext,
  username: string,
  password: string,
): Promise<EnsureAdminResult> {
  const { User } = authModels(ctx.sequelize);
  const cost = passwordHashCost(ctx.config);
  const now = ctx.clock.now();
  const existing = await findUserByUsername(ctx, username);
  if (existing === null) {
    const passwordHash = await hashPassword(password, cost);
    return ctx.sequelize.transaction(async (transaction) => {
      const user = await User.create(
        {
          username,
          email: username.includes('@') ? username : `${username}@admin.invalid`,
          password: passwordHash,
          passwordChangedOn: now,
          createdOn: now,
          changedOn: now,
        },
        { transaction, silent: true },
      );
      await grantRole(ctx, user.id, 'Admin', transaction);
      return { userId: user.id, created: true, credentialUpdated: false, roleGranted: true };
    });
  }
  const credentialUpdated = !(await verifyPassword(password, existing.password));
  if (credentialUpdated || !existing.active) {
    await User.update(
      {
        active: true,
        changedOn: now,
        ...(credentialUpdated
          ? { password: await hashPassword(password, cost), passwordChangedOn: now }
          : {}),
      },
      { where: { id: existing.id }, silent: true },
    );
  }
  if (credentialUpdated) await deleteSessionsOfUser(ctx, existing.id);
  const { granted } = await grantRole(ctx, existing.id, 'Admin');
  return { userId: existing.id, created: false, credentialUpdated, roleGranted: granted };
}
