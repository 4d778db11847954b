/**
 * @packageDocumentation
 * The MFA endpoints (`/mfa/*`) as typed calls, and the shapes they read and answer with, for the
 * MFA elements: status, enrolment, challenge and verification, backup codes, methods, remembered
 * devices, history, the development outbox, and the Admin's policies and accounts.
 *
 * The shapes follow `server/mfa/schemas.ts`. They are written out here rather than imported, so
 * the element build never reaches into the server's tree (as `session-api.ts` does for the
 * session); the MFA element tests against the real server keep the two in step.
 *
 * Failures arrive as {@link ProblemError}; {@link mfaProblems} names the slugs the MFA routes
 * send, and {@link lockedUntilOf} reads the end of a lock from one.
 *
 * @example
 * ```ts
 * const status = await mfaStatus(this.api);
 * try {
 *   const { rememberedUntil } = await verifyCode(this.api, { method: 'totp', code });
 * } catch (error) {
 *   if (error instanceof ProblemError && error.is(mfaProblems.invalidCode)) ...
 * }
 * ```
 */
import type { ApiClient } from './api-client.ts';
import { ProblemError } from './api-errors.ts';
import type { MfaMethod } from './session-api.ts';

export type { MfaMethod } from './session-api.ts';

// ---------------------------------------------------------------------------------------------
// Limits the server enforces, mirrored so elements can say so before a round trip.

/** Longest code the server reads: an 8-digit TOTP, a 6-digit SMS/email code or a backup code. */
export const codeLengthMax = 32;
/** Digits of a code sent by SMS or email. */
export const sentCodeDigits = 6;
/** Letters and digits of a backup code (`SSSS-VVVVV-VVVVV`: a selector and a verifier). */
export const backupCodeCharacters = 14;
/** Codes in a fresh set of backup codes. */
export const backupCodeCount = 10;
/** Minutes a verification lets the session do what needs a step-up. */
export const stepUpWindowMinutes = 5;
/** Most policies an installation may have. */
export const policiesMax = 100;
/** Most roles one policy may name. */
export const policyRolesMax = 20;
/** Highest priority a policy may have; the lowest is its negative. */
export const policyPriorityMax = 1000;
/** Longest policy name. */
export const policyNameLengthMax = 100;
/** Longest role name a policy may list. */
export const policyRoleLengthMax = 64;
/** Longest grace period, in days. */
export const gracePeriodDaysMax = 365;
/** Most sign-ins a user may skip the setup prompt for. */
export const gracePromptsMaxLimit = 100;
/** Most failed attempts a policy may allow before locking. */
export const failedAttemptsMaxLimit = 10;
/** Failed attempts before locking when the policy says nothing else. */
export const failedAttemptsMaxDefault = 5;
/** Longest lockout a policy may set, in minutes (one day). */
export const lockoutMinutesMax = 1440;
/** Lockout length when the policy says nothing else, in minutes. */
export const lockoutMinutesDefault = 15;
/** Widest TOTP window a policy may set, in steps either side of now. */
export const totpWindowStepsMax = 2;
/** Longest a device may be remembered, in days. */
export const rememberDeviceDaysMax = 90;
/** Longest phone number `POST /mfa/sms/setup` reads. */
export const phoneLengthMax = 32;
/** Longest email address `POST /mfa/email/setup` reads. */
export const emailLengthMax = 254;
/** Most items one page of a list holds. */
export const pageLimitMax = 100;
/** Items in a page when no `limit` is given. */
export const pageLimitDefault = 50;

// ---------------------------------------------------------------------------------------------
// Shapes.

/** A method that can be set up; backup codes come with any of them. */
export type PrimaryMethod = 'totp' | 'sms' | 'email';

/** A method a code is sent for: text message or email. */
export type CodeChannel = 'sms' | 'email';

/** Hash algorithm of an authenticator app's codes. */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Every method a history entry may name: `device` is a remembered device, `admin` an Admin. */
export type HistoryMethod = MfaMethod | 'device' | 'admin';

