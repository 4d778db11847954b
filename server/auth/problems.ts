/**
 * @module
 * The problem types of the auth domain, each made in one place so every route that raises one
 * sends the same type, title and wording.
 */
import { ProblemError, type FieldError } from '../http/problem.ts';

/**
 * 401 for a login that failed, for whatever reason: unknown username, wrong password or a
 * disabled account all get this very body, so the answer tells nobody which accounts exist.
 */
export function invalidCredentialsProblem(): ProblemError {
  return new ProblemError(
    401,
    'invalid-credentials',
    'Wrong username or password.',
    'Check the username and the password and try again.',
  );
}

/** 409 for a registration that clashes with an existing account on the fields in `errors`. */
export function registrationConflictProblem(errors: FieldError[]): ProblemError {
  return new ProblemError(
    409,
    'conflict',
    'Already registered.',
    errors.length > 0
      ? errors.map((error) => `${error.path}: ${error.message}`).join(' ')
      : 'An account with these details exists.',
    { extensions: { errors } },
  );
}

/** 403 for a pending session (second factor due) asking for anything but MFA verification. */
export function mfaRequiredProblem(): ProblemError {
  return new ProblemError(
    403,
    'mfa-required',
    'Second factor required.',
    'Verify your second factor first: only /api/mfa/status, /api/mfa/challenge, ' +
      '/api/mfa/verify, /api/auth/me and /api/auth/logout answer until then.',
  );
}
