/**
 * @module
 * The demo data: a demo user with three wallets, a category of their own, budgets and a year
 * of realistic transactions, so the demo page and the wallet elements have something to show;
 * also a card and three recurring rules (salary, rent, and a subscription that waits for
 * approval).
 *
 * Rules.
 *  1. Seeded only into the default SQLite database, or into any database when `SEED_DEMO=1`;
 *     never into a database named by `DATABASE_URL` otherwise (design.md).
 *  2. Seeded once: when the demo user already exists nothing is done, so a restart, or a
 *     second process starting at the same time (the unique username decides), changes nothing.
 *  3. Everything goes through the same services as the API (registration, ledger, transfers,
 *     budgets), so the demo data obeys every rule and `wallet:verify` finds it clean.
 *  4. The data is the same on every run for a given start date: a seeded generator, no
 *     `Math.random`, and times from the context's clock.
 */
import { UniqueConstraintError } from 'sequelize';
import type { AppContext } from '../context.ts';
import { registerUser } from '../auth/service.ts';
import { findUserByUsername } from '../auth/users.ts';
import type { Actor } from '../wallet/actor.ts';
import { createBudget } from '../wallet/budgets.ts';
import { createCategory, listCategories } from '../wallet/categories.ts';
import { createPaymentMethod } from '../wallet/payment-methods.ts';
import { createRecurring } from '../wallet/recurring.ts';
import { postTransactionMinor } from '../wallet/ledger.ts';
import { transferBetweenWallets } from '../wallet/transfers.ts';
import { addDays } from '../wallet/budget-periods.ts';
import { utcDateOf } from '../wallet/utc-dates.ts';
import { createWallet } from '../wallet/wallets.ts';
import { demoYear, type DemoEntry } from './demo-year.ts';

/** The demo account; its password is public on purpose: it guards only made-up data. */
export const demoAccount = Object.freeze({
  username: 'demo',
  password: 'demo-wallet-2026',
  email: 'demo@ab-elements.invalid',
  firstName: 'Dana',
  lastName: 'Demo',
});

/** What seeding did. */
export type SeedOutcome =
  | { seeded: false; reason: 'not-default-database' | 'already-seeded' }
  | { seeded: true; userId: number; transactions: number };

/** Whether rule 1 lets the demo data into this context's database. */
export function demoSeedAllowed(ctx: AppContext): boolean {
  const { database, seedDemo } = ctx.config;
  return seedDemo || (database.dialect === 'sqlite' && database.isDefault);
}

/**
 * Seeds the demo data when rules 1 and 2 allow it.
 *
 * @returns what was done; a skipped seed says why.
 */
export async function seedDemoData(ctx: AppContext): Promise<SeedOutcome> {
  if (!demoSeedAllowed(ctx)) return { seeded: false, reason: 'not-default-database' };
  if (await findUserByUsername(ctx, demoAccount.username)) {
    return { seeded: false, reason: 'already-seeded' };
  }
  let userId: number;
  try {
    userId = (await registerUser(ctx, demoAccount)).id;
  } catch (error) {
    // Another process registered it first (rule 2): that one seeds.
    if (error instanceof UniqueConstraintError || isConflict(error)) {
      return { seeded: false, reason: 'already-seeded' };
    }
    throw error;
  }
  const actor: Actor = { userId, isAdmin: false, ip: null, userAgent: 'demo seed' };
  const transactions = await seedWallets(ctx, actor);
  return { seeded: true, userId, transactions };
}

function isConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error &&
    (error as { status: unknown }).status === 409;
}

