/**
 * @module
 * Every wallet route, mounted under `/api` by `server/app.ts`: wallets, transactions and
 * transfers, CSV import, categories, budgets, rates, audits, analytics, payment methods, risk
 * assessments and recurring rules. Each family is declared in its own file; this one only
 * lists them.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { analyticsRoutes } from './analytics-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { budgetRoutes } from './budget-routes.ts';
import { categoryRoutes } from './category-routes.ts';
import { importRoutes } from './import-routes.ts';
import { paymentMethodRoutes } from './payment-method-routes.ts';
import { rateRoutes } from './rate-routes.ts';
import { recurringRoutes } from './recurring-routes.ts';
import { riskRoutes } from './risk-routes.ts';
import { transactionRoutes } from './transaction-routes.ts';
import { walletRoutes } from './wallet-routes.ts';

/** Declares the wallet API on `router`. */
export function walletApiRoutes(router: ApiRouter): void {
  walletRoutes(router);
  transactionRoutes(router);
  importRoutes(router);
  categoryRoutes(router);
  budgetRoutes(router);
  rateRoutes(router);
  recurringRoutes(router);
  auditRoutes(router);
  paymentMethodRoutes(router);
  riskRoutes(router);
  analyticsRoutes(router);
}
