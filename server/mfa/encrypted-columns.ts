/**
 * @module
 * The MFA columns that hold keyring tokens, registered for `npm run keys:rotate`. Imported only
 * by `server/crypto/registered-columns.ts`, so merely loading the server registers nothing.
 */
import { registerEncryptedColumn, type EncryptedColumn } from '../crypto/encrypted-columns.ts';

/** Every MFA column whose values are keyring tokens. */
export const mfaEncryptedColumns: readonly EncryptedColumn[] = Object.freeze([
  { table: 'ab_user_mfa', primaryKey: 'id', column: 'totp_secret' },
  { table: 'ab_user_mfa', primaryKey: 'id', column: 'phone' },
  { table: 'ab_mfa_totp_enrolments', primaryKey: 'id', column: 'secret' },
  { table: 'ab_mfa_otp_codes', primaryKey: 'id', column: 'destination' },
  { table: 'ab_mfa_outbox', primaryKey: 'id', column: 'recipient' },
  { table: 'ab_mfa_outbox', primaryKey: 'id', column: 'body' },
  { table: 'ab_mfa_keys', primaryKey: 'purpose', column: 'secret' },
]);

for (const column of mfaEncryptedColumns) registerEncryptedColumn(column);
