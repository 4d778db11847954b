import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capabilitiesOf,
  categoryRules,
  type CapabilityInput,
} from '../../../server/analysis/capabilities.ts';
import { fieldCategorySchema, type FieldCategory } from '../../../server/analysis/schemas.ts';

/** A plain nullable column of `category` named `name`, changed by `overrides`. */
function column(
  name: string,
  category: FieldCategory,
  overrides: Partial<CapabilityInput> = {},
): CapabilityInput {
  return { name, column: name, category, dbType: category, recognised: true, nullable: false,
    primaryKey: false, autoIncrement: false, virtual: false, encrypted: false, timestamp: false,
    ...overrides };
}

const reasonOf = (input: CapabilityInput, from: string) =>
  capabilitiesOf(input).exclusions.find((exclusion) => exclusion.from === from)?.reason;

describe('what a list and a form may do with a column', () => {
  it('lets text be listed, sorted, searched and filtered, with null tests when nullable', () => {
    const text = capabilitiesOf(column('title', 'text'));
    assert.deepEqual([text.listable, text.sortable, text.searchable, text.filterable],
      [true, true, true, true]);
    assert.deepEqual(text.exclusions, []);
    assert.deepEqual(text.operators, ['eq', 'ne', 'in', 'contains', 'startsWith']);
    const nullable = capabilitiesOf(column('title', 'text', { nullable: true }));
    assert.deepEqual(nullable.operators.slice(-2), ['isNull', 'notNull']);
  });

  for (const name of ['password', 'apiToken', 'totp_secret', 'client_api_key', 'PASSPHRASE']) {
    it(`keeps ${name} out of lists, sorting, search, filters and forms, saying why`, () => {
      const secret = capabilitiesOf(column(name, 'text'));
      assert.deepEqual(secret.exclusions.map((exclusion) => exclusion.from),
        ['list', 'sort', 'search', 'filter', 'form']);
      assert.ok(secret.exclusions.every((exclusion) => exclusion.code === 'secret-name'));
      assert.match(secret.exclusions[0]?.reason ?? '', /named like a secret .* is never listed/);
      assert.deepEqual(secret.operators, []);
    });
  }

  it('does not take a word that merely contains a secret word for one', () => {
    assert.deepEqual(capabilitiesOf(column('tokenizer_name', 'text')).exclusions, []);
    assert.deepEqual(capabilitiesOf(column('secretary', 'text')).exclusions, []);
  });

  it('gives the first rule that applies the say: a secret blob is hidden as a secret', () => {
    const input = column('secret_blob', 'binary');
    assert.match(reasonOf(input, 'list') ?? '', /secret/);
    assert.equal(reasonOf(column('photo', 'binary'), 'list'),
      'Binary data is never listed: bytes have no text to show in a cell.');
  });

  it('says why JSON is not sortable, searched or filtered', () => {
    const json = column('metadata', 'json');
    assert.equal(reasonOf(json, 'sort'),
      'JSON columns are not sortable: the database has no order for documents.');
    assert.match(reasonOf(json, 'search') ?? '', /not searched/);
    assert.match(reasonOf(json, 'filter') ?? '', /not filtered/);
    assert.equal(capabilitiesOf(json).listable, true);
  });

  it('keeps ciphertext out of every place, computed values out of queries', () => {
    const encrypted = capabilitiesOf(column('phone', 'long-text', { encrypted: true }));
    assert.equal(encrypted.exclusions.length, 5);
    assert.match(encrypted.exclusions[0]?.reason ?? '', /ciphertext/);
    const virtual = capabilitiesOf(column('fullName', 'text', { virtual: true }));
    assert.deepEqual(virtual.exclusions.map((exclusion) => exclusion.from),
      ['sort', 'search', 'filter']);
    assert.equal(virtual.listable, true);
  });

  it('leaves keys the database assigns and stamped times out of forms only', () => {
    assert.equal(reasonOf(column('id', 'integer', { autoIncrement: true }), 'form'),
      'The database assigns this key when a row is created.');
    assert.equal(reasonOf(column('createdAt', 'date-time', { timestamp: true }), 'form'),
      'Sequelize stamps this time itself when a row is saved.');
  });

  it('names a type it does not know, and a known type with nothing to compare', () => {
    const unknown = capabilitiesOf(column('shape', 'other',
      { dbType: 'foo_bar', recognised: false }));
    assert.equal(unknown.exclusions[0]?.code, 'unrecognised-type');
    assert.match(unknown.exclusions[0]?.reason ?? '', /"foo_bar" is not one the analyzer/);
    const variant = capabilitiesOf(column('v', 'other', { dbType: 'sql_variant' }));
    assert.match(variant.exclusions[0]?.reason ?? '', /"sql_variant" holds values/);
  });

  it('searches a full-text vector but never lists it or puts it in a form', () => {
    const vector = capabilitiesOf(column('search_vector', 'full-text-vector'));
    assert.equal(vector.searchable, true);
    assert.deepEqual(vector.exclusions.map((exclusion) => exclusion.from),
      ['list', 'sort', 'filter', 'form']);
  });

  it('has a rule and a reason in words for every category and every place it excludes', () => {
    for (const category of fieldCategorySchema.options) {
      assert.ok(categoryRules[category], category);
      for (const exclusion of capabilitiesOf(column('x', category)).exclusions) {
        assert.ok(exclusion.reason.length > 20, `${category} ${exclusion.from}`);
        assert.match(exclusion.reason, /\.$/, `${category} ${exclusion.from} is a sentence`);
      }
    }
  });
});
