/**
 * @module
 * A year in the life of the demo user, as a pure function of its first and last day: pay, rent,
 * bills and subscriptions on fixed days; groceries every week; coffee, meals out, transport and
 * shopping on days a seeded generator picks; savings moved every month; two trips paid from a
 * USD wallet. Amounts are whole minor units from integer arithmetic: never a float.
 */
import { addDays } from '../wallet/budget-periods.ts';

/** Which of the demo user's wallets an entry goes to. */
export type DemoWallet = 'everyday' | 'savings' | 'travel';

interface DemoDetails {
  wallet: DemoWallet;
  /** When the money moved (noon UTC on its day, or the hour given). */
  occurredAt: string;
  description: string;
  counterparty?: string;
  tags?: string[];
}

/** A credit or a debit of `amountMinor`, in a system category named by its key. */
export interface DemoPosting extends DemoDetails {
  kind: 'credit' | 'debit';
  amountMinor: bigint;
  category?: string;
}

/** A transfer between two of the demo user's wallets (same currency here). */
export interface DemoTransfer extends DemoDetails {
  kind: 'transfer';
  to: DemoWallet;
  /** A decimal string, as the transfer service reads it. */
  amount: string;
}

/** One line of the demo year. */
export type DemoEntry = DemoPosting | DemoTransfer;

/** mulberry32: a small seeded generator, so every run of the seed makes the same year. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number of minor units in [low, high], from the generator. */
function between(random: () => number, low: number, high: number): bigint {
  return BigInt(low + Math.floor(random() * (high - low + 1)));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const restaurants = ['Trattoria Roma', 'Sushi Kaito', 'Bistro Nord', 'Taqueria Sol'];
const groceries = ['FreshMart', 'BioMarkt'];
const clothing = ['Nordwind Outfitters', 'Atelier Lin'];

/**
 * Every entry from `first` to `last` (calendar dates, inclusive), oldest first.
 *
 * @example
 * demoYear('2025-11-26', '2026-11-25').length; // about 500 entries
 */
export function demoYear(first: string, last: string): DemoEntry[] {
  const random = seededRandom(20261125);
  const entries: DemoEntry[] = [];
  const at = (date: string, hour = 12) => `${date}T${String(hour).padStart(2, '0')}:00:00Z`;
  const debit = (date: string, category: string, low: number, high: number,
    rest: Omit<DemoPosting, 'kind' | 'amountMinor' | 'occurredAt' | 'category'>,
    hour?: number) => entries.push({ kind: 'debit', category, occurredAt: at(date, hour),
    amountMinor: between(random, low, high), ...rest });
  const credit = (date: string, category: string | undefined, amountMinor: bigint,
    rest: Omit<DemoPosting, 'kind' | 'amountMinor' | 'occurredAt' | 'category'>) =>
    entries.push({ kind: 'credit', category, occurredAt: at(date, 8), amountMinor, ...rest });
  const everyday = { wallet: 'everyday' as const };
  const tripDays = new Set<string>();
  for (const tripStart of [addDays(first, 160), addDays(first, 290)]) {
    for (let day = 0; day < 6; day++) tripDays.add(addDays(tripStart, day));
  }
  credit(first, undefined, 40_000n, { ...everyday, description: 'Opening balance' });
  credit(first, undefined, 250_000n, { wallet: 'travel', description: 'Travel money' });
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const dayOfMonth = Number(date.slice(8, 10));
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (dayOfMonth === 1) {
      credit(date, 'income.salary', 320_000n, { ...everyday, description: 'Salary',
        counterparty: 'Acme GmbH', tags: ['work'] });
      debit(date, 'transport.public', 4_900, 4_900, { ...everyday,
        description: 'Monthly travel pass', counterparty: 'Metro Transit' });
      debit(date, 'entertainment.streaming', 1_299, 1_299, { ...everyday,
        description: 'Streaming plan', counterparty: 'StreamFlix', tags: ['subscription'] });
    }
    if (dayOfMonth === 2) {
      debit(date, 'housing.rent', 115_000, 115_000, { ...everyday, description: 'Rent',
        counterparty: 'Berg Property' });
    }
    if (dayOfMonth === 3) {
      entries.push({ kind: 'transfer', ...everyday, to: 'savings', amount: '300.00',
        occurredAt: at(date, 9), description: 'Monthly saving' });
    }
    if (dayOfMonth === 5) {
      debit(date, 'utilities.electricity', 5_800, 9_600, { ...everyday,
        description: 'Electricity', counterparty: 'City Power', tags: ['bills'] });
      debit(date, 'utilities.internet', 3_999, 3_999, { ...everyday,
        description: 'Fibre and phone', counterparty: 'FiberNet', tags: ['bills', 'subscription'] });
    }
    if (dayOfMonth === 28 && ['03', '06', '09', '12'].includes(date.slice(5, 7))) {
      credit(date, 'income.interest', between(random, 900, 1_900), { wallet: 'savings',
        description: 'Interest', counterparty: 'Savings Bank' });
    }
    if (tripDays.has(date)) {
      debit(date, 'travel.lodging', 9_000, 16_000, { wallet: 'travel', description: 'Hotel',
        counterparty: 'Harbor Inn', tags: ['trip'] });
      debit(date, 'food.restaurants', 1_800, 6_500, { wallet: 'travel', description: 'Dinner',
        counterparty: pick(random, restaurants), tags: ['trip'] }, 20);
      continue;
    }
    if (weekday === 6) {
      debit(date, 'food.groceries', 3_500, 12_000, { ...everyday, description: 'Weekly shop',
        counterparty: pick(random, groceries), tags: ['weekly'] }, 10);
    }
    if (weekday === 3) {
      debit(date, 'food.groceries', 900, 3_200, { ...everyday, description: 'Top-up shop',
        counterparty: 'Corner Shop' }, 18);
    }
    if (weekday >= 1 && weekday <= 5 && random() < 0.6) {
      debit(date, 'food.coffee', 320, 480, { ...everyday, description: 'Flat white',
        counterparty: 'Café Lumen' }, 8);
    }
    if (random() < 0.25) {
      debit(date, 'food.restaurants', 1_800, 6_500, { ...everyday, description: 'Dinner out',
        counterparty: pick(random, restaurants) }, 20);
    }
    if (random() < 0.05) {
      debit(date, 'shopping.clothing', 2_500, 14_000, { ...everyday, description: 'Clothes',
        counterparty: pick(random, clothing) }, 15);
    }
    if (random() < 0.03) {
      debit(date, 'health.pharmacy', 450, 3_800, { ...everyday, description: 'Pharmacy',
        counterparty: 'Green Cross Pharmacy' }, 17);
    }
    if (random() < 0.04) {
      debit(date, 'entertainment.events', 2_000, 9_000, { ...everyday, description: 'Tickets',
        counterparty: 'City Arena', tags: ['weekend'] }, 19);
    }
  }
  return entries;
}
