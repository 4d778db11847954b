/**
 * @packageDocumentation
 * The session endpoints (`/auth/login`, `/auth/logout`, `/auth/me`) as typed calls, and the
 * shapes they answer with, for the elements that sign people in and out.
 *
 * The shapes follow design.md's "Request and response shapes": a session is
 * `{user, mfa: {required, verified, methods}}`. They are written out here rather than imported
 * from `server/auth/schemas.ts`, so the element build never reaches into the server's tree;
 * the login tests against the real server keep the two in step.
 */
import type { ApiClient } from './api-client.ts';
import { ProblemError } from './api-errors.ts';

/** A second factor the server can verify. */
export type MfaMethod = 'totp' | 'sms' | 'email' | 'backup';

/** The signed-in person, as the server describes them (never with a password hash). */
export interface SessionUser {
  /** The server's identifier of the user. */
  id: number;
  /** The name they sign in with. */
  username: string;
  /** Their e-mail address. */
  email: string;
  /** Given name; empty when not given. */
  firstName: string;
  /** Family name; empty when not given. */
  lastName: string;
  /** Role names, e.g. `Admin`. */
  roles: string[];
}

/** Where the session stands on the second factor. */
export interface SessionMfa {
  /** Whether this user must pass a second factor. */
  required: boolean;
  /** Whether they have passed it in this session. */
  verified: boolean;
  /** The second factors they can use. */
  methods: MfaMethod[];
}

/** A session: who is signed in and how far. */
export interface Session {
  /** The signed-in person. */
  user: SessionUser;
  /** Where the session stands on the second factor. */
  mfa: SessionMfa;
}

/** What the person typed to sign in. */
export interface Credentials {
  /** The name they sign in with. */
  username: string;
  /** Their password. */
  password: string;
}

/** A session whose password was accepted but whose second factor is still due. */
export function awaitsSecondFactor(session: Session): boolean {
  return session.mfa.required && !session.mfa.verified;
}

/** The name to greet someone by: their full name if known, else their username. */
export function displayName(user: SessionUser): string {
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return fullName || user.username;
}

/** `POST /auth/login`: starts a session (the cookie comes with the answer). */
export function signIn(api: ApiClient, credentials: Credentials): Promise<Session> {
  return api.post<Session>('/auth/login', credentials);
}

/** `POST /auth/logout`: ends the session. */
export async function signOut(api: ApiClient): Promise<void> {
  await api.post<void>('/auth/logout');
}

/** `GET /auth/me`: the current session, or `null` when there is none (a 401). */
export async function currentSession(api: ApiClient): Promise<Session | null> {
  try {
    return await api.get<Session>('/auth/me');
  } catch (error) {
    if (error instanceof ProblemError && error.status === 401) return null;
    throw error;
  }
}
