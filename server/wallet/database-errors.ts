/**
 * @module
 * Telling database errors apart on both dialects.
 *
 * Sequelize's SQLite dialect reports every SQLITE_CONSTRAINT failure, a CHECK included, as a
 * `UniqueConstraintError`; only the driver's message tells a unique violation from the rest.
 * Code that turns a duplicate into a friendly 409 must not turn a broken CHECK into one.
 */
import { UniqueConstraintError } from 'sequelize';

/** Whether `error` is a violated unique index or primary key (not a CHECK or foreign key). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof UniqueConstraintError)) return false;
  const parent = error.parent as Error & { code?: unknown };
  if (parent.code === '23505') return true;
  return /UNIQUE constraint failed/.test(parent.message);
}
