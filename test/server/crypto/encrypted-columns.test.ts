import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sequelize } from 'sequelize';
import { ManualClock } from '../../../server/clock.ts';
import { loadConfig } from '../../../server/config.ts';
import {
  encryptedColumns,
  registerEncryptedColumn,
  rotateEncryptedColumns,
  rotationBatchRowsMax,
} from '../../../server/crypto/encrypted-columns.ts';
import { generateFernetKey, parseFernetKey } from '../../../server/crypto/fernet.ts';
import { Keyring } from '../../../server/crypto/keyring.ts';
import { openDatabase } from '../../../server/database.ts';
import { createLogger } from '../../../server/logger.ts';
import { createEmptyDatabase, testDialect } from '../support/test-context.ts';
import {
  createVaultTables,
  insertVaultRows,
  readVaultTokens,
  vaultLabels,
  vaultNotes,
  type VaultRow,
} from './support/vault-columns.ts';

const clock = new ManualClock('2026-03-01T09:00:00Z');
const newKey = parseFernetKey(generateFernetKey());
const oldKey = parseFernetKey(generateFernetKey());
const oldRing = new Keyring([oldKey], clock);
const newRing = new Keyring([newKey], clock);
const rotatingRing = new Keyring([newKey, oldKey], clock);

/** A migrated-enough database: empty, on the test dialect, with the vault tables. */
async function openVaultDatabase(): Promise<{ sequelize: Sequelize; close(): Promise<void> }> {
  const database = await createEmptyDatabase();
  const sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
  await createVaultTables(sequelize);
  return {
    sequelize,
    close: async () => {
      await sequelize.close();
      await database.drop();
    },
  };
}

describe('the encrypted column registry', () => {
  it('lists what the domains registered, in order', () => {
    assert.deepEqual(encryptedColumns(), [vaultNotes, vaultLabels]);
  });

  it('refuses the same column twice', () => {
    assert.throws(() => registerEncryptedColumn({ ...vaultNotes }), assert.AssertionError);
    assert.equal(encryptedColumns().length, 2);
  });

  it('refuses names that are not plain identifiers', () => {
    const bad = ['', 'ab_user; DROP TABLE ab_user', 'a"b', '1table', 'x'.repeat(64)];
    for (const name of bad) {
      const attempts = [
        { table: name, primaryKey: 'id', column: 'secret' },
        { table: 'ab_table', primaryKey: name, column: 'secret' },
        { table: 'ab_table', primaryKey: 'id', column: name },
      ];
      for (const attempt of attempts) {
        assert.throws(() => registerEncryptedColumn(attempt), assert.AssertionError);
      }
    }
    assert.equal(encryptedColumns().length, 2);
  });

  it('cannot be changed from outside', () => {
    const listed = encryptedColumns();
    assert.throws(() => (listed as unknown[]).push(vaultNotes), TypeError);
    assert.equal(encryptedColumns().length, 2);
  });
});

