/**
 * @module
 * Shapes of the MFA API: what `/api/mfa/*` reads and answers. No server imports (only other
 * schema modules), so the MFA elements may `import type` from here, and the OpenAPI document is
 * built from the same objects the routes parse with.
 */
import { z } from 'zod';
import { mfaMethodSchema, mfaStateSchema } from '../auth/schemas.ts';

export { mfaMethodSchema, mfaStateSchema };
export type { MfaMethod, MfaState } from '../auth/schemas.ts';

/** Methods that can be enrolled (backup codes come with any of them). */
export const primaryMethodSchema = z.enum(['totp', 'sms', 'email']);
export type PrimaryMethod = z.infer<typeof primaryMethodSchema>;

/** Every method a verification may name (`device` only ever appears in the history). */
export const historyMethodSchema = z.enum(['totp', 'sms', 'email', 'backup', 'device', 'admin']);

/** Longest code read: an 8-digit TOTP, a 6-digit SMS or email code, or a backup code. */
export const codeLengthMax = 32;

/** Most policies an installation may have. */
export const policiesMax = 100;

/** Most roles one policy may name. */
export const policyRolesMax = 20;

/** Highest and lowest priority; the highest applicable priority wins. */
export const policyPriorityMax = 1000;

/** Longest grace period. */
export const gracePeriodDaysMax = 365;

/** Most sign-ins a user may skip the setup prompt for. */
export const gracePromptsMaxLimit = 100;

/** Most failed attempts a policy may allow before locking (never more than 10). */
export const failedAttemptsMaxLimit = 10;

/** Failed attempts before locking when the policy says nothing else. */
export const failedAttemptsMaxDefault = 5;

/** Longest lockout a policy may set (one day). */
export const lockoutMinutesMax = 1440;

/** Lockout length when the policy says nothing else. */
export const lockoutMinutesDefault = 15;

/** Longest a device may be remembered. */
export const rememberDeviceDaysMax = 90;

/** Most items a list answers at once, and how many when `limit` is not given. */
export const pageLimitMax = 100;
export const pageLimitDefault = 50;

const isoDateTime = z.iso.datetime({ offset: true });

/** A code as typed; whether it is right is the service's business. */
export const codeSchema = z
  .string({ error: 'Must be text.' })
  .trim()
  .min(1, 'Required.')
  .max(codeLengthMax, `Use at most ${codeLengthMax} characters.`);

/** `?limit=1..100&cursor=...` of every list. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'Must be a whole number.' })
    .int('Must be a whole number.')
    .min(1, 'Use 1 to 100.')
    .max(pageLimitMax, `Use 1 to ${pageLimitMax}.`)
    .default(pageLimitDefault),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'Use the nextCursor of a previous page.')
    .optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A list answer. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** `:id` in a path. */
export const idParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'Must be a positive whole number.')
    .transform(Number),
});

/** `:method` in a path. */
export const methodParamsSchema = z.object({ method: primaryMethodSchema });

/** `POST /api/mfa/totp/setup?algorithm=&digits=&periodSeconds=`: all optional. */
export const totpSetupQuerySchema = z.object({
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']).default('SHA1'),
  digits: z
    .enum(['6', '8'])
    .default('6')
    .transform((value) => (value === '6' ? 6 : 8) as 6 | 8),
  periodSeconds: z
    .enum(['30', '60'])
    .default('30')
    .transform((value) => (value === '30' ? 30 : 60) as 30 | 60),
});
export type TotpSetupQuery = z.infer<typeof totpSetupQuerySchema>;

/** `POST /api/mfa/totp/setup` answers this, once, with `Cache-Control: no-store`. */
export const totpSetupSchema = z.object({
  secret: z.string().meta({ description: 'Base32 secret for manual entry.' }),
  otpauthUri: z.string(),
  qrSvg: z.string().meta({ description: 'The otpauth URI as an SVG QR code.' }),
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
  digits: z.union([z.literal(6), z.literal(8)]),
  periodSeconds: z.union([z.literal(30), z.literal(60)]),
  expiresAt: isoDateTime,
});
export type TotpSetup = z.infer<typeof totpSetupSchema>;

