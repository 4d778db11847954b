/**
 * @module
 * MFA policies: which rules apply to an account, and how an Admin manages them.
 *
 * Precedence, deterministic:
 *  1. A policy applies to an account when it names no role (org-wide) or names a role the
 *     account holds.
 *  2. Of the applicable policies the one with the highest `priority` wins; equal priorities go
 *     to the older policy (lower id). Exactly one policy applies, so there is no merging.
 *  3. With no applicable policy at all, {@link builtInPolicy} applies: optional, TOTP only.
 *
 * Invariants:
 *  - every bound of a policy lies in its range (checked by the zod schema, asserted here and
 *    again by the table's CHECK constraints): at most 10 failed attempts, a TOTP window of 0..2;
 *  - at most {@link policiesMax} policies exist;
 *  - SMS and email are usable only where the applying policy allows them.
 */
import assert from 'node:assert/strict';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { authModels } from '../auth/models.ts';
import { rolesOfUser } from '../auth/users.ts';
import type { AppContext } from '../context.ts';
import { notFoundProblem, validationProblem } from '../http/problem.ts';
import { mfaModels, type PolicyRow } from './models.ts';
import { policyConflictProblem } from './problems.ts';
import {
  failedAttemptsMaxDefault,
  failedAttemptsMaxLimit,
  lockoutMinutesDefault,
  policiesMax,
  primaryMethodSchema,
  type PolicyBody,
  type PrimaryMethod,
} from './schemas.ts';
import { totpWindowStepsDefault, totpWindowStepsMax } from './totp.ts';