describe(`rotateEncryptedColumns on ${testDialect}`, () => {
  describe('with old, new and empty values across several batches', () => {
    let database: Awaited<ReturnType<typeof openVaultDatabase>>;
    /** Two full batches and one row more, so both batch edges are crossed. */
    const noteCount = rotationBatchRowsMax * 2 + 1;
    const notes: VaultRow[] = [];
    const plaintextByKey = new Map<string, string>();
    let oldCount = 0;
    const logLines: string[] = [];

    before(async () => {
      database = await openVaultDatabase();
      for (let id = 1; id <= noteCount; id += 1) {
        // Every third row under the new key, every seventh empty, the rest under the old key.
        const plaintext = `note ${id}`;
        plaintextByKey.set(String(id), plaintext);
        if (id % 7 === 0) notes.push({ key: id, token: null });
        else if (id % 3 === 0) notes.push({ key: id, token: newRing.encryptString(plaintext) });
        else {
          notes.push({ key: id, token: oldRing.encryptString(plaintext) });
          oldCount += 1;
        }
      }
      await insertVaultRows(database.sequelize, vaultNotes, notes);
      await insertVaultRows(database.sequelize, vaultLabels, [
        { key: 'beta', token: oldRing.encryptString('label beta') },
        { key: 'alpha', token: newRing.encryptString('label alpha') },
      ]);
    });
    after(() => database.close());

    it('re-encrypts exactly the old values and reports the counts', async () => {
      const logger = createLogger('info', (line) => logLines.push(line));
      const rotations = await rotateEncryptedColumns(database.sequelize, rotatingRing, logger);
      assert.deepEqual(rotations, [
        { ...tableAndColumn(vaultNotes), scanned: noteCount, reencrypted: oldCount },
        { ...tableAndColumn(vaultLabels), scanned: 2, reencrypted: 1 },
      ]);
      assert.equal(logLines.length, 2);
    });

    it('leaves every value readable with the new key alone, with the same plaintext', async () => {
      const tokens = await readVaultTokens(database.sequelize, vaultNotes);
      assert.equal(tokens.size, noteCount);
      for (const note of notes) {
        const token = tokens.get(String(note.key));
        if (note.token === null) {
          assert.equal(token, null);
          continue;
        }
        assert(typeof token === 'string');
        assert.equal(newRing.decryptString(token), plaintextByKey.get(String(note.key)));
        if (rotatingRing.decrypt(note.token).keyIndex === 0) {
          assert.equal(token, note.token, 'a value under the new key is not rewritten');
        }
      }
      const labels = await readVaultTokens(database.sequelize, vaultLabels);
      assert.equal(newRing.decryptString(labels.get('beta') ?? ''), 'label beta');
      assert.equal(newRing.decryptString(labels.get('alpha') ?? ''), 'label alpha');
    });

    it('finds nothing left to do when run again', async () => {
      const rotations = await rotateEncryptedColumns(
        database.sequelize,
        rotatingRing,
        createLogger('silent'),
      );
      assert.deepEqual(
        rotations.map((rotation) => [rotation.scanned, rotation.reencrypted]),
        [[noteCount, 0], [2, 0]],
      );
    });

    it('logs counts but never a token or plaintext', () => {
      for (const line of logLines) {
        assert.doesNotMatch(line, /gAAAA|note \d|label (alpha|beta)/);
        const fields = JSON.parse(line);
        assert.equal(typeof fields.scanned, 'number');
      }
    });
  });

  describe('with a value no key opens', () => {
    let database: Awaited<ReturnType<typeof openVaultDatabase>>;
    const strangerRing = new Keyring([parseFernetKey(generateFernetKey())], clock);
    const foreignToken = strangerRing.encryptString('foreign');

    before(async () => {
      database = await openVaultDatabase();
      await insertVaultRows(database.sequelize, vaultNotes, [
        { key: 1, token: oldRing.encryptString('first') },
        { key: 2, token: foreignToken },
      ]);
    });
    after(() => database.close());

    it('stops with an error naming the row but not the value', async () => {
      const rotation = rotateEncryptedColumns(
        database.sequelize,
        rotatingRing,
        createLogger('silent'),
      );
      await assert.rejects(rotation, (error: unknown) => {
        assert(error instanceof Error);
        assert.match(error.message, /ab_test_vault_notes\.secret_note at id = 2/);
        assert.match(error.message, /bad-mac/);
        assert.ok(!error.message.includes(foreignToken));
        return true;
      });
    });

    it('rolls back the batch that held it', async () => {
      const tokens = await readVaultTokens(database.sequelize, vaultNotes);
      assert.equal(oldRing.decryptString(tokens.get('1') ?? ''), 'first');
      assert.equal(tokens.get('2'), foreignToken);
    });
  });
});

function tableAndColumn(column: { table: string; column: string }) {
  return { table: column.table, column: column.column };
}
