/**
 * @module
 * Shapes of `/api/payment-methods`: what it reads and what it answers.
 *
 * Like `schemas.ts`, no server imports, so elements may `import type` from here. These
 * schemas check shape only (a string where a string belongs, a month from 1 to 12); the
 * service checks what needs the number itself (the Luhn digit, the IBAN's mod-97) or the
 * clock (an expiry in the past).
 *
 * What goes in and what comes out differ on purpose: a request carries a card number or an
 * IBAN, a response never does. It carries `masked` ("•••• 4242", "DE•• •••• 3000") and the
 * brand; the holder's name is stored encrypted and never sent back either.
 */
import { z } from 'zod';
import {
  amountTextSchema,
  currencyCodeSchema,
  moneySchema,
  pageQuerySchema,
} from './schemas.ts';

/** Longest label of a payment method, in characters (the column's width). */
export const paymentMethodLabelLengthMax = 100;

/** Longest card holder or account holder name, in characters. */
export const holderNameLengthMax = 100;

/** Longest number text read by the schema; the service reads it digit by digit. */
const numberTextLengthMax = 48;

/** "Required." for a missing member, else `message`. */
function errorFor(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'Required.' : message);
}

/** The kinds of payment method. */
export const paymentMethodKindSchema = z.enum(['card', 'bank-account', 'other']);

const labelSchema = z.string({ error: errorFor('Must be text.') })
  .max(paymentMethodLabelLengthMax, `Use at most ${paymentMethodLabelLengthMax} characters.`);

const holderNameSchema = z.string({ error: 'Must be text.' })
  .max(holderNameLengthMax, `Use at most ${holderNameLengthMax} characters.`)
  .nullable().optional()
  .meta({ description: 'Stored encrypted; never sent back.' });

const numberTextSchema = (description: string) => z
  .string({ error: errorFor('Must be text, e.g. "4242 4242 4242 4242".') })
  .max(numberTextLengthMax, `Use at most ${numberTextLengthMax} characters.`)
  .meta({ description });

/** The limits of a payment method, in its currency; null removes one. */
const limitsShape = {
  transactionAmountMax: amountTextSchema.nullable().optional()
    .meta({ description: 'Largest debit it may pay, in its currency.' }),
  monthlyLimit: amountTextSchema.nullable().optional()
    .meta({ description: 'Most it may pay in a calendar month (UTC), in its currency.' }),
};

/** `POST /api/payment-methods` for a card. */
export const createCardBodySchema = z.strictObject({
  kind: z.literal('card'),
  label: labelSchema.optional().meta({ description: 'Default: the brand and masked number.' }),
  currency: currencyCodeSchema,
  number: numberTextSchema('The card number: digits, optionally grouped by spaces or dashes.'),
  expiryMonth: z.number({ error: errorFor('Must be a month number from 1 to 12.') })
    .int('Must be a month number from 1 to 12.')
    .min(1, 'Must be a month number from 1 to 12.').max(12, 'Must be a month number from 1 to 12.'),
  expiryYear: z.number({ error: errorFor('Must be the four-digit year on the card.') })
    .int('Must be the four-digit year on the card.')
    .min(2000, 'Must be the four-digit year on the card.')
    .max(2199, 'Must be the four-digit year on the card.'),
  holderName: holderNameSchema,
  ...limitsShape,
});

/** `POST /api/payment-methods` for a bank account: an IBAN or an account number. */
export const createBankAccountBodySchema = z.strictObject({
  kind: z.literal('bank-account'),
  label: labelSchema.optional().meta({ description: 'Default: "Bank account" and the mask.' }),
  currency: currencyCodeSchema,
  iban: numberTextSchema('An IBAN, any case, optionally grouped by spaces.').optional(),
  accountNumber: numberTextSchema('An account number, where there is no IBAN.').optional(),
  holderName: holderNameSchema,
  ...limitsShape,
});

/** `POST /api/payment-methods` for anything else (cash, a voucher): a label, no number. */
export const createOtherBodySchema = z.strictObject({
  kind: z.literal('other'),
  label: labelSchema,
  currency: currencyCodeSchema,
  ...limitsShape,
});

/** `POST /api/payment-methods`: one of the three kinds. */
export const createPaymentMethodBodySchema = z.discriminatedUnion('kind', [
  createCardBodySchema,
  createBankAccountBodySchema,
  createOtherBodySchema,
], { error: 'Must have "kind": "card", "bank-account" or "other".' });
/** What {@link createPaymentMethodBodySchema} parses, as a TypeScript type. */
export type CreatePaymentMethodBody = z.infer<typeof createPaymentMethodBodySchema>;

/** `PATCH /api/payment-methods/:id`: the label and the limits; absent members stay. */
export const updatePaymentMethodBodySchema = z
  .strictObject({ label: labelSchema.optional(), ...limitsShape })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one member to change.');
/** What {@link updatePaymentMethodBodySchema} parses, as a TypeScript type. */
export type UpdatePaymentMethodBody = z.infer<typeof updatePaymentMethodBodySchema>;

/** `GET /api/payment-methods`. */
export const paymentMethodListQuerySchema = pageQuerySchema.extend({
  includeArchived: z.enum(['true', 'false']).transform((flag) => flag === 'true')
    .default(false),
});

/** A payment method in a response: masked, never the number. */
export const paymentMethodSchema = z.object({
  id: z.number().int(),
  kind: paymentMethodKindSchema,
  label: z.string(),
  masked: z.string().nullable()
    .meta({ description: 'The last four characters, e.g. "•••• 4242"; null for `other`.' }),
  brand: z.string().nullable().meta({ description: 'visa, mastercard, amex, ...; cards only.' }),
  expiryMonth: z.number().int().nullable(),
  expiryYear: z.number().int().nullable(),
  expired: z.boolean().meta({ description: 'A card past its expiry month; it pays nothing.' }),
  currency: z.string(),
  transactionAmountMax: moneySchema.nullable(),
  monthlyLimit: moneySchema.nullable(),
  usageCount: z.number().int().meta({ description: 'How many debits it paid.' }),
  usageTotal: moneySchema.meta({ description: 'What it paid in all.' }),
  lastUsedAt: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link paymentMethodSchema} describes, as a TypeScript type. */
export type PaymentMethodJson = z.infer<typeof paymentMethodSchema>;
