/**
 * @module
 * Writes a migration, in the project's style (`migrations/core_001.ts`: a `Migration` with a
 * stable name, `up` and `down`, each in one database transaction, through the query
 * interface), that makes the database match the models for a list of {@link Drift}.
 *
 * Each drift becomes a step and its inverse: a missing table is created (and dropped on the
 * way down), a missing column added, a column the model lacks removed (and restored with the
 * type the database had), a differing column changed to the model's definition (and back), a
 * declared index or foreign key added. A primary key that differs is not generated: the file
 * says so and the command prints it, for a person to write.
 */
import { parseDatabaseType } from './database-type.ts';
import type { Drift } from './drift.ts';
import type { LiveDialect } from './live-tables.ts';
import type { ColumnDefinition, TableDefinition } from './table-definition.ts';

/** Longest migration name; names are file names and identifiers. */
export const migrationNameLengthMax = 64;

/** A migration name: lower case, digits and `_`, starting with a letter (`wallet_003`). */
export const isMigrationNameRe = /^[a-z][a-z0-9_]*$/;

/** Longest line written, as in the rest of the project. */
const lineLengthMax = 100;

/** A written migration. */
export interface GeneratedMigration {
  name: string;
  /** The exported constant, e.g. `wallet003` for `wallet_003`. */
  exportName: string;
  /** The file's source. */
  source: string;
  /** Drift the migration does not resolve; a person must write these steps. */
  unresolved: Drift[];
}