async function seedWallets(ctx: AppContext, actor: Actor): Promise<number> {
  const everyday = await createWallet(ctx, actor,
    { name: 'Everyday', currency: 'EUR', overdraftLimit: '500.00' });
  const savings = await createWallet(ctx, actor, { name: 'Savings', currency: 'EUR' });
  const travel = await createWallet(ctx, actor, { name: 'Travel', currency: 'USD' });
  const categories = await categoryIds(ctx, actor);
  const coffee = await createCategory(ctx, actor,
    { name: 'Coffee', kind: 'expense', parentId: categories.get('food') ?? null });
  categories.set('food.coffee', coffee.id);
  // Up to yesterday, so no entry lies after now, whatever the hour.
  const last = addDays(utcDateOf(ctx.clock.now()), -1);
  const first = addDays(last, -364);
  const wallets = { everyday: everyday.id, savings: savings.id, travel: travel.id };
  let count = 0;
  for (const entry of demoYear(first, last)) {
    await postEntry(ctx, actor, entry, wallets, categories);
    count += entry.kind === 'transfer' ? 2 : 1;
  }
  const monthly = { period: 'monthly' as const, walletId: everyday.id, startsOn: first };
  await createBudget(ctx, actor, { ...monthly, name: 'Groceries', limit: '420.00',
    categoryId: categories.get('food.groceries') ?? null, rollover: 'surplus' });
  await createBudget(ctx, actor, { ...monthly, name: 'Eating out', limit: '160.00',
    categoryId: categories.get('food.restaurants') ?? null });
  await createBudget(ctx, actor, { ...monthly, name: 'Everything', limit: '2600.00',
    categoryId: null, alertThresholdsPercent: [80, 100] });
  await createBudget(ctx, actor, { name: 'Trips', period: 'yearly', walletId: travel.id,
    limit: '2500.00', startsOn: first, categoryId: categories.get('travel') ?? null });
  await seedPlans(ctx, actor, everyday.id, categories, last);
  return count;
}

async function categoryIds(ctx: AppContext, actor: Actor): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const category of await listCategories(ctx, actor, { limit: 200, afterId: null,
    includeArchived: false })) {
    if (category.systemKey !== null) ids.set(category.systemKey, category.id);
  }
  return ids;
}

async function postEntry(
  ctx: AppContext,
  actor: Actor,
  entry: DemoEntry,
  wallets: Record<DemoEntry['wallet'], number>,
  categories: Map<string, number>,
): Promise<void> {
  const details = { description: entry.description, counterparty: entry.counterparty ?? null,
    tags: entry.tags ?? [], occurredAt: entry.occurredAt };
  if (entry.kind === 'transfer') {
    await transferBetweenWallets(ctx, actor, { ...details, sourceWalletId: wallets[entry.wallet],
      targetWalletId: wallets[entry.to], amount: entry.amount });
    return;
  }
  await postTransactionMinor(ctx, actor, { ...details, walletId: wallets[entry.wallet],
    // A year of history entered at once is an import: not a person's live postings, which
    // the risk rules (velocity, amount history) are for.
    type: entry.kind, amountMinor: entry.amountMinor, origin: 'import',
    categoryId: entry.category === undefined ? null : categories.get(entry.category) ?? null });
}

/**
 * A card (the well-known Visa test number, valid for years) and the rules that go on paying
 * what the year above paid by hand, from today, the day after the history ends, so no day is
 * paid twice.
 */
async function seedPlans(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  categories: Map<string, number>,
  last: string,
): Promise<void> {
  const year = Number(last.slice(0, 4));
  await createPaymentMethod(ctx, actor, { kind: 'card', label: 'Everyday Visa',
    currency: 'EUR', number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: year + 3,
    holderName: `${demoAccount.firstName} ${demoAccount.lastName}`,
    monthlyLimit: '1500.00' });
  const today = addDays(last, 1);
  await createRecurring(ctx, actor, { walletId, type: 'credit', amount: '3200.00',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', startsOn: today, description: 'Salary',
    counterparty: 'Acme GmbH', tags: ['work'], categoryId: categories.get('income.salary') ?? null,
    weekendPolicy: 'previous-business-day' });
  await createRecurring(ctx, actor, { walletId, type: 'debit', amount: '1150.00',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=2', startsOn: today, description: 'Rent',
    counterparty: 'Berg Property', categoryId: categories.get('housing.rent') ?? null });
  await createRecurring(ctx, actor, { walletId, type: 'debit', amount: '12.99',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', startsOn: today, description: 'Streaming plan',
    counterparty: 'StreamFlix', tags: ['subscription'], requiresApproval: true,
    categoryId: categories.get('entertainment.streaming') ?? null });
}
