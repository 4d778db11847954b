/**
 * @module
 * `GET /api/health`: is the database reachable and fully migrated.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { migrationStatus } from '../migrator.ts';
import { healthSchema, type Health } from './schemas.ts';

export function healthRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/health',
      summary: 'Health of the server and its database',
      tags: ['health'],
      access: 'public',
      responses: {
        200: { description: 'Healthy: the database answers and every migration is applied.', schema: healthSchema },
        503: { description: 'Degraded: the database does not answer or migrations are pending.', schema: healthSchema },
      },
    },
    async (c) => {
      const { sequelize } = c.var.ctx;
      const dialect = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
      let health: Health;
      try {
        const status = await migrationStatus(sequelize);
        health = {
          status: status.pending.length === 0 ? 'ok' : 'degraded',
          database: { dialect, reachable: true },
          migrations: { applied: status.applied.length, pending: status.pending },
        };
      } catch (error) {
        c.var.log.error('health check could not reach the database', { error });
        health = { status: 'degraded', database: { dialect, reachable: false }, migrations: { applied: 0, pending: [] } };
      }
      c.header('Cache-Control', 'no-store');
      return c.json(health, health.status === 'ok' ? 200 : 503);
    },
  );
}
