/**
 * @module
 * The problem types of the MFA domain, each made in one place so every route that raises one
 * sends the same type, title and members.
 */
import { ProblemError } from '../http/problem.ts';

/** 422 for a wrong, expired or reused code; `attemptsLeft` before the account locks. */
export function invalidCodeProblem(
  attemptsLeft: number,
  detail = 'The code is not right.',
): ProblemError {
  return new ProblemError(422, 'invalid-code', 'Invalid code.', detail, {
    extensions: { attemptsLeft },
  });
}

/** 423 while the second factor is locked after too many wrong codes, even for a right one. */
export function mfaLockedProblem(lockedUntil: Date, now: Date): ProblemError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new ProblemError(
    423,
    'mfa-locked',
    'Too many wrong codes.',
    `Verification is locked until ${lockedUntil.toISOString()}.`,
    {
      extensions: { lockedUntil: lockedUntil.toISOString() },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    },
  );
}

/** 403 for an action that needs a second factor verified in the last few minutes. */
export function stepUpRequiredProblem(windowMinutes: number): ProblemError {
  return new ProblemError(
    403,
    'step-up-required',
    'Verify again first.',
    `This needs a second factor verified in the last ${windowMinutes} minutes: ` +
      'POST /api/mfa/verify, then repeat the request.',
  );
}

/** 409 for a method the account has not enrolled or the policy does not allow. */
export function methodUnavailableProblem(
  method: string,
  why: 'not-enrolled' | 'not-allowed',
): ProblemError {
  const detail =
    why === 'not-enrolled'
      ? `The method ${method} is not set up for this account.`
      : `The MFA policy does not allow the method ${method}.`;
  return new ProblemError(409, `method-${why}`, 'Method unavailable.', detail, {
    extensions: { method },
  });
}

/** 409 for a TOTP confirmation with no enrolment pending (never started, or over 10 minutes). */
export function noPendingEnrolmentProblem(): ProblemError {
  return new ProblemError(
    409,
    'no-pending-enrolment',
    'No enrolment pending.',
    'Start again with POST /api/mfa/totp/setup: an enrolment lasts 10 minutes.',
  );
}

/** 409 for removing the last method while the policy requires one. */
export function lastMethodRequiredProblem(): ProblemError {
  return new ProblemError(
    409,
    'last-method-required',
    'A second factor is required.',
    'The MFA policy requires a second factor; set up another method before removing this one.',
  );
}

/** 502 when a code could not be handed to the email or SMS provider. */
export function deliveryFailedProblem(channel: 'email' | 'sms'): ProblemError {
  return new ProblemError(
    502,
    'delivery-failed',
    'The code could not be sent.',
    `The ${channel === 'sms' ? 'SMS' : 'email'} provider did not accept the message. ` +
      'Try again later.',
  );
}

/** 409 for a policy whose name is taken, or one too many policies. */
export function policyConflictProblem(detail: string): ProblemError {
  return new ProblemError(409, 'policy-conflict', 'Policy conflict.', detail);
}

/** 404 for the development outbox in production, where it does not exist. */
export function outboxUnavailableProblem(): ProblemError {
  return new ProblemError(
    404,
    'not-found',
    'Not found.',
    'The development outbox exists only outside production, without SMTP_URL or TWILIO_*.',
  );
}
