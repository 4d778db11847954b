/**
 * @module
 * Reading the wallet audit trail: a user reads the rows of their own chain; an Admin reads
 * every chain (the system chain included) or one owner's.
 *
 * Rules.
 *  1. Without the Admin role, only rows whose owner is the actor are listed; naming another
 *     owner answers 404, as for anything else of another user's.
 *  2. Newest first (by id), keyset pages; filters by action, entity type and entity id.
 *  3. Reading never changes the trail (audits.ts invariant 5).
 */
import { Op, type WhereOptions } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { walletModels, type AuditAttributes } from './models.ts';

/** What to list. */
export interface AuditListQuery {
  limit: number;
  /** The id the page starts below (null: the newest first). */
  beforeId: number | null;
  ownerUserId?: number;
  action?: string;
  entityType?: string;
  entityId?: string;
}

/**
 * A page of the audit rows the actor may read, newest first.
 *
 * @returns up to `limit + 1` rows; one more than `limit` says another page follows.
 * @throws ProblemError 404 when a non-Admin names another owner.
 */
export async function listAudits(
  ctx: AppContext,
  actor: Actor,
  query: AuditListQuery,
): Promise<AuditAttributes[]> {
  if (!actor.isAdmin && query.ownerUserId !== undefined && query.ownerUserId !== actor.userId) {
    throw notFoundProblem(`There is no audit trail of user ${query.ownerUserId} you can read.`);
  }
  const ownerUserId = actor.isAdmin ? query.ownerUserId : actor.userId;
  const where: WhereOptions<AuditAttributes> = {
    ...(ownerUserId === undefined ? {} : { ownerUserId }),
    ...(query.beforeId === null ? {} : { id: { [Op.lt]: query.beforeId } }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.entityType === undefined ? {} : { entityType: query.entityType }),
    ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
  };
  const { Audit } = walletModels(ctx.sequelize);
  const rows = await Audit.findAll({ where, order: [['id', 'DESC']], limit: query.limit + 1 });
  return rows.map((row) => row.get({ plain: true }));
}
