/**
 * @module
 * Structured logs: one JSON object per line, with the request id when there is one. Values of
 * keys that look secret (passwords, codes, tokens, cookies, keys) are replaced before writing,
 * at any depth, so a careless `logger.info({ body })` cannot leak a credential.
 */
import type { LogLevel } from './config.ts';

/** Fields of one log line. */
export type LogFields = Record<string, unknown>;

/** Writes structured log lines. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
}

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Keys whose values are never written. */
const isSecretKeyRe =
  /pass(word)?|secret|token|otp|^code$|codes$|cookie|authorization|api[-_]?key|private|session[-_]?id|phone/i;

/** Deepest nesting that is walked for redaction; deeper values are cut. */
const redactDepthMax = 8;

/** Returns a copy of `value` with secret-looking keys replaced by `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= redactDepthMax) return '[depth]';
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = isSecretKeyRe.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return copy;
}

/** Creates a logger writing lines at or above `level` to `write` (stdout by default). */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  bound: LogFields = {},
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
    if (severity[at] < severity[level]) return;
    const line = { time: new Date().toISOString(), level: at, message, ...bound, ...fields };
    write(JSON.stringify(redact(line), bigintReplacer));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(level, write, { ...bound, ...fields }),
  };
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
