/**
 * @module
 * The server's configuration, read once from the environment and validated at start.
 * Every bad value is reported with the variable's name and what it should look like, all at
 * once, so an operator fixes a broken deployment in one pass.
 */

/** Where the database lives. */
export type DatabaseTarget =
  | { dialect: 'sqlite'; storage: string; isDefault: boolean }
  | { dialect: 'postgres'; url: string };

/** The validated configuration every part of the server reads. */
export interface Config {
  /** `NODE_ENV`; `production` forbids the generated development key. */
  nodeEnv: 'development' | 'production' | 'test';
  /** `PORT`, 0..65535 (0: any free port), default 3000. */
  port: number;
  /** `HOST`, the address to listen on, default 127.0.0.1. */
  host: string;
  /** `DATABASE_URL`: unset means `data/ab-elements.sqlite`. */
  database: DatabaseTarget;
  /** `ADMIN_USER` and `ADMIN_PASSWORD`: an Admin made sure of at start, when both are set. */
  admin: { username: string; password: string } | null;
  /** `ALLOWED_ORIGINS`: other sites whose pages may call the API with credentials. */
  allowedOrigins: string[];
  /** `PUBLIC_ORIGIN`: the server's own origin when it sits behind a proxy. */
  publicOrigin: string | null;
  /** `SECRET_KEYS`: Fernet keys, newest first; null means the development key under `data/`. */
  secretKeys: string[] | null;
  /** `SEED_DEMO`: seed demo data even into a database named by `DATABASE_URL`. */
  seedDemo: boolean;
  /** `LOG_LEVEL`: debug, info, warn, error or silent; default info. */
  logLevel: LogLevel;
  /** `DATA_DIR`: where the default SQLite file and the development key live; default `data`. */
  dataDir: string;
  /**
   * `SMTP_URL` (`smtp://user:pass@host:587` or `smtps://...`) and `SMTP_FROM`: email goes out
   * over SMTP; null means the development outbox keeps it in the database.
   */
  smtp: SmtpConfig | null;
  /**
   * `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM` (all three or none) and
   * `TWILIO_API_BASE`: SMS goes out through Twilio's REST API; null means the outbox.
   */
  twilio: TwilioConfig | null;
  /**
   * `RISK_REVIEW_SCORE` and `RISK_BLOCK_SCORE`, 1..1000: the risk score from which a debit a
   * user makes is posted but flagged for review (default 40), and from which it is refused
   * (default 80; at least the review score). See `server/wallet/risk-rules.ts`.
   */
  risk: RiskConfig;
  /**
   * `SCHEDULER_INTERVAL_SECONDS`: seconds between rounds of background jobs (recurring
   * transactions, purges), 0 to 86400, default 60; 0 turns the scheduler off in this process.
   */
  schedulerIntervalSeconds: number;
  /**
   * `UPLOAD_DIR` (default `<DATA_DIR>/uploads`), `UPLOAD_MAX_BYTES` (the largest file, default
   * 10 MiB) and `UPLOAD_QUOTA_BYTES` (the most bytes one user keeps, default 100 MiB). See
   * `server/uploads/`.
   */
  uploads: UploadConfig;
}

/** Where uploaded files live and how much a user may keep. */
export interface UploadConfig {
  /** The folder the files are kept in, named by random ids; created when first needed. */
  directory: string;
  /** The largest file accepted, in bytes. */
  fileBytesMax: number;
  /** The most bytes of files one user may keep. */
  quotaBytesMax: number;
}

/** The largest upload when `UPLOAD_MAX_BYTES` is unset: 10 MiB. */
export const defaultUploadFileBytesMax = 10 * 1024 * 1024;

/** A user's upload quota when `UPLOAD_QUOTA_BYTES` is unset: 100 MiB. */
export const defaultUploadQuotaBytesMax = 100 * 1024 * 1024;

/** The largest value `UPLOAD_MAX_BYTES` may take: 1 GiB. */
export const uploadFileBytesLimit = 1024 * 1024 * 1024;

