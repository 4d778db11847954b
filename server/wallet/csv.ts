/**
 * @module
 * CSV as RFC 4180 writes it, and a guard against spreadsheet formula injection.
 *
 * Writing: fields are separated by commas and records by CRLF; a field holding a comma, a
 * double quote, CR or LF is enclosed in double quotes, and a double quote inside is doubled.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (and, in
 * some, a tab or CR) as a formula, so text a user typed (a description, a counterparty) could
 * run when the export is opened. {@link guardCell} prefixes such a cell with a single quote,
 * which spreadsheets show as text. A plain signed number (`-12.50`) is left alone: it is no
 * formula. The guard is reversible, so an export imports back unchanged: a cell that already
 * starts with quotes before such a character gets one more quote, and {@link unguardCell}
 * removes exactly one.
 *
 * Reading: {@link parseCsv} accepts what RFC 4180 allows plus the usual variants (LF or CR
 * line ends, a UTF-8 byte order mark, blank lines, which are skipped), within stated limits,
 * and names the line of the first malformed record.
 */
import assert from 'node:assert/strict';

/** A cell a spreadsheet would run as a formula, after any quotes the guard added before. */
const isFormulaLikeRe = /^'*[=+\-@\t\r]/;

/** A plain signed decimal number: never a formula, never guarded. */
const isPlainNumberRe = /^-?[0-9]+(\.[0-9]+)?$/;

/** A field that must be enclosed in double quotes. */
const needsQuotesRe = /[",\r\n]/;

/** Limits of one parse. */
export interface CsvLimits {
  /** Most records, the header included. */
  recordsMax: number;
  /** Most fields in one record. */
  fieldsMax: number;
  /** Longest field, in characters. */
  fieldLengthMax: number;
}

/** One record and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV text that cannot be read, with the line where reading stopped. */
export class CsvError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvError';
  }
}

/**
 * A cell made safe to open in a spreadsheet.
 *
 * @example
 * guardCell('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 * guardCell('-12.50');          // "-12.50"
 */
export function guardCell(cell: string): string {
  return isFormulaLikeRe.test(cell) && !isPlainNumberRe.test(cell) ? `'${cell}` : cell;
}

/** The cell {@link guardCell} was given. */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && isFormulaLikeRe.test(cell) && !isPlainNumberRe.test(cell)
    ? cell.slice(1)
    : cell;
}

/**
 * One CSV record, guarded and quoted, ending with CRLF.
 *
 * @example
 * csvRecord(['a,b', 'say "hi"', '@x']); // '"a,b","say ""hi""",\'@x\r\n'
 */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map((cell) => quoteField(guardCell(cell))).join(',')}\r\n`;
}

function quoteField(field: string): string {
  return needsQuotesRe.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/**
 * Reads CSV text into records; blank lines are skipped.
 *
 * @throws CsvError for an unterminated or misplaced quote, or past a limit.
 */
export function parseCsv(text: string, limits: CsvLimits): CsvRecord[] {
  const reader = new CsvReader(text.startsWith('\uFEFF') ? text.slice(1) : text, limits);
  return reader.readAll();
}

/** The state of one parse: where it is, and the record being built. */
class CsvReader {
  private index = 0;
  private line = 1;
  private readonly records: CsvRecord[] = [];

  constructor(
    private readonly text: string,
    private readonly limits: CsvLimits,
  ) {}

  readAll(): CsvRecord[] {
    while (this.index < this.text.length) {
      const start = this.line;
      const fields = this.readRecord();
      const blank = fields.length === 1 && fields[0] === '';
      if (blank) continue;
      if (this.records.length >= this.limits.recordsMax) {
        throw new CsvError(`more than ${this.limits.recordsMax} records`, start);
      }
      this.records.push({ line: start, fields });
    }
    return this.records;
  }

  /** Reads fields up to the end of a record (or of the text). */
  private readRecord(): string[] {
    const fields: string[] = [];
    for (;;) {
      fields.push(this.readField());
      if (fields.length > this.limits.fieldsMax) {
        throw new CsvError(`more than ${this.limits.fieldsMax} fields`, this.line);
      }
      const separator = this.text[this.index];
      if (separator === ',') {
        this.index += 1;
        continue;
      }
      this.skipLineEnd();
      return fields;
    }
  }

  private readField(): string {
    if (this.text[this.index] === '"') return this.readQuotedField();
    let end = this.index;
    while (end < this.text.length && !',\r\n'.includes(this.text[end] ?? '')) {
      if (this.text[end] === '"') throw new CsvError('a quote inside an unquoted field', this.line);
      end += 1;
    }
    const field = this.text.slice(this.index, end);
    this.index = end;
    return this.checkLength(field);
  }

  private readQuotedField(): string {
    const opened = this.line;
    const parts: string[] = [];
    let start = this.index + 1;
    for (let at = start; at < this.text.length; at += 1) {
      const char = this.text[at];
      if (char === '\n') this.line += 1;
      if (char !== '"') continue;
      parts.push(this.text.slice(start, at));
      if (this.text[at + 1] === '"') {
        parts.push('"');
        at += 1;
        start = at + 1;
        continue;
      }
      this.index = at + 1;
      const next = this.text[this.index];
      if (next !== undefined && !',\r\n'.includes(next)) {
        throw new CsvError('text after a closing quote', this.line);
      }
      return this.checkLength(parts.join(''));
    }
    throw new CsvError('a quoted field is never closed', opened);
  }

  private skipLineEnd(): void {
    const char = this.text[this.index];
    if (char === undefined) return;
    assert(char === '\r' || char === '\n', 'a record ends at a line end');
    this.index += char === '\r' && this.text[this.index + 1] === '\n' ? 2 : 1;
    this.line += 1;
  }

  private checkLength(field: string): string {
    if (field.length > this.limits.fieldLengthMax) {
      throw new CsvError(`a field longer than ${this.limits.fieldLengthMax} characters`,
        this.line);
    }
    return field;
  }
}