/** One page of a list: `nextCursor` is passed back as `cursor` for the next page. */
export interface Page<T> {
  /** The items of this page. */
  items: T[];
  /** The cursor of the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** `?limit=&cursor=` of every list. */
export interface PageQuery {
  /** Items per page, 1 to {@link pageLimitMax}; {@link pageLimitDefault} when left out. */
  limit?: number;
  /** The `nextCursor` of the previous page; the first page when left out. */
  cursor?: string;
}

/** One method as the status shows it. */
export interface MethodStatus {
  /** Set up and usable. */
  enabled: boolean;
  /** Allowed by the policy that applies now. */
  allowed: boolean;
  /** When it was set up; `null` when it is not. */
  enabledAt: string | null;
  /** When it last verified successfully; `null` when never. */
  lastUsedAt: string | null;
}

/** The authenticator app's method status, with its code parameters once set up. */
export interface TotpMethodStatus extends MethodStatus {
  /** Hash algorithm; `null` when not set up. */
  algorithm: TotpAlgorithm | null;
  /** Digits per code (6 or 8); `null` when not set up. */
  digits: number | null;
  /** Seconds per code; `null` when not set up. */
  periodSeconds: number | null;
}

/** A code method's status, with where codes go (masked). */
export interface CodeMethodStatus extends MethodStatus {
  /** The masked phone number or address; `null` when not set up. */
  destination: string | null;
}

/** Backup code counts. */
export interface BackupCodeCounts {
  /** Codes not used yet. */
  remaining: number;
  /** Codes in the current set. */
  total: number;
  /** When the current set was made; `null` when there is none. */
  generatedAt: string | null;
}

/** `GET /mfa/status`: everything the MFA elements show about the signed-in account. */
export interface MfaStatus {
  /** A second factor is due before the session can do anything but verify it. */
  required: boolean;
  /** This session has passed a second factor. */
  verified: boolean;
  /** The methods the user can verify with (`backup` included while codes remain). */
  methods: MfaMethod[];
  /** The policy that applies; `id` is `null` for the built-in one. */
  policy: { id: number | null; name: string };
  /** Methods the policy allows to be set up. */
  allowedMethods: PrimaryMethod[];
  /** The method offered first; `null` when none is set up. */
  preferredMethod: PrimaryMethod | null;
  /** Where the account stands on setting up a method the policy requires. */
  enrolment: {
    /** The policy requires a method and none is set up. */
    due: boolean;
    /** Nothing but enrolment is possible until a method is set up. */
    mustEnrolNow: boolean;
    /** When the grace period ends; `null` when there is none. */
    graceEndsAt: string | null;
    /** Sign-ins that may still skip the prompt; `null` when not counted. */
    promptsLeft: number | null;
  };
  /** The authenticator app. */
  totp: TotpMethodStatus;
  /** Text messages. */
  sms: CodeMethodStatus;
  /** Email codes. */
  email: CodeMethodStatus;
  /** Backup code counts. */
  backupCodes: BackupCodeCounts;
  /** While locked after too many wrong codes: when the lock ends; else `null`. */
  lockedUntil: string | null;
  /** Wrong codes left before the lock. */
  attemptsLeft: number;
  /** Until when a step-up action needs no new verification; `null` when it needs one now. */
  stepUpValidUntil: string | null;
  /** Days a device may be remembered after a verification; 0 when the policy forbids it. */
  rememberDeviceDays: number;
}

/** `?algorithm=&digits=&periodSeconds=` of `POST /mfa/totp/setup`; each optional. */
export interface TotpSetupOptions {
  /** Hash algorithm; `SHA1` (what every app reads) when left out. */
  algorithm?: TotpAlgorithm;
  /** Digits per code; 6 when left out. */
  digits?: 6 | 8;
  /** Seconds per code; 30 when left out. */
  periodSeconds?: 30 | 60;
}

/** `POST /mfa/totp/setup`: a pending authenticator app, shown once. */
export interface TotpSetup {
  /** Base32 secret for manual entry. */
  secret: string;
  /** The `otpauth://` URI the QR code holds. */
  otpauthUri: string;
  /** The URI as an SVG QR code (markup made by the server). */
  qrSvg: string;
  /** Hash algorithm of the codes. */
  algorithm: TotpAlgorithm;
  /** Digits per code. */
  digits: 6 | 8;
  /** Seconds per code. */
  periodSeconds: 30 | 60;
  /** When the pending setup lapses (10 minutes). */
  expiresAt: string;
}

/** Fresh backup codes, shown once. */
export interface BackupCodes {
  /** The codes; empty when an enrolment found the account already had codes. */
  backupCodes: string[];
}

/** A code sent by SMS or email. */
export interface CodeSent {
  /** How it was sent. */
  method: CodeChannel;
  /** Where it went, masked. */
  sentTo: string;
  /** When the code lapses. */
  expiresAt: string;
  /** When another code may be asked for. */
  resendAvailableAt: string;
}

/** `POST /mfa/verify`. */
export interface VerifyRequest {
  /** The method the code belongs to. */
  method: MfaMethod;
  /** The code as typed; at most {@link codeLengthMax} characters. */
  code: string;
  /** Remember this browser, when the policy allows it. */
  rememberDevice?: boolean;
}

/** `POST /mfa/verify` accepted the code. */
export interface Verified {
  /** Always `true`. */
  verified: true;
  /** The method that verified. */
  method: MfaMethod;
  /** Until when this browser skips the second factor; `null` when it is not remembered. */
  rememberedUntil: string | null;
}

/** A remembered device. */
export interface TrustedDevice {
  /** The server's identifier. */
  id: number;
  /** The user agent it was remembered with, shortened. */
  label: string;
  /** The address it was remembered from; `null` when unknown. */
  ip: string | null;
  /** When it was remembered. */
  createdAt: string;
  /** When it will be forgotten. */
  expiresAt: string;
  /** When it last skipped a second factor; `null` when never. */
  lastUsedAt: string | null;
  /** The device this request came from. */
  current: boolean;
}

/** One entry of a verification history; never a code. */
export interface VerificationEntry {
  /** The server's identifier. */
  id: number;
  /** The method used. */
  method: HistoryMethod;
  /** What the verification was for. */
  purpose: 'sign-in' | 'step-up' | 'enrolment' | 'unlock' | 'reset';
  /** What came of it. */
  outcome: 'success' | 'failure' | 'refused';
  /** Why it failed or was refused; `null` on success. */
  reason: string | null;
  /** The client's address; `null` when unknown. */
  ip: string | null;
  /** The client's user agent; `null` when unknown. */
  userAgent: string | null;
  /** When it happened. */
  createdAt: string;
}

/** One message of the development outbox. */
export interface OutboxMessage {
  /** The server's identifier. */
  id: number;
  /** How it would have been sent. */
  channel: CodeChannel;
  /** The destination, unmasked (it is the user's own). */
  to: string;
  /** The email subject; `null` for a text message. */
  subject: string | null;
  /** The text, code included. */
  body: string;
  /** When it was kept. */
  createdAt: string;
}

/** Whether a policy forces a second factor. */
export type PolicyEnforcement = 'required' | 'optional';

/**
 * A policy as sent to `POST /mfa/policies` and `PUT /mfa/policies/:id` (the whole policy; a
 * member left out takes its default).
 */
export interface PolicyInput {
  /** Unique name, 1 to {@link policyNameLengthMax} characters. */
  name: string;
  /** -{@link policyPriorityMax}..{@link policyPriorityMax}; the highest applying wins. 0. */
  priority?: number;
  /** Role names; none means every account (org-wide). At most {@link policyRolesMax}. */
  roles?: string[];
  /** Whether a second factor is forced. */
  enforcement: PolicyEnforcement;
  /** Methods that may be set up; at least one. */
  allowedMethods: PrimaryMethod[];
  /** Days a user may put off setting up; `null` for none. */
  gracePeriodDays?: number | null;
  /** Sign-ins a user may skip the setup prompt for; `null` for none. */
  gracePromptsMax?: number | null;
  /** Date after which setup can no longer be put off; `null` for none. */
  setupDeadline?: string | null;
  /** Wrong codes before locking, 1..{@link failedAttemptsMaxLimit}. */
  maxFailedAttempts?: number;
  /** Minutes a lock lasts, 1..{@link lockoutMinutesMax}. */
  lockoutMinutes?: number;
  /** TOTP steps accepted either side of now, 0..{@link totpWindowStepsMax}. */
  totpWindowSteps?: number;
  /** Days a device may be remembered, 0 (never)..{@link rememberDeviceDaysMax}. */
  rememberDeviceDays?: number;
}

/** A stored policy as the API shows it. */
export interface Policy extends Required<PolicyInput> {
  /** The server's identifier. */
  id: number;
  /** When it was made. */
  createdAt: string;
  /** When it last changed. */
  updatedAt: string;
}

/** `GET /mfa/users/:id` (Admin): an account's MFA as an Admin sees it. */
export interface AdminUserMfa {
  /** The account's identifier. */
  userId: number;
  /** The account's username. */
  username: string;
  /** The policy applying to the account; `id` is `null` for the built-in one. */
  appliedPolicy: { id: number | null; name: string };
  /** The account's status (as seen by no session: `verified` is false). */
  status: MfaStatus;
  /** Wrong codes in a row since the last success. */
  consecutiveFailures: number;
  /** Devices remembered now. */
  trustedDevices: number;
}

// ---------------------------------------------------------------------------------------------
// Problems.

/** The problem slugs the MFA routes answer with; compare with `ProblemError.is(slug)`. */
export const mfaProblems = {
  /** 422: a wrong, expired or reused code; `attemptsLeft` says how many before the lock. */
  invalidCode: 'invalid-code',
  /** 423: locked after too many wrong codes, even for a right one; `lockedUntil`. */
  locked: 'mfa-locked',
  /** 403: a pending session tried something other than verifying. */
  mfaRequired: 'mfa-required',
  /** 403: the action needs a verification in the last 5 minutes. */
  stepUpRequired: 'step-up-required',
  /** 409: the method is not set up for the account. */
  methodNotEnrolled: 'method-not-enrolled',
  /** 409: the policy does not allow the method. */
  methodNotAllowed: 'method-not-allowed',
  /** 409: a confirmation with nothing pending; start the setup again. */
  noPendingEnrolment: 'no-pending-enrolment',
  /** 409: the last method cannot go while the policy requires one. */
  lastMethodRequired: 'last-method-required',
  /** 502: the SMS or email provider did not take the code. */
  deliveryFailed: 'delivery-failed',
  /** 409: the policy name is taken, or {@link policiesMax} policies exist. */
  policyConflict: 'policy-conflict',
} as const;

/** When the lock a 423 `/mfa-locked` names ends; `undefined` for any other error. */
export function lockedUntilOf(error: unknown): Date | undefined {
  if (!(error instanceof ProblemError) || !error.is(mfaProblems.locked)) return undefined;
  const value = error.extensions.lockedUntil;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** Whether `error` is the 403 that asks for a fresh verification before retrying. */
export function isStepUpRequired(error: unknown): boolean {
  return error instanceof ProblemError && error.is(mfaProblems.stepUpRequired);
}

// ---------------------------------------------------------------------------------------------
// The account's own MFA.

/** `GET /mfa/status`. Reachable by a pending session. */
export function mfaStatus(api: ApiClient): Promise<MfaStatus> {
  return api.get<MfaStatus>('/mfa/status');
}

/** `POST /mfa/totp/setup`: a new secret and QR code; an enrolled account needs a step-up. */
export function startTotpSetup(api: ApiClient, options: TotpSetupOptions = {}): Promise<TotpSetup> {
  const query = {
    algorithm: options.algorithm,
    digits: options.digits,
    periodSeconds: options.periodSeconds,
  };
  return api.post<TotpSetup>('/mfa/totp/setup', undefined, { query });
}

/**
 * `POST /mfa/{method}/confirm`: the first code enables the method and counts as a
 * verification; the backup codes come back once, for a first method.
 */
export function confirmSetup(
  api: ApiClient,
  method: PrimaryMethod,
  code: string,
): Promise<BackupCodes> {
  return api.post<BackupCodes>(`/mfa/${method}/confirm`, { code });
}

/** `POST /mfa/sms/setup`: sends a code to `phone` (international format). */
export function startSmsSetup(api: ApiClient, phone: string): Promise<CodeSent> {
  return api.post<CodeSent>('/mfa/sms/setup', { phone });
}

/** `POST /mfa/email/setup`: sends a code to `email`, or to the account's address. */
export function startEmailSetup(api: ApiClient, email?: string): Promise<CodeSent> {
  return api.post<CodeSent>('/mfa/email/setup', email === undefined ? {} : { email });
}

/** `POST /mfa/challenge`: sends a sign-in code; another may follow at `resendAvailableAt`. */
export function sendChallenge(api: ApiClient, method: CodeChannel): Promise<CodeSent> {
  return api.post<CodeSent>('/mfa/challenge', { method });
}

/** `POST /mfa/verify`: checks a code; on success the session is upgraded (cookie replaced). */
export function verifyCode(api: ApiClient, request: VerifyRequest): Promise<Verified> {
  return api.post<Verified>('/mfa/verify', request);
}

/** `GET /mfa/backup-codes`: how many are left. */
export function backupCodeCounts(api: ApiClient): Promise<BackupCodeCounts> {
  return api.get<BackupCodeCounts>('/mfa/backup-codes');
}

/** `POST /mfa/backup-codes`: replaces every code; 403 `/step-up-required` without a step-up. */
export function regenerateBackupCodes(api: ApiClient): Promise<BackupCodes> {
  return api.post<BackupCodes>('/mfa/backup-codes');
}

/** `PUT /mfa/preferred`: the method offered first; answers the new status. */
export function setPreferredMethod(api: ApiClient, method: PrimaryMethod): Promise<MfaStatus> {
  return api.put<MfaStatus>('/mfa/preferred', { method });
}

/** `DELETE /mfa/methods/:method`: needs a step-up; answers the new status. */
export function removeMethod(api: ApiClient, method: PrimaryMethod): Promise<MfaStatus> {
  return api.delete<MfaStatus>(`/mfa/methods/${method}`);
}

/** `GET /mfa/devices`: remembered devices, newest first. */
export function trustedDevices(api: ApiClient, page: PageQuery = {}): Promise<Page<TrustedDevice>> {
  return api.get<Page<TrustedDevice>>('/mfa/devices', { query: { ...page } });
}

/** `DELETE /mfa/devices/:id`: forgets a remembered device. */
export function forgetTrustedDevice(api: ApiClient, id: number): Promise<{ id: number }> {
  return api.delete<{ id: number }>(`/mfa/devices/${id}`);
}

/** `GET /mfa/verifications`: the account's own history, newest first. */
export function verificationHistory(
  api: ApiClient,
  page: PageQuery = {},
): Promise<Page<VerificationEntry>> {
  return api.get<Page<VerificationEntry>>('/mfa/verifications', { query: { ...page } });
}

/** `GET /mfa/outbox`: development only; messages kept instead of sent, newest first. */
export function outbox(api: ApiClient, page: PageQuery = {}): Promise<Page<OutboxMessage>> {
  return api.get<Page<OutboxMessage>>('/mfa/outbox', { query: { ...page } });
}

// ---------------------------------------------------------------------------------------------
// Admin.

/** `GET /mfa/policies` (Admin): by id. */
export function listPolicies(api: ApiClient, page: PageQuery = {}): Promise<Page<Policy>> {
  return api.get<Page<Policy>>('/mfa/policies', { query: { ...page } });
}

/** `GET /mfa/policies/:id` (Admin). */
export function getPolicy(api: ApiClient, id: number): Promise<Policy> {
  return api.get<Policy>(`/mfa/policies/${id}`);
}

/** `POST /mfa/policies` (Admin): answers 201 with the new policy. */
export function createPolicy(api: ApiClient, policy: PolicyInput): Promise<Policy> {
  return api.post<Policy>('/mfa/policies', policy);
}

/** `PUT /mfa/policies/:id` (Admin): replaces the whole policy. */
export function updatePolicy(api: ApiClient, id: number, policy: PolicyInput): Promise<Policy> {
  return api.put<Policy>(`/mfa/policies/${id}`, policy);
}

/** `DELETE /mfa/policies/:id` (Admin): answers the deleted policy. */
export function deletePolicy(api: ApiClient, id: number): Promise<Policy> {
  return api.delete<Policy>(`/mfa/policies/${id}`);
}

/** `GET /mfa/users/:id` (Admin): an account's MFA and the policy applying to it. */
export function adminUserMfa(api: ApiClient, userId: number): Promise<AdminUserMfa> {
  return api.get<AdminUserMfa>(`/mfa/users/${userId}`);
}

/** `POST /mfa/users/:id/unlock` (Admin): ends an account's lock. */
export function unlockUser(api: ApiClient, userId: number): Promise<AdminUserMfa> {
  return api.post<AdminUserMfa>(`/mfa/users/${userId}/unlock`);
}

/** `POST /mfa/users/:id/reset` (Admin): removes every second factor of an account. */
export function resetUserMfa(api: ApiClient, userId: number): Promise<AdminUserMfa> {
  return api.post<AdminUserMfa>(`/mfa/users/${userId}/reset`);
}

/** `GET /mfa/users/:id/verifications` (Admin): an account's history, newest first. */
export function userVerificationHistory(
  api: ApiClient,
  userId: number,
  page: PageQuery = {},
): Promise<Page<VerificationEntry>> {
  return api.get<Page<VerificationEntry>>(`/mfa/users/${userId}/verifications`, {
    query: { ...page },
  });
}
