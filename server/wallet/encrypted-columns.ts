/**
 * @module
 * The wallet columns that hold keyring tokens, registered for `npm run keys:rotate`. Imported
 * only by `server/crypto/registered-columns.ts`, so merely loading the server registers nothing.
 */
import { registerEncryptedColumn, type EncryptedColumn } from '../crypto/encrypted-columns.ts';

/** Every wallet column whose values are keyring tokens. */
export const walletEncryptedColumns: readonly EncryptedColumn[] = Object.freeze([
  // A payment method's number, IBAN or account number and holder name, as JSON.
  { table: 'ab_payment_methods', primaryKey: 'id', column: 'details_token' },
]);

for (const column of walletEncryptedColumns) registerEncryptedColumn(column);