/** The largest value `UPLOAD_QUOTA_BYTES` may take: 1 TiB. */
export const uploadQuotaBytesLimit = 1024 * 1024 * 1024 * 1024;

/** The thresholds of the risk bands. */
export interface RiskConfig {
  reviewScoreMin: number;
  blockScoreMin: number;
}

/** The risk score from which a debit is flagged for review when `RISK_REVIEW_SCORE` is unset. */
export const defaultRiskReviewScore = 40;

/** The risk score from which a debit is refused when `RISK_BLOCK_SCORE` is unset. */
export const defaultRiskBlockScore = 80;

/** Where email goes when it is really sent. */
export interface SmtpConfig {
  /** The connection URL for nodemailer; it may hold a password, so it is never logged. */
  url: string;
  /** The `From` of every message. */
  from: string;
}

/** Where SMS goes when it is really sent. */
export interface TwilioConfig {
  /** `AC` and 32 hex digits. */
  accountSid: string;
  /** The auth token; never logged. */
  authToken: string;
  /** An E.164 number (`+15005550006`) or a messaging service SID (`MG...`). */
  from: string;
  /** `https://api.twilio.com` unless `TWILIO_API_BASE` says otherwise (tests, proxies). */
  apiBase: string;
}

/** The sender of email when `SMTP_FROM` is not set. */
export const defaultMailFrom = 'ab-elements <no-reply@localhost>';

/** Twilio's REST API origin. */
export const defaultTwilioApiBase = 'https://api.twilio.com';

/** Log levels in increasing severity; `silent` writes nothing. */
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Thrown when the environment holds bad values; `problems` names each one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A Fernet key: 32 bytes in URL-safe base64 (44 characters with padding). */
const isFernetKeyRe = /^[A-Za-z0-9_-]{43}=$/;

/** Reads and validates the configuration; throws {@link ConfigError} listing every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = readNodeEnv(env.NODE_ENV, problems);
  const dataDir = env.DATA_DIR?.trim() || 'data';
  const config: Config = {
    nodeEnv,
    port: readPort(env.PORT, problems),
    host: env.HOST?.trim() || '127.0.0.1',
    database: readDatabase(env.DATABASE_URL, dataDir, problems),
    admin: readAdmin(env.ADMIN_USER, env.ADMIN_PASSWORD, problems),
    allowedOrigins: readOrigins(env.ALLOWED_ORIGINS, problems),
    publicOrigin: readPublicOrigin(env.PUBLIC_ORIGIN, problems),
    secretKeys: readSecretKeys(env.SECRET_KEYS, problems),
    seedDemo: readBoolean('SEED_DEMO', env.SEED_DEMO, problems),
    logLevel: readLogLevel(env.LOG_LEVEL, problems),
    dataDir,
    smtp: readSmtp(env.SMTP_URL, env.SMTP_FROM, problems),
    twilio: readTwilio(env, nodeEnv, problems),
    risk: readRisk(env.RISK_REVIEW_SCORE, env.RISK_BLOCK_SCORE, problems),
    schedulerIntervalSeconds: readSchedulerInterval(env.SCHEDULER_INTERVAL_SECONDS, problems),
    uploads: readUploads(env, dataDir, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readNodeEnv(value: string | undefined, problems: string[]): Config['nodeEnv'] {
  if (value === undefined || value === '') return 'development';
  if (value === 'development' || value === 'production' || value === 'test') return value;
  problems.push(`NODE_ENV must be development, production or test (got "${value}").`);
  return 'development';
}

function readPort(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return 3000;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  // 0 asks the system for a free port (the multi-process tests); the log names the one taken.
  if (port >= 0 && port <= 65535) return port;
  problems.push(`PORT must be a whole number from 0 to 65535 (got "${value}").`);
  return 3000;
}

function readDatabase(
  value: string | undefined,
  dataDir: string,
  problems: string[],
): DatabaseTarget {
  if (value === undefined || value.trim() === '') {
    return { dialect: 'sqlite', storage: `${dataDir}/ab-elements.sqlite`, isDefault: true };
  }
  if (value.startsWith('sqlite:')) {
    const storage = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (storage !== '') return { dialect: 'sqlite', storage, isDefault: false };
  }
  if (/^postgres(ql)?:\/\/\S+$/.test(value)) return { dialect: 'postgres', url: value };
  problems.push(
    'DATABASE_URL must be sqlite:PATH or postgres://user@host:port/database ' +
      `(got "${redactUrl(value)}").`,
  );
  return { dialect: 'sqlite', storage: `${dataDir}/ab-elements.sqlite`, isDefault: true };
}

/** Hides a password in a URL so an error message never repeats it. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

function readAdmin(
  username: string | undefined,
  password: string | undefined,
  problems: string[],
): Config['admin'] {
  if (!username && !password) return null;
  if (!username || !password) {
    problems.push('ADMIN_USER and ADMIN_PASSWORD must be set together.');
    return null;
  }
  if (password.length < 10) problems.push('ADMIN_PASSWORD must have at least 10 characters.');
  if (password === username) problems.push('ADMIN_PASSWORD must differ from ADMIN_USER.');
  return { username, password };
}

function readOrigins(value: string | undefined, problems: string[]): string[] {
  if (!value) return [];
  const origins: string[] = [];
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const origin = parseOrigin(item);
    if (origin) origins.push(origin);
    else problems.push(`ALLOWED_ORIGINS entries must be origins like https://shop.example (got "${item}").`);
  }
  return origins;
}

function readPublicOrigin(value: string | undefined, problems: string[]): string | null {
  if (!value) return null;
  const origin = parseOrigin(value.trim());
  if (!origin) problems.push(`PUBLIC_ORIGIN must be an origin like https://bank.example (got "${value}").`);
  return origin;
}

/** Returns the normalised origin of `value`, or null when it is not a bare http(s) origin. */
function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
    if ((url.protocol === 'http:' || url.protocol === 'https:') && bare) return url.origin;
  } catch {
    // not a URL at all: reported by the caller
  }
  return null;
}

