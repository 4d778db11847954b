/**
 * @module
 * Where SMS and email codes go: phone numbers and addresses, normalised, masked for display,
 * and turned into pseudonyms for the per-destination send caps.
 *
 * Invariants:
 *  1. A phone number is stored and sent in E.164 (`+` and 8 to 15 digits); an address is
 *     trimmed and lower-cased. The same destination always yields the same pseudonym.
 *  2. A pseudonym is an HMAC under the MFA key (`mac-key.ts`), so the rate-limit table does not
 *     reveal who receives codes: a plain hash of a phone number is reversed by enumeration.
 *  3. Masks show at most the last 3 digits of a number, and the first character and the domain
 *     of an address.
 */
import type { AppContext } from '../context.ts';
import { macOf } from './mac-key.ts';

/** Channels that carry codes. */
export type CodeChannel = 'sms' | 'email';

/** A phone number in E.164. */
export const isE164PhoneRe = /^\+[1-9]\d{7,14}$/;

/** Longest phone number as typed (spaces, dashes and brackets included). */
export const phoneInputLengthMax = 32;

/**
 * A phone number as typed, in E.164; null when it is not one. Spaces, dashes, dots and
 * brackets are dropped; a leading `00` becomes `+`.
 */
export function normalizePhone(input: string): string | null {
  if (input.length > phoneInputLengthMax) return null;
  const compact = input.replace(/[\s().-]/g, '').replace(/^00/, '+');
  return isE164PhoneRe.test(compact) ? compact : null;
}

/** An email address as stored and compared. */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

/** `+44••••••789`. */
export function maskPhone(phone: string): string {
  const visibleTail = phone.slice(-3);
  const prefix = phone.slice(0, Math.min(3, phone.length - 3));
  return `${prefix}${'•'.repeat(Math.max(0, phone.length - prefix.length - 3))}${visibleTail}`;
}

/** `a•••@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** The mask of a destination on `channel`. */
export function maskDestination(channel: CodeChannel, destination: string): string {
  return channel === 'sms' ? maskPhone(destination) : maskEmail(destination);
}

/** The pseudonym of a normalised destination, for counting what is sent to it. */
export function destinationKey(
  ctx: AppContext,
  channel: CodeChannel,
  destination: string,
): Promise<string> {
  return macOf(ctx, 'destination', `${channel}:${destination}`);
}
