/**
 * @module
 * Wallets and transactions as the API sends them: camelCase, ISO 8601 times, and money as
 * `{amount: "12.34", currency: "EUR"}`. Pure functions, so a route and the idempotency layer
 * (which stores the body it answers) produce the same JSON.
 */
import type { WalletAttributes, WalletTransactionAttributes, JsonValue } from './models.ts';
import { toMoney, type Money } from './money.ts';

/** A wallet in a response. */
export type WalletView = {
  id: number;
  name: string;
  currency: string;
  balance: Money;
  overdraftLimit: Money;
  transactionAmountMax: Money | null;
  dailyDebitLimit: Money | null;
  monthlyDebitLimit: Money | null;
  status: WalletAttributes['status'];
  createdAt: string;
  updatedAt: string;
};

/** The transfer side of a transaction in a response. */
export type TransferView = {
  id: string;
  counterWalletId: number;
  counterAmount: Money;
  /** 1 unit of the transfer's source currency = `rate` target units; null in one currency. */
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
};

/** A transaction in a response. */
export type TransactionView = {
  id: number;
  walletId: number;
  sequence: number;
  type: WalletTransactionAttributes['type'];
  origin: WalletTransactionAttributes['origin'];
  amount: Money;
  balanceAfter: Money;
  description: string | null;
  counterparty: string | null;
  categoryId: number | null;
  paymentMethodId: number | null;
  tags: string[];
  metadata: { [key: string]: JsonValue };
  occurredAt: string;
  postedAt: string;
  reversalOf: number | null;
  reversedBy: number | null;
  transfer: TransferView | null;
};

/** A wallet as the API sends it. */
export function walletView(wallet: WalletAttributes): WalletView {
  const money = (minor: bigint | null) => (minor === null ? null : toMoney(minor, wallet.currency));
  return {
    id: wallet.id,
    name: wallet.name,
    currency: wallet.currency,
    balance: toMoney(wallet.balanceMinor, wallet.currency),
    overdraftLimit: toMoney(wallet.overdraftLimitMinor, wallet.currency),
    transactionAmountMax: money(wallet.transactionAmountMaxMinor),
    dailyDebitLimit: money(wallet.dailyDebitLimitMinor),
    monthlyDebitLimit: money(wallet.monthlyDebitLimitMinor),
    status: wallet.status,
    createdAt: wallet.createdAt.toISOString(),
    updatedAt: wallet.updatedAt.toISOString(),
  };
}

/** A transaction as the API sends it. */
export function transactionView(entry: WalletTransactionAttributes): TransactionView {
  return {
    id: entry.id,
    walletId: entry.walletId,
    sequence: entry.sequence,
    type: entry.type,
    origin: entry.origin,
    amount: toMoney(entry.amountMinor, entry.currency),
    balanceAfter: toMoney(entry.balanceAfterMinor, entry.currency),
    description: entry.description,
    counterparty: entry.counterparty,
    categoryId: entry.categoryId,
    paymentMethodId: entry.paymentMethodId,
    tags: entry.tags,
    metadata: entry.metadata,
    occurredAt: entry.occurredAt.toISOString(),
    postedAt: entry.postedAt.toISOString(),
    reversalOf: entry.reversalOfId,
    reversedBy: entry.reversedById,
    transfer: transferView(entry),
  };
}

function transferView(entry: WalletTransactionAttributes): TransferView | null {
  if (entry.transferId === null) return null;
  const { counterWalletId, counterAmountMinor, counterCurrency } = entry;
  if (counterWalletId === null || counterAmountMinor === null || counterCurrency === null) {
    return null;
  }
  return {
    id: entry.transferId,
    counterWalletId,
    counterAmount: toMoney(counterAmountMinor, counterCurrency),
    rate: entry.rate,
    rateDate: entry.rateDate,
    rateSource: entry.rateSource,
  };
}
