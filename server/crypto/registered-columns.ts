/**
 * @module
 * Loads every module that declares an encrypted column, so that `npm run keys:rotate` knows
 * them all.
 *
 * A domain that stores keyring tokens registers each column with `registerEncryptedColumn`
 * (from `./encrypted-columns.ts`) at the top level of one of its own modules, and adds a
 * side-effect import of that module here, for example:
 *
 * ```ts
 * import '../mfa/encrypted-columns.ts';
 * import '../wallet/encrypted-columns.ts';
 * ```
 *
 * A column missing from this list is never re-encrypted, so dropping an old key afterwards
 * would make its values unreadable.
 */
import '../mfa/encrypted-columns.ts';
import '../wallet/encrypted-columns.ts';