/** `POST /api/mfa/{totp,sms,email}/confirm`. */
export const confirmBodySchema = z.strictObject({ code: codeSchema });

/** An enrolment answer: new backup codes when this was the account's first method. */
export const backupCodesSchema = z.object({
  backupCodes: z.array(z.string()).meta({
    description: 'Shown once. Empty when the account already had backup codes.',
  }),
});
export type BackupCodes = z.infer<typeof backupCodesSchema>;

/** `POST /api/mfa/sms/setup`. */
export const smsSetupBodySchema = z.strictObject({
  phone: z
    .string({ error: 'Must be text.' })
    .trim()
    .min(1, 'Required.')
    .max(32, 'Use at most 32 characters.'),
});

/** `POST /api/mfa/email/setup`: the account's address unless another is given. */
export const emailSetupBodySchema = z.strictObject({
  email: z
    .string({ error: 'Must be text.' })
    .trim()
    .max(254, 'Use at most 254 characters.')
    .pipe(z.email('Enter an email address like name@example.com.'))
    .optional(),
});

/** `POST /api/mfa/challenge`. */
export const challengeBodySchema = z.strictObject({ method: z.enum(['sms', 'email']) });

/** A sent code: where it went (masked) and when things happen. */
export const codeSentSchema = z.object({
  method: z.enum(['sms', 'email']),
  sentTo: z.string(),
  expiresAt: isoDateTime,
  resendAvailableAt: isoDateTime,
});
export type CodeSent = z.infer<typeof codeSentSchema>;

/** `POST /api/mfa/verify`. */
export const verifyBodySchema = z.strictObject({
  method: mfaMethodSchema,
  code: codeSchema,
  rememberDevice: z.boolean({ error: 'Must be true or false.' }).optional(),
});
export type VerifyBody = z.infer<typeof verifyBodySchema>;

/** `POST /api/mfa/verify` answers 200 with this. */
export const verifiedSchema = z.object({
  verified: z.literal(true),
  method: mfaMethodSchema,
  rememberedUntil: isoDateTime.nullable(),
});

/** `PUT /api/mfa/preferred`. */
export const preferredBodySchema = z.strictObject({ method: primaryMethodSchema });

const methodStatusSchema = z.object({
  enabled: z.boolean(),
  /** Allowed by the policy that applies now. */
  allowed: z.boolean(),
  enabledAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
});

/** `GET /api/mfa/status`: everything the MFA elements show about the signed-in account. */
export const statusSchema = mfaStateSchema.extend({
  policy: z.object({ id: z.number().int().nullable(), name: z.string() }),
  allowedMethods: z.array(primaryMethodSchema),
  preferredMethod: primaryMethodSchema.nullable(),
  enrolment: z.object({
    /** The policy requires a method and none is set up. */
    due: z.boolean(),
    /** Nothing but enrolment is possible until a method is set up. */
    mustEnrolNow: z.boolean(),
    graceEndsAt: isoDateTime.nullable(),
    promptsLeft: z.number().int().nullable(),
  }),
  totp: methodStatusSchema.extend({
    algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']).nullable(),
    digits: z.number().int().nullable(),
    periodSeconds: z.number().int().nullable(),
  }),
  sms: methodStatusSchema.extend({ destination: z.string().nullable() }),
  email: methodStatusSchema.extend({ destination: z.string().nullable() }),
  backupCodes: z.object({
    remaining: z.number().int(),
    total: z.number().int(),
    generatedAt: isoDateTime.nullable(),
  }),
  lockedUntil: isoDateTime.nullable(),
  attemptsLeft: z.number().int(),
  /** Until when a step-up action needs no new verification; null when it needs one now. */
  stepUpValidUntil: isoDateTime.nullable(),
  rememberDeviceDays: z.number().int(),
});
export type MfaStatus = z.infer<typeof statusSchema>;