function readSecretKeys(value: string | undefined, problems: string[]): string[] | null {
  if (!value) return null;
  const keys = value.split(',').map((part) => part.trim()).filter(Boolean);
  keys.forEach((key, index) => {
    if (!isFernetKeyRe.test(key)) {
      problems.push(`SECRET_KEYS entry ${index + 1} is not a Fernet key (32 bytes, URL-safe base64).`);
    }
  });
  return keys.length > 0 ? keys : null;
}

/** The default pause between scheduler rounds, in seconds. */
export const defaultSchedulerIntervalSeconds = 60;

function readSchedulerInterval(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return defaultSchedulerIntervalSeconds;
  const seconds = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (seconds >= 0 && seconds <= 86_400) return seconds;
  problems.push('SCHEDULER_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to ' +
    `86400 (got "${value}").`);
  return defaultSchedulerIntervalSeconds;
}

function readUploads(
  env: Record<string, string | undefined>,
  dataDir: string,
  problems: string[],
): UploadConfig {
  const bytes = (name: string, fallback: number, limit: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (parsed >= 1 && parsed <= limit) return parsed;
    problems.push(`${name} must be a whole number of bytes from 1 to ${limit} (got "${value}").`);
    return fallback;
  };
  return {
    directory: env.UPLOAD_DIR?.trim() || `${dataDir}/uploads`,
    fileBytesMax: bytes('UPLOAD_MAX_BYTES', defaultUploadFileBytesMax, uploadFileBytesLimit),
    quotaBytesMax: bytes('UPLOAD_QUOTA_BYTES', defaultUploadQuotaBytesMax, uploadQuotaBytesLimit),
  };
}

function readBoolean(name: string, value: string | undefined, problems: string[]): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  problems.push(`${name} must be 1, 0, true or false (got "${value}").`);
  return false;
}

