import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '../../../server/http/problem.ts';
import {
  CsvError,
  csvRecord,
  guardCell,
  parseCsv,
  unguardCell,
} from '../../../server/wallet/csv.ts';
import {
  duplicateKey,
  importFieldLengthMax,
  importFieldsMax,
  importRowsMax,
  markDuplicates,
  readImportRows,
} from '../../../server/wallet/import-rows.ts';

const limits = { recordsMax: 3, fieldsMax: 3, fieldLengthMax: 5 };
const context = {
  currency: 'EUR',
  now: new Date('2026-03-01T09:00:00Z'),
  categories: [{ id: 1, name: 'Food' }, { id: 2, name: 'Fees' }, { id: 3, name: 'fees' }],
};

describe('CSV records', () => {
  it('quotes what RFC 4180 needs quoted and ends records with CRLF', () => {
    assert.equal(csvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', '']),
      'plain,"a,b","say ""hi""","two\nlines",\r\n');
  });

  it('guards cells a spreadsheet would run, and not plain numbers', () => {
    for (const cell of ['=1+1', '+1', '-A1', '@SUM(A1)', '\tx', '\rx', '-', "'=x", "''@x"]) {
      assert.equal(guardCell(cell), `'${cell}`, cell);
      assert.equal(unguardCell(guardCell(cell)), cell, cell);
    }
    for (const cell of ['-12.50', '12', 'text', "it's", "'quoted'", '', '1+1']) {
      assert.equal(guardCell(cell), cell, cell);
      assert.equal(unguardCell(cell), cell, cell);
    }
    assert.equal(csvRecord(['=HYPERLINK("http://x")']), '"\'=HYPERLINK(""http://x"")"\r\n');
  });
});

describe('reading CSV', () => {
  it('reads quotes, doubled quotes, CRLF, LF, CR, a BOM and blank lines', () => {
    const wide = { recordsMax: 10, fieldsMax: 3, fieldLengthMax: 20 };
    const text = '\uFEFFa,"b,1"\r\n"say ""x""",c\n\nd,"two\nlines"\re,f';
    assert.deepEqual(parseCsv(text, wide), [
      { line: 1, fields: ['a', 'b,1'] },
      { line: 2, fields: ['say "x"', 'c'] },
      { line: 4, fields: ['d', 'two\nlines'] },
      { line: 6, fields: ['e', 'f'] },
    ]);
    assert.deepEqual(parseCsv('x,y\r\n', limits), [{ line: 1, fields: ['x', 'y'] }]);
    assert.deepEqual(parseCsv('x,\r\n,y', limits),
      [{ line: 1, fields: ['x', ''] }, { line: 2, fields: ['', 'y'] }]);
  });

  it('names the line of a malformed record', () => {
    assert.throws(() => parseCsv('a,b\n"open,c', limits),
      (error: unknown) => error instanceof CsvError && error.line === 2);
    assert.throws(() => parseCsv('a,b"c', limits), CsvError);
    assert.throws(() => parseCsv('"a"b,c', limits), CsvError);
  });

  it('holds records, fields and field lengths to their limits, and refuses one more', () => {
    assert.equal(parseCsv('1\n2\n3', limits).length, 3);
    assert.throws(() => parseCsv('1\n2\n3\n4', limits), /more than 3 records/);
    assert.equal(parseCsv('1,2,3', limits)[0]?.fields.length, 3);
    assert.throws(() => parseCsv('1,2,3,4', limits), /more than 3 fields/);
    assert.equal(parseCsv('12345', limits)[0]?.fields[0], '12345');
    assert.throws(() => parseCsv('123456', limits), /longer than 5/);
    assert.throws(() => parseCsv('"123456"', limits), /longer than 5/);
  });
});