/** `GET /api/mfa/backup-codes`. */
export const backupCodeCountsSchema = z.object({
  remaining: z.number().int(),
  total: z.number().int(),
  generatedAt: isoDateTime.nullable(),
});

/** A remembered device. */
export const trustedDeviceSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  ip: z.string().nullable(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  current: z.boolean().meta({ description: 'The device this request came from.' }),
});
export type TrustedDeviceView = z.infer<typeof trustedDeviceSchema>;

/** One entry of the verification history; never a code. */
export const verificationSchema = z.object({
  id: z.number().int(),
  method: historyMethodSchema,
  purpose: z.enum(['sign-in', 'step-up', 'enrolment', 'unlock', 'reset']),
  outcome: z.enum(['success', 'failure', 'refused']),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: isoDateTime,
});
export type VerificationView = z.infer<typeof verificationSchema>;

/** One message of the development outbox. */
export const outboxMessageSchema = z.object({
  id: z.number().int(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: isoDateTime,
});

const nullableBoundedInt = (max: number) =>
  z
    .number({ error: 'Must be a whole number or null.' })
    .int('Must be a whole number.')
    .min(0, 'Must not be negative.')
    .max(max, `Use at most ${max}.`)
    .nullable()
    .default(null);

const boundedInt = (min: number, max: number, fallback: number) =>
  z
    .number({ error: 'Must be a whole number.' })
    .int('Must be a whole number.')
    .min(min, `Use ${min} to ${max}.`)
    .max(max, `Use ${min} to ${max}.`)
    .default(fallback);

/** `POST /api/mfa/policies` and `PUT /api/mfa/policies/:id`: the whole policy. */
export const policyBodySchema = z.strictObject({
  name: z
    .string({ error: 'Must be text.' })
    .trim()
    .min(1, 'Required.')
    .max(100, 'Use at most 100 characters.'),
  priority: boundedInt(-policyPriorityMax, policyPriorityMax, 0),
  /** Role names; none means every account (org-wide). */
  roles: z
    .array(z.string().trim().min(1).max(64))
    .max(policyRolesMax, `Name at most ${policyRolesMax} roles.`)
    .default([])
    .refine((roles) => new Set(roles).size === roles.length, 'Name each role once.'),
  enforcement: z.enum(['required', 'optional']),
  allowedMethods: z
    .array(primaryMethodSchema)
    .min(1, 'Allow at least one method.')
    .max(3)
    .refine((methods) => new Set(methods).size === methods.length, 'Name each method once.'),
  gracePeriodDays: nullableBoundedInt(gracePeriodDaysMax),
  gracePromptsMax: nullableBoundedInt(gracePromptsMaxLimit),
  setupDeadline: isoDateTime.nullable().default(null),
  maxFailedAttempts: boundedInt(1, failedAttemptsMaxLimit, failedAttemptsMaxDefault),
  lockoutMinutes: boundedInt(1, lockoutMinutesMax, lockoutMinutesDefault),
  totpWindowSteps: boundedInt(0, 2, 1),
  rememberDeviceDays: boundedInt(0, rememberDeviceDaysMax, 0),
});
export type PolicyBody = z.infer<typeof policyBodySchema>;

/** A policy as the API shows it. */
export const policySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  priority: z.number().int(),
  roles: z.array(z.string()),
  enforcement: z.enum(['required', 'optional']),
  allowedMethods: z.array(primaryMethodSchema),
  gracePeriodDays: z.number().int().nullable(),
  gracePromptsMax: z.number().int().nullable(),
  setupDeadline: isoDateTime.nullable(),
  maxFailedAttempts: z.number().int(),
  lockoutMinutes: z.number().int(),
  totpWindowSteps: z.number().int(),
  rememberDeviceDays: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type PolicyView = z.infer<typeof policySchema>;

/** `GET /api/mfa/users/:id` (Admin): an account's MFA as an Admin sees it. */
export const adminUserSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  appliedPolicy: z.object({ id: z.number().int().nullable(), name: z.string() }),
  status: statusSchema,
  consecutiveFailures: z.number().int(),
  trustedDevices: z.number().int(),
});
