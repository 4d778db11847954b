import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nameWords, fieldNameLengthMax } from '../../../server/analysis/field-names.ts';
import type { FieldCategory } from '../../../server/analysis/schemas.ts';
import {
  currencyFieldFor,
  recommendWidget,
  widgetRules,
  type WidgetInput,
} from '../../../server/analysis/widgets.ts';

function field(name: string, category: FieldCategory, more: Partial<WidgetInput> = {}) {
  return recommendWidget({ name, category, element: null, enumValues: null, maxLength: null,
    min: null, max: null, pattern: null, currencyField: null, ...more });
}

describe('the ranked widget table', () => {
  it('picks the documented element for each kind of field', () => {
    const cases: [ReturnType<typeof field>, string, string][] = [
      [field('status', 'enum', { enumValues: ['a', 'b'] }), 'select', 'enum'],
      [field('amountMinor', 'big-integer', { currencyField: 'currency' }), 'ab-currency-input',
        'money'],
      [field('price', 'money'), 'ab-currency-input', 'money'],
      [field('color', 'text', { maxLength: 7 }), 'ab-color-picker', 'colour'],
      [field('tags', 'json'), 'ab-tag-input', 'tags'],
      [field('labels', 'array', { element: 'text' }), 'ab-tag-input', 'tags'],
      [field('scores', 'array', { element: 'integer' }), 'ab-array-editor', 'array'],
      [field('stay', 'range', { element: 'date' }), 'ab-datetime-range', 'date-range'],
      [field('active', 'boolean'), 'input', 'boolean'],
      [field('avatar', 'binary'), 'ab-file-upload', 'binary'],
      [field('metadata', 'json'), 'ab-json-editor', 'document'],
      [field('area', 'geometry'), 'ab-json-editor', 'document'],
      [field('notes', 'long-text', { maxLength: 500 }), 'ab-textarea', 'long-text'],
      [field('email', 'text'), 'ab-text-field', 'email'],
      [field('homepage_url', 'text'), 'ab-text-field', 'url'],
      [field('mobilePhone', 'text'), 'ab-text-field', 'phone'],
      [field('count', 'integer', { min: '0', max: '9' }), 'ab-text-field', 'integer'],
      [field('step', 'big-integer'), 'ab-text-field', 'exact-number'],
      [field('ratio', 'float'), 'ab-text-field', 'float'],
      [field('born', 'date'), 'input', 'date'],
      [field('at', 'date-time'), 'input', 'date-time'],
      [field('opens', 'time'), 'input', 'time'],
      [field('title', 'text', { maxLength: 64 }), 'ab-text-field', 'text'],
      [field('anything', 'other'), 'ab-text-field', 'text'],
    ];
    for (const [widget, tag, rule] of cases) {
      assert.equal(widget.tag, tag, rule);
      assert.equal(widget.rule, rule);
    }
  });

  it('sets the attributes each element reads', () => {
    assert.deepEqual(field('amountMinor', 'big-integer', { currencyField: 'currency' }).attributes,
      { 'currency-field': 'currency', 'amount-unit': 'minor' });
    assert.deepEqual(field('count', 'integer', { min: '0', max: '9' }).attributes,
      { type: 'number', step: '1', min: '0', max: '9' });
    assert.deepEqual(field('step', 'big-integer', { pattern: '-?[0-9]+' }).attributes,
      { type: 'text', inputmode: 'numeric', pattern: '-?[0-9]+' });
    assert.deepEqual(field('at', 'range', { element: 'date-time' }).attributes,
      { 'with-time': '' });
    assert.deepEqual(field('sizes', 'array', { element: 'enum', enumValues: ['s', 'm'] })
      .attributes, { suggestions: 's,m' });
    assert.deepEqual(field('status', 'enum', { enumValues: ['a', 'b'] }).options, ['a', 'b']);
    assert.deepEqual(field('title', 'text', { maxLength: 64 }).attributes, { maxlength: '64' });
  });

  it('keeps a number with no currency beside it a number, even if named amount', () => {
    assert.equal(field('amountMinor', 'big-integer').tag, 'ab-text-field');
    assert.equal(field('retries', 'integer', { currencyField: 'currency' }).tag, 'ab-text-field');
  });

  it('ends with a rule that matches anything, so every field gets a widget', () => {
    assert.equal(widgetRules.at(-1)?.matches({ name: '', category: 'other', element: null,
      enumValues: null, maxLength: null, min: null, max: null, pattern: null,
      currencyField: null }), true);
    assert.equal(new Set(widgetRules.map((rule) => rule.code)).size, widgetRules.length);
  });

  it('imports nothing from the server, so the browser can import it as it is', () => {
    for (const file of ['widgets.ts', 'field-names.ts', 'schemas.ts']) {
      const source = readFileSync(new URL(`../../../server/analysis/${file}`, import.meta.url),
        'utf8');
      const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      assert.ok(imports.every((path) => path === 'zod' || path === './field-names.ts'
        || path === './schemas.ts'), `${file}: ${imports.join(', ')}`);
    }
  });
});

describe('money pairs and the words of names', () => {
  it('finds the currency column of an amount by words, nearest prefix first', () => {
    const siblings = ['amountMinor', 'currency', 'counterAmountMinor', 'counterCurrency'];
    assert.equal(currencyFieldFor('amountMinor', siblings), 'currency');
    assert.equal(currencyFieldFor('counterAmountMinor', siblings), 'counterCurrency');
    assert.equal(currencyFieldFor('balance_minor', ['currency']), 'currency');
    assert.equal(currencyFieldFor('total', ['total_currency', 'currency']), 'total_currency');
    assert.equal(currencyFieldFor('retries', ['currency']), null);
    assert.equal(currencyFieldFor('amountMinor', ['name']), null);
  });

  it(`splits names of any case, reading at most ${fieldNameLengthMax} characters`, () => {
    assert.deepEqual(nameWords('counterAmountMinor'), ['counter', 'amount', 'minor']);
    assert.deepEqual(nameWords('HTTPStatus_code-2'), ['http', 'status', 'code', '2']);
    const at = `${'a'.repeat(fieldNameLengthMax - 5)}Token`;
    assert.deepEqual(nameWords(at).at(-1), 'token');
    assert.deepEqual(nameWords(`${at}x`).at(-1), 'token');
    assert.deepEqual(nameWords(`b${at}`).at(-1), 'toke');
  });
});
