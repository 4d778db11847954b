/**
 * @module
 * Shapes of the risk assessments the API shows an owner: `GET
 * /api/wallets/:id/risk-assessments`. No server imports, so elements may `import type` from
 * here.
 */
import { z } from 'zod';
import { idTextSchema, moneySchema, pageQuerySchema } from './schemas.ts';

/** The bands an assessment ends in. */
export const riskBandSchema = z.enum(['approve', 'review', 'block']);

/** One rule's result: whether it fired, the points it added and why. */
export const riskRuleResultSchema = z.object({
  rule: z.enum(['velocity', 'amount-above-history', 'new-payment-method', 'just-under-limit',
    'new-ip']),
  fired: z.boolean(),
  points: z.number().int().meta({ description: 'Added to the score; 0 when it did not fire.' }),
  reason: z.string(),
});

/** A stored assessment of a debit. */
export const riskAssessmentSchema = z.object({
  id: z.number().int(),
  walletId: z.number().int(),
  transactionId: z.number().int().nullable()
    .meta({ description: 'The posted transaction; null when the debit was blocked.' }),
  paymentMethodId: z.number().int().nullable(),
  amount: moneySchema,
  score: z.number().int(),
  band: riskBandSchema.meta({ description: '`approve` posted, `review` posted and flagged, ' +
    '`block` refused.' }),
  rules: z.array(riskRuleResultSchema),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  assessedAt: z.string(),
});
/** What {@link riskAssessmentSchema} describes, as a TypeScript type. */
export type RiskAssessmentJson = z.infer<typeof riskAssessmentSchema>;

/** `GET /api/wallets/:id/risk-assessments`: newest first, optionally by band or transaction. */
export const riskAssessmentQuerySchema = pageQuerySchema.extend({
  band: riskBandSchema.optional(),
  transactionId: idTextSchema.optional(),
});
