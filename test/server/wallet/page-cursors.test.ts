import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '../../../server/http/problem.ts';
import {
  idCursor,
  instantIdCursor,
  pageOf,
  readIdCursor,
  readInstantIdCursor,
} from '../../../server/wallet/page-cursors.ts';
import { cursorLengthMax, idMax } from '../../../server/wallet/schemas.ts';

const refused = (action: () => unknown) => assert.throws(action,
  (error: unknown) => error instanceof ProblemError && error.status === 400 &&
    error.slug === 'validation');

describe('page cursors', () => {
  it('read back what they wrote', () => {
    assert.equal(readIdCursor(idCursor(42)), 42);
    assert.equal(readIdCursor(idCursor(idMax)), idMax);
    const key = { instant: new Date('2026-03-01T09:00:00.123Z'), id: 7 };
    assert.deepEqual(readInstantIdCursor(instantIdCursor(key)), key);
    assert.equal(readIdCursor(undefined), null);
    assert.equal(readInstantIdCursor(undefined), null);
  });

  it('refuse anything the server did not hand out', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    refused(() => readIdCursor('not base64!'));
    refused(() => readIdCursor(encode({ id: 1 })));
    refused(() => readIdCursor(encode([0])));
    refused(() => readIdCursor(encode([idMax + 1])));
    refused(() => readIdCursor(encode([1, 2])));
    refused(() => readIdCursor(Buffer.from('[1').toString('base64url')));
    refused(() => readInstantIdCursor(idCursor(3)));
    refused(() => readInstantIdCursor(encode([1.5, 2])));
    refused(() => readIdCursor('A'.repeat(cursorLengthMax + 1)));
  });

  it('cut a page at its limit and point past its last row only when more follow', () => {
    const cursorOf = (row: number) => idCursor(row);
    assert.deepEqual(pageOf([1, 2, 3], 2, cursorOf), { rows: [1, 2], nextCursor: idCursor(2) });
    assert.deepEqual(pageOf([1, 2], 2, cursorOf), { rows: [1, 2], nextCursor: null });
    assert.deepEqual(pageOf([], 2, cursorOf), { rows: [], nextCursor: null });
    assert.throws(() => pageOf([1, 2, 3, 4], 2, cursorOf), assert.AssertionError);
  });
});
