/**
 * @module
 * Looking up accounts and showing them. Usernames and emails match regardless of letter case:
 * they are stored lower-cased, and every lookup lower-cases what it is given.
 */
import type { Transaction } from 'sequelize';
import assert from 'node:assert/strict';
import type { AppContext } from '../context.ts';
import { authModels, normalizeLogin, type UserRow } from './models.ts';
import type { PublicUser } from './schemas.ts';

/** Role names the migration seeds. */
export type RoleName = 'Admin' | 'User';

/**
 * The account whose username is `username` in any letter case, or null.
 *
 * @param ctx - the server's context.
 * @param username - as typed.
 * @param transaction - the database transaction to read in, if any.
 */
export async function findUserByUsername(
  ctx: AppContext,
  username: string,
  transaction?: Transaction,
): Promise<UserRow | null> {
  return findUserBy(ctx, 'username', username, transaction);
}

/** The account whose email is `email` in any letter case, or null. */
export async function findUserByEmail(
  ctx: AppContext,
  email: string,
  transaction?: Transaction,
): Promise<UserRow | null> {
  return findUserBy(ctx, 'email', email, transaction);
}

async function findUserBy(
  ctx: AppContext,
  column: 'username' | 'email',
  value: string,
  transaction: Transaction | undefined,
): Promise<UserRow | null> {
  const { User } = authModels(ctx.sequelize);
  return User.findOne({ where: { [column]: normalizeLogin(value) }, transaction });
}

/** Names of the roles `userId` holds, sorted. */
export async function rolesOfUser(
  ctx: AppContext,
  userId: number,
  transaction?: Transaction,
): Promise<string[]> {
  const { Role, UserRole } = authModels(ctx.sequelize);
  const roles = await Role.findAll({
    attributes: ['name'],
    include: [{ model: UserRole, as: 'memberships', attributes: [], where: { userId } }],
    order: [['name', 'ASC']],
    transaction,
  });
  return roles.map((role) => role.name);
}

/** `user` as the API shows it, with its roles. */
export async function publicUserOf(
  ctx: AppContext,
  user: UserRow,
  transaction?: Transaction,
): Promise<PublicUser> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    roles: await rolesOfUser(ctx, user.id, transaction),
  };
}

/**
 * Makes `userId` hold `role`; holding it already is fine.
 *
 * @throws when the role is not seeded: a broken migration, not a user's mistake.
 */
export async function grantRole(
  ctx: AppContext,
  userId: number,
  role: RoleName,
  transaction?: Transaction,
): Promise<{ granted: boolean }> {
  const { Role, UserRole } = authModels(ctx.sequelize);
  const roleRow = await Role.findOne({ where: { name: role }, transaction });
  assert(roleRow, `role ${role} is missing: migrations/core_001.ts seeds it`);
  const [, created] = await UserRole.findOrCreate({
    where: { userId, roleId: roleRow.id },
    defaults: { userId, roleId: roleRow.id },
    transaction,
  });
  return { granted: created };
}
