/**
 * @module
 * What makes a password acceptable. Pure and free of server imports, so the request schemas
 * (which elements import types from) and the server's own checks share one set of rules.
 *
 * Rules, each reported with its own message:
 *  1. At least {@link passwordLengthMin} and at most {@link passwordLengthMax} characters.
 *  2. At most {@link passwordBytesMax} bytes in UTF-8. bcrypt reads only the first 72 bytes;
 *     a longer password would be cut silently, so that `secret…A` and `secret…B` would both
 *     unlock the account. Refusing it is honest; truncating it is not.
 *  3. Not the username, in any letter case.
 */

/** Fewest characters a password may have. */
export const passwordLengthMin = 10;

/** Most characters a password may have. */
export const passwordLengthMax = 128;

/** Most UTF-8 bytes a password may have: everything past bcrypt's 72nd byte is ignored. */
export const passwordBytesMax = 72;

const utf8 = new TextEncoder();

/** Length of `password` in UTF-8 bytes. */
export function passwordByteLength(password: string): number {
  return utf8.encode(password).length;
}

/** The message for a password longer than bcrypt reads. */
export const passwordTooManyBytesMessage =
  `Use at most ${passwordBytesMax} bytes: accented letters and emoji take 2 to 4 bytes each.`;

/** The message for a password equal to the username. */
export const passwordIsUsernameMessage = 'The password must not be the username.';

/**
 * Every rule `password` breaks, as messages for the person choosing it; empty when it is fine.
 *
 * @param password - the proposed password.
 * @param username - the account's username; the password must differ from it.
 * @returns one message per broken rule.
 * @example passwordRuleViolations('short', 'alice'); // ['Use at least 10 characters.']
 */
export function passwordRuleViolations(password: string, username: string): string[] {
  const violations: string[] = [];
  if (password.length < passwordLengthMin) {
    violations.push(`Use at least ${passwordLengthMin} characters.`);
  }
  if (password.length > passwordLengthMax) {
    violations.push(`Use at most ${passwordLengthMax} characters.`);
  } else if (passwordByteLength(password) > passwordBytesMax) {
    violations.push(passwordTooManyBytesMessage);
  }
  if (password.toLowerCase() === username.trim().toLowerCase()) {
    violations.push(passwordIsUsernameMessage);
  }
  return violations;
}
