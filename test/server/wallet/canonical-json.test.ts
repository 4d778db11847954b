import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  canonicalJsonDepthMax,
  isJsonValue,
} from '../../../server/wallet/canonical-json.ts';

/** An array nested `depth` levels below the top value. */
function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

describe('canonical JSON', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } }),
      '{"a":{"c":"x","d":[true,null]},"b":1}');
    assert.equal(canonicalJson(JSON.parse('{ "b": 2, "a": 1 }')), canonicalJson({ a: 1, b: 2 }));
  });

  it('refuses what JSON cannot hold', () => {
    for (const bad of [undefined, 1n, () => 1, Number.NaN, Infinity, new Date(0), new Map()]) {
      assert.throws(() => canonicalJson(bad), assert.AssertionError);
      assert.equal(isJsonValue(bad), false);
    }
  });

  it(`writes values nested ${canonicalJsonDepthMax} levels, refuses one more`, () => {
    assert.doesNotThrow(() => canonicalJson(nested(canonicalJsonDepthMax)));
    assert.equal(isJsonValue(nested(canonicalJsonDepthMax)), true);
    assert.throws(() => canonicalJson(nested(canonicalJsonDepthMax + 1)), assert.AssertionError);
    assert.equal(isJsonValue(nested(canonicalJsonDepthMax + 1)), false);
  });
});