/** A policy as the services use it; `id` null only for {@link builtInPolicy}. */
export interface MfaPolicy {
  id: number | null;
  name: string;
  priority: number;
  /** Role names; empty means org-wide. */
  roles: string[];
  enforcement: 'required' | 'optional';
  allowedMethods: PrimaryMethod[];
  gracePeriodDays: number | null;
  gracePromptsMax: number | null;
  setupDeadline: Date | null;
  maxFailedAttempts: number;
  lockoutMinutes: number;
  totpWindowSteps: number;
  rememberDeviceDays: number;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** What applies when no policy does (every policy deleted). */
export const builtInPolicy: MfaPolicy = Object.freeze({
  id: null,
  name: 'Built-in default',
  priority: 0,
  roles: [],
  enforcement: 'optional',
  allowedMethods: ['totp'],
  gracePeriodDays: null,
  gracePromptsMax: null,
  setupDeadline: null,
  maxFailedAttempts: failedAttemptsMaxDefault,
  lockoutMinutes: lockoutMinutesDefault,
  totpWindowSteps: totpWindowStepsDefault,
  rememberDeviceDays: 0,
  createdAt: null,
  updatedAt: null,
}) as MfaPolicy;

function toPolicy(row: PolicyRow, roleNames: string[]): MfaPolicy {
  assert(row.enforcement === 'required' || row.enforcement === 'optional');
  const allowedMethods = row.allowedMethods.split(',').map((method) => {
    return primaryMethodSchema.parse(method);
  });
  assert(allowedMethods.length >= 1, 'a policy allows at least one method');
  assert(row.maxFailedAttempts >= 1 && row.maxFailedAttempts <= failedAttemptsMaxLimit);
  assert(row.totpWindowSteps >= 0 && row.totpWindowSteps <= totpWindowStepsMax);
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    roles: [...roleNames].sort(),
    enforcement: row.enforcement,
    allowedMethods,
    gracePeriodDays: row.gracePeriodDays,
    gracePromptsMax: row.gracePromptsMax,
    setupDeadline: row.setupDeadline,
    maxFailedAttempts: row.maxFailedAttempts,
    lockoutMinutes: row.lockoutMinutes,
    totpWindowSteps: row.totpWindowSteps,
    rememberDeviceDays: row.rememberDeviceDays,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Every policy with its role names, in precedence order (rule 2). */
async function allPolicies(ctx: AppContext, transaction?: Transaction): Promise<MfaPolicy[]> {
  const { Policy, PolicyRole } = mfaModels(ctx.sequelize);
  const { Role } = authModels(ctx.sequelize);
  const [rows, links, roles] = await Promise.all([
    Policy.findAll({
      order: [
        ['priority', 'DESC'],
        ['id', 'ASC'],
      ],
      transaction,
    }),
    PolicyRole.findAll({ transaction }),
    Role.findAll({ transaction }),
  ]);
  assert(rows.length <= policiesMax);
  const roleNameById = new Map(roles.map((role) => [role.id, role.name]));
  return rows.map((row) => {
    const names = links
      .filter((link) => link.policyId === row.id)
      .map((link) => roleNameById.get(link.roleId) ?? '');
    return toPolicy(row, names);
  });
}

/**
 * The policy that applies to `userId` (see the module's precedence rules).
 *
 * @param ctx - the server's context.
 * @param userId - the account.
 * @returns the applying policy, or {@link builtInPolicy}.
 */
export async function effectivePolicy(ctx: AppContext, userId: number): Promise<MfaPolicy> {
  const [policies, roles] = await Promise.all([allPolicies(ctx), rolesOfUser(ctx, userId)]);
  const held = new Set(roles);
  const applying = policies.find(
    (policy) => policy.roles.length === 0 || policy.roles.some((role) => held.has(role)),
  );
  return applying ?? builtInPolicy;
}

/** Whether `policy` lets an account use `method`. Backup codes go with any method. */
export function policyAllows(policy: MfaPolicy, method: PrimaryMethod): boolean {
  return policy.allowedMethods.includes(method);
}

/** Policies by id, `limit` at a time after `afterId`; for the Admin list. */
export async function listPolicies(
  ctx: AppContext,
  page: { limit: number; afterId: number | null },
): Promise<{ policies: MfaPolicy[]; more: boolean }> {
  const policies = (await allPolicies(ctx))
    .filter((policy) => page.afterId === null || (policy.id ?? 0) > page.afterId)
    .sort((left, right) => (left.id ?? 0) - (right.id ?? 0));
  return { policies: policies.slice(0, page.limit), more: policies.length > page.limit };
}

/** The policy `id`, or a 404 problem. */
export async function findPolicy(ctx: AppContext, id: number): Promise<MfaPolicy> {
  const policy = (await allPolicies(ctx)).find((candidate) => candidate.id === id);
  if (!policy) throw notFoundProblem(`There is no MFA policy ${id}.`);
  return policy;
}

/**
 * Creates a policy (`id` null) or replaces policy `id` with `body`.
 *
 * @throws ProblemError 400 naming an unknown role, 404 for an unknown id, 409 for a name
 *   taken or a policy beyond {@link policiesMax}.
 */
export async function savePolicy(
  ctx: AppContext,
  id: number | null,
  body: PolicyBody,
): Promise<MfaPolicy> {
  const { Policy, PolicyRole } = mfaModels(ctx.sequelize);
  const roleIds = await roleIdsOf(ctx, body.roles);
  const now = ctx.clock.now();
  const fields = policyFields(body, now);
  try {
    const savedId = await ctx.sequelize.transaction(async (transaction) => {
      let policyId: number;
      if (id === null) {
        const count = await Policy.count({ transaction });
        if (count >= policiesMax) {
          throw policyConflictProblem(`An installation has at most ${policiesMax} policies.`);
        }
        policyId = (await Policy.create({ ...fields, createdAt: now }, { transaction })).id;
      } else {
        const [changed] = await Policy.update(fields, { where: { id }, transaction });
        if (changed === 0) throw notFoundProblem(`There is no MFA policy ${id}.`);
        policyId = id;
      }
      await PolicyRole.destroy({ where: { policyId }, transaction });
      await PolicyRole.bulkCreate(
        roleIds.map((roleId) => ({ policyId, roleId })),
        { transaction },
      );
      return policyId;
    });
    return await findPolicy(ctx, savedId);
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      throw policyConflictProblem(`A policy named "${body.name}" exists.`);
    }
    throw error;
  }
}

function policyFields(body: PolicyBody, now: Date) {
  return {
    name: body.name,
    priority: body.priority,
    enforcement: body.enforcement,
    allowedMethods: body.allowedMethods.join(','),
    gracePeriodDays: body.gracePeriodDays,
    gracePromptsMax: body.gracePromptsMax,
    setupDeadline: body.setupDeadline === null ? null : new Date(body.setupDeadline),
    maxFailedAttempts: body.maxFailedAttempts,
    lockoutMinutes: body.lockoutMinutes,
    totpWindowSteps: body.totpWindowSteps,
    rememberDeviceDays: body.rememberDeviceDays,
    updatedAt: now,
  };
}

async function roleIdsOf(ctx: AppContext, names: string[]): Promise<number[]> {
  const { Role } = authModels(ctx.sequelize);
  const roles =
    names.length === 0 ? [] : await Role.findAll({ where: { name: { [Op.in]: names } } });
  const unknown = names
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !roles.some((role) => role.name === name));
  if (unknown.length > 0) {
    throw validationProblem(
      unknown.map(({ name, index }) => ({
        path: `body.roles.${index}`,
        message: `There is no role ${name}.`,
      })),
    );
  }
  return roles.map((role) => role.id);
}

/**
 * Deletes policy `id`. Deleting the last policy is allowed: {@link builtInPolicy} then applies.
 *
 * @returns the deleted policy.
 * @throws ProblemError 404 for an unknown id.
 */
export async function deletePolicy(ctx: AppContext, id: number): Promise<MfaPolicy> {
  const policy = await findPolicy(ctx, id);
  const { Policy, PolicyRole } = mfaModels(ctx.sequelize);
  await ctx.sequelize.transaction(async (transaction) => {
    await PolicyRole.destroy({ where: { policyId: id }, transaction });
    await Policy.destroy({ where: { id }, transaction });
  });
  return policy;
}
