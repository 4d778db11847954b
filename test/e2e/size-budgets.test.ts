import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureSizes, overBudget, readBudgets } from '../../bench/sizes.ts';

describe('the built elements', () => {
  it('fit the gzip size budgets kept in bench/size-budgets.json', () => {
    const sizes = measureSizes();
    assert.ok(Object.keys(sizes.elements).length >= 2, 'expected at least two element modules in dist/');
    assert.deepEqual(overBudget(sizes, readBudgets()), []);
  });
});
