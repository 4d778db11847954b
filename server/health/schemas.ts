/**
 * @module
 * Shapes of the health check.
 */
import { z } from 'zod';

/** `GET /api/health`. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ dialect: z.enum(['sqlite', 'postgres']), reachable: z.boolean() }),
  migrations: z.object({ applied: z.number().int(), pending: z.array(z.string()) }),
});
export type Health = z.infer<typeof healthSchema>;