/** `wallet_003` as `wallet003`, `add_nickname` as `addNickname`. */
export function migrationExportName(name: string): string {
  return name.split('_').map((part, index) =>
    (index === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
}

/** A step and its inverse, as lines of source inside the database transaction. */
interface Step {
  up: string[];
  down: string[];
}

/**
 * The order steps run in on the way up (reversed on the way down). Indexes come last because
 * SQLite rebuilds a table to change or remove a column or to add a foreign key, and the
 * rebuilt table has lost the indexes added before.
 */
const phaseOrder: readonly Drift['kind'][] = [
  'missing-table', 'missing-column', 'column-type', 'column-nullability', 'column-default',
  'column-auto-increment', 'extra-column', 'missing-foreign-key', 'missing-index',
];

/**
 * The source of a migration named `name` that resolves `drift` on both dialects.
 *
 * @param name - matches {@link isMigrationNameRe}, at most {@link migrationNameLengthMax}.
 * @param drift - from `findDrift`; must not be empty.
 * @param dialect - the dialect the drift was found on; its type names read the live types.
 */
export function writeMigration(
  name: string,
  drift: readonly Drift[],
  dialect: LiveDialect,
): GeneratedMigration {
  if (!isMigrationNameRe.test(name) || name.length > migrationNameLengthMax) {
    throw new Error(`a migration name is lower case, digits and _, at most ` +
      `${migrationNameLengthMax} characters: ${name}`);
  }
  const steps: Step[] = [];
  const unresolved: Drift[] = [];
  const changed = new Set<string>();
  const phase = (item: Drift) => phaseOrder.indexOf(item.kind);
  const ordered = [...drift].sort((a, b) => phase(a) - phase(b));
  for (const item of ordered) {
    const step = stepFor(item, dialect, changed);
    if (step === 'unresolved') unresolved.push(item);
    else if (step !== null) steps.push(step);
  }
  const exportName = migrationExportName(name);
  const up = steps.flatMap((step) => step.up);
  const down = [...steps].reverse().flatMap((step) => step.down);
  const source = [
    ...header(name, drift, unresolved, dialect),
    ...importsFor([...up, ...down]),
    '',
    `export const ${exportName}: Migration = {`,
    `  name: '${name}',`,
    ...direction('up', up),
    ...direction('down', down),
    '};',
    '',
  ].join('\n');
  return { name, exportName, source, unresolved };
}

function stepFor(
  item: Drift,
  dialect: LiveDialect,
  changed: Set<string>,
): Step | 'unresolved' | null {
  const table = quote(item.table);
  switch (item.kind) {
    case 'missing-table':
      return item.expectedTable ? createTableStep(item.expectedTable, dialect) : 'unresolved';
    case 'missing-column':
      if (!item.expectedColumn) return 'unresolved';
      return { up: call('addColumn', [table, quote(item.expectedColumn.name),
        columnOptions(item.expectedColumn, dialect, false)]),
      down: call('removeColumn', [table, quote(item.expectedColumn.name)]) };
    case 'extra-column':
      if (!item.actualColumn) return 'unresolved';
      return { up: call('removeColumn', [table, quote(item.actualColumn.name)]),
        down: call('addColumn', [table, quote(item.actualColumn.name),
          columnOptions(item.actualColumn, dialect, false)]) };
    case 'missing-index':
      return item.index ? indexStep(item.table, item.index) : 'unresolved';
    case 'missing-foreign-key':
      return item.foreignKey ? foreignKeyStep(item) : 'unresolved';
    case 'primary-key':
      return 'unresolved';
    default:
      return changeColumnStep(item, dialect, changed);
  }
}

/** One `changeColumn` per column, however many of its properties differ. */
function changeColumnStep(item: Drift, dialect: LiveDialect, changed: Set<string>) {
  const { expectedColumn, actualColumn } = item;
  if (!expectedColumn || !actualColumn) return 'unresolved';
  const key = `${item.table}.${expectedColumn.name}`;
  if (changed.has(key)) return null;
  changed.add(key);
  const args = (column: ColumnDefinition) =>
    [quote(item.table), quote(column.name), columnOptions(column, dialect, false)];
  return { up: call('changeColumn', args(expectedColumn)),
    down: call('changeColumn', args(actualColumn)) };
}

function createTableStep(table: TableDefinition, dialect: LiveDialect): Step {
  const columns = table.columns.map((column) => {
    const key = table.foreignKeys.find((candidate) => candidate.columns.length === 1
      && candidate.columns[0] === column.name);
    const references = key
      ? `{ model: ${quote(key.table)}, key: ${quote(key.referencedColumns[0] ?? 'id')} }` : null;
    return `${propertyName(column.name)}: ${columnOptions(column, dialect, true, references)}`;
  });
  const indexes = table.indexes.flatMap((index) => indexStep(table.table, index).up);
  return {
    up: [...call('createTable', [quote(table.table),
      `{\n${columns.map((line) => `${indent(line, 2)},`).join('\n')}\n}`]), ...indexes],
    down: call('dropTable', [quote(table.table)]),
  };
}

function indexStep(table: string, index: { name: string; columns: string[]; unique: boolean }) {
  const options = `{ name: ${quote(index.name)}${index.unique ? ', unique: true' : ''}, ` +
    'transaction }';
  return {
    up: call('addIndex', [quote(table), `[${index.columns.map(quote).join(', ')}]`, options],
      false),
    down: call('removeIndex', [quote(table), quote(index.name)]),
  };
}

function foreignKeyStep(item: Drift): Step {
  const key = item.foreignKey;
  if (!key) return { up: [], down: [] };
  const name = `${item.table}_${key.columns.join('_')}_fkey`;
  const options = `{\n  type: 'foreign key',\n  name: ${quote(name)},\n` +
    `  fields: [${key.columns.map(quote).join(', ')}],\n` +
    `  references: { table: ${quote(key.table)}, ` +
    `field: ${quote(key.referencedColumns[0] ?? 'id')} },` +
    '\n  transaction,\n}';
  return { up: call('addConstraint', [quote(item.table), options], false),
    down: call('removeConstraint', [quote(item.table), quote(name)]) };
}

/**
 * A column's options as source: `{ type, allowNull, defaultValue }`, and for a new table
 * its key flags and reference.
 */
function columnOptions(
  column: ColumnDefinition,
  dialect: LiveDialect,
  forCreate: boolean,
  references: string | null = null,
): string {
  const entries = [
    `type: ${column.dataTypeSource ?? quote(column.type)}`,
    `allowNull: ${column.nullable}`,
  ];
  if (forCreate && column.primaryKey) entries.push('primaryKey: true');
  if (forCreate && column.autoIncrement) entries.push('autoIncrement: true');
  const value = defaultSource(column, dialect);
  if (value !== null) entries.push(`defaultValue: ${value}`);
  if (references !== null) entries.push(`references: ${references}`);
  const inline = `{ ${entries.join(', ')} }`;
  return inline.length <= 70 ? inline : `{\n${entries.map((entry) => `  ${entry},`).join('\n')}\n}`;
}

/** The default as source: a literal typed by the column's category, an SQL literal() else. */
function defaultSource(column: ColumnDefinition, dialect: LiveDialect): string | null {
  const value = column.default;
  if (value === null) return null;
  if (value.kind === 'expression') return `literal(${quote(value.sql)})`;
  const category = parseDatabaseType(column.type, dialect).category;
  if (category === 'boolean') return String(value.value === '1' || value.value === 'true');
  const numeric = ['integer', 'big-integer', 'decimal', 'float', 'money'].includes(category);
  if (numeric && /^-?\d+(\.\d+)?$/.test(value.value)) {
    return Number.isSafeInteger(Number(value.value)) || value.value.includes('.')
      ? value.value : quote(value.value);
  }
  return quote(value.value);
}

/** `await qi.method(args..., { transaction });`, broken over lines where it is long. */
function call(method: string, args: string[], withTransaction = true): string[] {
  const all = withTransaction ? [...args, '{ transaction }'] : args;
  const inline = `await qi.${method}(${all.join(', ')});`;
  if (!inline.includes('\n') && inline.length + 6 <= lineLengthMax) return [inline];
  return [`await qi.${method}(`, ...all.map((arg) => `${indent(arg, 2)},`).join('\n').split('\n'),
    ');'];
}

function direction(name: 'up' | 'down', lines: string[]): string[] {
  return [
    `  async ${name}({ queryInterface: qi, sequelize }) {`,
    '    await sequelize.transaction(async (transaction) => {',
    ...lines.map((line) => `      ${line}`),
    '    });',
    '  },',
  ];
}

function importsFor(lines: string[]): string[] {
  const body = lines.join('\n');
  const named = ['DataTypes', 'literal'].filter((name) => body.includes(`${name}.`)
    || body.includes(`${name}(`));
  return [
    ...(named.length > 0 ? [`import { ${named.join(', ')} } from 'sequelize';`] : []),
    "import type { Migration } from '../server/migrator.ts';",
  ];
}

function header(name: string, drift: readonly Drift[], unresolved: Drift[], dialect: string) {
  const resolved = drift.filter((item) => !unresolved.includes(item));
  const rebuilds = resolved.some((item) => ['extra-column', 'column-type', 'column-nullability',
    'column-default', 'column-auto-increment', 'missing-foreign-key'].includes(item.kind));
  const lines = [
    `${name}: written by \`npm run db:generate\` from the drift between the registered models ` +
      `and a ${dialect} database. Review it, then add it to migrations/index.ts.`,
    '',
    'It resolves:',
    ...resolved.map((item) => ` - ${item.message}`),
  ];
  if (unresolved.length > 0) {
    lines.push('', 'Not generated; write these steps by hand:',
      ...unresolved.map((item) => ` - ${item.message}`));
  }
  if (rebuilds) {
    lines.push('', 'On SQLite, Sequelize rebuilds a table to remove or change a column or to add ' +
      'a foreign key, and the rebuilt table loses its CHECK constraints and expression indexes. ' +
      'Where the table has them, write those steps as DDL instead (see wallet_001).');
  }
  return ['/**', ' * @module', ...lines.flatMap((line) => wrap(line)).map((line) =>
    (line === '' ? ' *' : ` * ${line}`)), ' */'];
}

/** `text` broken at spaces into lines that fit the comment; continuation lines indented. */
function wrap(text: string): string[] {
  const width = lineLengthMax - 3;
  const lines: string[] = [];
  let rest = text;
  const continuation = text.startsWith(' - ') ? '   ' : '';
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut <= continuation.length ? width : cut;
    lines.push(rest.slice(0, at));
    rest = continuation + rest.slice(at).trimStart();
  }
  lines.push(rest);
  return lines;
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((line) => ' '.repeat(spaces) + line).join('\n');
}

/** A single-quoted TypeScript string. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An object key: bare when it is an identifier, quoted otherwise. */
function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}