describe('reading an import', () => {
  const read = (text: string) => readImportRows(text, context);

  it('maps header names in any case and order, and ignores unknown columns', () => {
    const [row] = read('Memo,AMOUNT,Date,Type,extra,payee,tags\n' +
      'Lunch,12.50,2026-02-20,debit,x,Cafe,"a; b;;"');
    assert.equal(row?.status, 'new');
    assert.deepEqual(row?.draft, { type: 'debit', amountMinor: 1250n,
      occurredAt: new Date('2026-02-20T00:00:00Z'), description: 'Lunch', counterparty: 'Cafe',
      categoryId: null, tags: ['a', 'b'] });
  });

  it('takes the sign of the amount when there is no type column', () => {
    const rows = read('date,amount\n2026-02-20,-3.00\n2026-02-20,+4.00\n2026-02-20,5');
    assert.deepEqual(rows.map((row) => [row.draft?.type, row.draft?.amountMinor]),
      [['debit', 300n], ['credit', 400n], ['credit', 500n]]);
  });

  it('marks invalid rows with every reason', () => {
    const rows = read('occurredAt,type,amount,currency,categoryId,category\n' +
      '2026-02-30,debit,1.00,,,\n' +
      '2026-02-20T10:00:00Z,refund,1.00,,,\n' +
      '2026-02-20T10:00:00Z,debit,1.001,,,\n' +
      '2026-02-20T10:00:00Z,debit,1.00,USD,,\n' +
      '2026-02-20T10:00:00Z,debit,1.00,,99,\n' +
      '2026-02-20T10:00:00Z,debit,1.00,,,fees\n' +
      '2026-02-20T10:00:00Z,debit,1.00,,,Nothing\n' +
      '2026-02-20T10:00:00Z,debit,1.00,,\n' +
      '2036-02-20T10:00:00Z,debit,-1.00,,,\n' +
      '2026-02-20T10:00:00Z,debit,2.00,eur,,food');
    assert.deepEqual(rows.map((row) => row.status), ['invalid', 'invalid', 'invalid', 'invalid',
      'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'new']);
    assert.match(rows[0]?.reasons[0] ?? '', /occurredAt/);
    assert.match(rows[5]?.reasons[0] ?? '', /several categories/);
    assert.match(rows[7]?.reasons[0] ?? '', /5 fields; the header has 6/);
    assert.equal(rows[8]?.reasons.length, 2);
    assert.equal(rows[9]?.draft?.categoryId, 1);
    assert.equal(rows[9]?.line, 11);
  });

  it('refuses a file without a header, a required column, or past its limits', () => {
    const malformed = (text: string, pattern: RegExp) => assert.throws(() => read(text),
      (error: unknown) => error instanceof ProblemError && error.slug === 'csv-malformed' &&
        pattern.test(error.message));
    malformed('', /empty/);
    malformed('date,description\n2026-02-01,x', /no "amount" column/);
    malformed('amount\n1', /no "occurredAt" column/);
    const header = 'date,amount\n';
    assert.equal(read(header + '2026-02-01,1\n'.repeat(importRowsMax)).length, importRowsMax);
    malformed(header + '2026-02-01,1\n'.repeat(importRowsMax + 1), /more than 1000 rows/);
    const wide = Array.from({ length: importFieldsMax }, (_, index) => `c${index}`);
    wide[0] = 'date';
    wide[1] = 'amount';
    assert.equal(read(`${wide.join(',')}\n`).length, 0);
    malformed(`${wide.join(',')},one-more\n`, /more than 32 fields/);
    const long = 'x'.repeat(importFieldLengthMax);
    assert.equal(read(`date,amount,memo\n2026-02-01,1,${long}`)[0]?.status, 'invalid');
    malformed(`date,amount,memo\n2026-02-01,1,${long}x`, /longer than 1000/);
  });

  it('marks duplicates one for one against existing entries', () => {
    const rows = read('date,amount,memo\n2026-02-01,-3.50,Coffee\n2026-02-01,-3.50,coffee \n' +
      '2026-02-01,-3.50,Coffee\n2026-02-02,-3.50,Coffee');
    const existing = duplicateKey({ type: 'debit', amountMinor: 350n,
      occurredAt: new Date('2026-02-01T15:30:00Z'), description: '  COFFEE', counterparty: null });
    markDuplicates(rows, [existing, existing]);
    assert.deepEqual(rows.map((row) => row.status), ['duplicate', 'duplicate', 'new', 'new']);
  });
});