function readRisk(
  review: string | undefined,
  block: string | undefined,
  problems: string[],
): RiskConfig {
  const score = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined || value === '') return fallback;
    const parsed = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    if (parsed >= 1 && parsed <= 1000) return parsed;
    problems.push(`${name} must be a whole number from 1 to 1000 (got "${value}").`);
    return fallback;
  };
  const reviewScoreMin = score('RISK_REVIEW_SCORE', review, defaultRiskReviewScore);
  const blockScoreMin = score('RISK_BLOCK_SCORE', block, defaultRiskBlockScore);
  if (blockScoreMin < reviewScoreMin) {
    problems.push(`RISK_BLOCK_SCORE (${blockScoreMin}) must be at least RISK_REVIEW_SCORE ` +
      `(${reviewScoreMin}).`);
    return { reviewScoreMin: defaultRiskReviewScore, blockScoreMin: defaultRiskBlockScore };
  }
  return { reviewScoreMin, blockScoreMin };
}

function readLogLevel(value: string | undefined, problems: string[]): LogLevel {
  if (value === undefined || value === '') return 'info';
  if ((logLevels as readonly string[]).includes(value)) return value as LogLevel;
  problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')} (got "${value}").`);
  return 'info';
}

function readSmtp(
  url: string | undefined,
  from: string | undefined,
  problems: string[],
): SmtpConfig | null {
  const sender = from?.trim() || defaultMailFrom;
  const isAddress = /^[^<>\n]*<?[^@\s<>]+@[^@\s<>]+>?$/.test(sender);
  if (from !== undefined && from.trim() !== '' && !isAddress) {
    problems.push(
      `SMTP_FROM must be an address like "Shop <no-reply@shop.example>" (got "${from}").`,
    );
  }
  if (!url) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url.trim());
  } catch {
    parsed = null;
  }
  if (parsed === null || !/^smtps?:$/.test(parsed.protocol) || parsed.hostname === '') {
    problems.push(
      `SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://... (got "${redactUrl(url)}").`,
    );
    return null;
  }
  return { url: url.trim(), from: sender };
}

/** `AC` followed by 32 hex digits. */
const isTwilioAccountSidRe = /^AC[0-9a-fA-F]{32}$/;

/** An E.164 number or a messaging service SID. */
const isTwilioFromRe = /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/;

function readTwilio(
  env: Record<string, string | undefined>,
  nodeEnv: Config['nodeEnv'],
  problems: string[],
): TwilioConfig | null {
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim() ?? '';
  const authToken = env.TWILIO_AUTH_TOKEN?.trim() ?? '';
  const from = env.TWILIO_FROM?.trim() ?? '';
  const apiBase = readTwilioApiBase(env.TWILIO_API_BASE, nodeEnv, problems);
  const given = [accountSid, authToken, from].filter((value) => value !== '').length;
  if (given === 0) return null;
  if (given < 3) {
    problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together.');
    return null;
  }
  if (!isTwilioAccountSidRe.test(accountSid)) {
    problems.push('TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal digits.');
  }
  if (!/^[A-Za-z0-9]{16,128}$/.test(authToken)) {
    problems.push('TWILIO_AUTH_TOKEN must be 16 to 128 letters and digits.');
  }
  if (!isTwilioFromRe.test(from)) {
    problems.push(
      `TWILIO_FROM must be an E.164 number like +15005550006 or an MG... SID (got "${from}").`,
    );
  }
  return { accountSid, authToken, from, apiBase };
}

function readTwilioApiBase(
  value: string | undefined,
  nodeEnv: Config['nodeEnv'],
  problems: string[],
): string {
  if (!value) return defaultTwilioApiBase;
  const origin = parseOrigin(value.trim());
  const secure = origin?.startsWith('https:') === true;
  if (origin === null || (nodeEnv === 'production' && !secure)) {
    problems.push(
      `TWILIO_API_BASE must be an origin like https://api.twilio.com${
        nodeEnv === 'production' ? ' (https in production)' : ''
      } (got "${value}").`,
    );
    return defaultTwilioApiBase;
  }
  return origin;
}
