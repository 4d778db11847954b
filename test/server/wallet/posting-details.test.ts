import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  counterpartyLengthMax,
  descriptionLengthMax,
  metadataDepthMax,
  metadataLengthMax,
  normalisePostingDetails,
  occurredAtFutureMsMax,
  occurredAtPastMsMax,
  tagLengthMax,
  tagsPerTransactionMax,
} from '../../../server/wallet/posting-details.ts';
import type { JsonValue } from '../../../server/wallet/models.ts';
import { throwsProblem } from './support.ts';

const now = new Date('2026-03-01T09:00:00Z');

/** Metadata nested `depth` levels: `{a: {a: ... {}}}`. */
function metadataOfDepth(depth: number): { [key: string]: JsonValue } {
  let value: { [key: string]: JsonValue } = {};
  for (let level = 1; level < depth; level += 1) value = { a: value };
  return value;
}

describe('the descriptive fields of a posting', () => {
  it('trims strings, drops empty ones, de-duplicates tags and defaults the time', () => {
    const details = normalisePostingDetails(
      { description: '  Lunch ', counterparty: '   ', tags: [' food', 'food', 'work '] },
      now,
    );
    assert.deepEqual(details, {
      description: 'Lunch', counterparty: null, tags: ['food', 'work'], metadata: {},
      occurredAt: now,
    });
  });

  const limits: [label: string, at: object, past: object][] = [
    ['description', { description: 'd'.repeat(descriptionLengthMax) },
      { description: 'd'.repeat(descriptionLengthMax + 1) }],
    ['counterparty', { counterparty: 'c'.repeat(counterpartyLengthMax) },
      { counterparty: 'c'.repeat(counterpartyLengthMax + 1) }],
    ['tags', { tags: Array.from({ length: tagsPerTransactionMax }, (_, index) => `t${index}`) },
      { tags: Array.from({ length: tagsPerTransactionMax + 1 }, (_, index) => `t${index}`) }],
    ['tags.0', { tags: ['t'.repeat(tagLengthMax)] }, { tags: ['t'.repeat(tagLengthMax + 1)] }],
    ['metadata', { metadata: { note: 'm'.repeat(metadataLengthMax - '{"note":""}'.length) } },
      { metadata: { note: 'm'.repeat(metadataLengthMax - '{"note":""}'.length + 1) } }],
    ['metadata', { metadata: metadataOfDepth(metadataDepthMax) },
      { metadata: metadataOfDepth(metadataDepthMax + 1) }],
    ['occurredAt', { occurredAt: new Date(now.getTime() + occurredAtFutureMsMax) },
      { occurredAt: new Date(now.getTime() + occurredAtFutureMsMax + 1) }],
    ['occurredAt', { occurredAt: new Date(now.getTime() - occurredAtPastMsMax) },
      { occurredAt: new Date(now.getTime() - occurredAtPastMsMax - 1) }],
  ];
  for (const [path, at, past] of limits) {
    it(`takes ${path} at its limit and refuses it one past`, () => {
      assert.doesNotThrow(() => normalisePostingDetails(at, now));
      const problem = throwsProblem(() => normalisePostingDetails(past, now, 'body.'), 400,
        'validation');
      const errors = problem.extensions.errors as { path: string }[];
      assert.deepEqual(errors.map((error) => error.path), [`body.${path}`]);
    });
  }

  it('lists every bad field at once', () => {
    const problem = throwsProblem(() => normalisePostingDetails({
      // @ts-expect-error: wrong types on purpose
      description: 5, tags: 'food', metadata: [], occurredAt: 'yesterday',
    }, now), 400, 'validation');
    const paths = (problem.extensions.errors as { path: string }[]).map((error) => error.path);
    assert.deepEqual(paths, ['description', 'tags', 'metadata', 'occurredAt']);
  });

  it('reads an ISO 8601 instant with an offset', () => {
    const details = normalisePostingDetails({ occurredAt: '2026-02-28T23:30:00+01:00' }, now);
    assert.equal(details.occurredAt.toISOString(), '2026-02-28T22:30:00.000Z');
  });
});
