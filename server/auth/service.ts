/**
 * @module
 * Accounts and sign-in: register, log in, log out, describe a session. Takes the context and
 * plain data and never sees Hono; `routes.ts` parses requests and sets cookies around it.
 *
 * Guarantees:
 *  1. A registered user holds the role `User` and has no session until they log in.
 *  2. A registration that clashes with an account answers 409 naming only the clashing field
 *     (`username`, `email` or both), whichever process or request wins a race: the unique
 *     indexes decide, and the loser is told which field clashed.
 *  3. A login costs one bcrypt comparison whatever the outcome, and every failure (unknown
 *     user, wrong password, disabled account) answers the same 401 and counts the same way
 *     in the throttle.
 *  4. A successful login updates `login_count` and `last_login`, resets `fail_login_count`
 *     and opens a new session; a failed one adds to `fail_login_count` of a matching account.
 */
import { UniqueConstraintError } from 'sequelize';
import type { AppContext } from '../context.ts';
import type { FieldError } from '../http/problem.ts';
import {
  decideSignIn,
  pendingSessionExpired,
  recordRememberedSignIn,
} from '../mfa/sign-in.ts';
import { mfaStateOf } from './mfa-state.ts';
import { authModels, normalizeLogin } from './models.ts';
import {
  dummyPasswordHash,
  hashPassword,
  passwordHashCost,
  verifyPassword,
} from './passwords.ts';
import { invalidCredentialsProblem, registrationConflictProblem } from './problems.ts';
import type { LoginBody, PublicUser, RegisterBody, SessionView } from './schemas.ts';
import {
  createSession,
  deleteSession,
  resolveSession,
  type IssuedSession,
  type SessionOrigin,
  type SessionRecord,
} from './sessions.ts';
import { beginLoginAttempt, forgiveLoginAttempt } from './throttle.ts';
import { findUserByEmail, findUserByUsername, grantRole, publicUserOf } from './users.ts';

/**
 * Creates an account holding the role `User`.
 *
 * @param ctx - the server's context.
 * @param body - the parsed registration.
 * @returns the new user.
 * @throws ProblemError 409 when the username or email belongs to an account already.
 */
export async function registerUser(ctx: AppContext, body: RegisterBody): Promise<PublicUser> {
  const { User } = authModels(ctx.sequelize);
  const clashes = await registrationClashes(ctx, body);
  if (clashes.length > 0) throw registrationConflictProblem(clashes);
  // Hashed before the database transaction: bcrypt is slow, and no lock is held meanwhile.
  const passwordHash = await hashPassword(body.password, passwordHashCost(ctx.config));
  const now = ctx.clock.now();
  try {
    return await ctx.sequelize.transaction(async (transaction) => {
      const user = await User.create(
        {
          username: body.username,
          email: body.email,
          firstName: body.firstName ?? '',
          lastName: body.lastName ?? '',
          password: passwordHash,
          passwordChangedOn: now,
          createdOn: now,
          changedOn: now,
        },
        { transaction, silent: true },
      );
      await grantRole(ctx, user.id, 'User', transaction);
      return publicUserOf(ctx, user, transaction);
    });
  } catch (error) {
    // Another registration took the name between our check and our insert.
    if (error instanceof UniqueConstraintError) {
      throw registrationConflictProblem(await registrationClashes(ctx, body));
    }
    throw error;
  }
}

async function registrationClashes(ctx: AppContext, body: RegisterBody): Promise<FieldError[]> {
  const clashes: FieldError[] = [];
  if (await findUserByUsername(ctx, body.username)) {
    clashes.push({ path: 'body.username', message: 'This username is taken.' });
  }
  if (await findUserByEmail(ctx, body.email)) {
    clashes.push({ path: 'body.email', message: 'An account with this email exists.' });
  }
  return clashes;
}

/** What logging in needs besides the body. */
export interface LoginInput extends LoginBody, SessionOrigin {
  /** The session token the client already holds, if any; it is deleted (rotation). */
  presentedToken: string | null;
  /** The remember-this-device token the browser sent, if any (`server/mfa/sign-in.ts`). */
  deviceToken?: string | null;
}

/** A successful login: the new session (its token goes into the cookie) and the answer. */
export interface LoginResult {
  issued: IssuedSession;
  view: SessionView;
}

/**
 * Checks a username and password and opens a session: `pending` when a second factor is due.
 *
 * @param ctx - the server's context.
 * @param input - the credentials, where the request came from, and the presented token.
 * @returns the new session and the `{user, mfa}` answer.
 * @throws ProblemError 401 for any failure, 429 while throttled.
 */
export async function logIn(ctx: AppContext, input: LoginInput): Promise<LoginResult> {
  const attempt = await beginLoginAttempt(ctx, { username: input.username, address: input.ip });
  // Awaited for every login, so the one-time cost of making it never marks an unknown user.
  const dummyHash = await dummyPasswordHash(passwordHashCost(ctx.config));
  const user = await findUserByUsername(ctx, input.username);
  const matches = await verifyPassword(input.password, user?.password ?? dummyHash);
  if (user === null || !user.active || !matches) {
    await recordFailedLogin(ctx, input.username);
    throw invalidCredentialsProblem();
  }
  await forgiveLoginAttempt(ctx, attempt);
  await recordLogin(ctx, user.id);
  const { state: mfa, trustedDeviceId } = await decideSignIn(ctx, {
    userId: user.id,
    passwordChangedOn: user.passwordChangedOn,
    deviceToken: input.deviceToken ?? null,
  });
  const issued = await createSession(ctx, {
    userId: user.id,
    state: mfa.required && !mfa.verified ? 'pending' : 'active',
    ip: input.ip,
    userAgent: input.userAgent,
    replacingToken: input.presentedToken,
  });
  if (trustedDeviceId !== null) {
    const { ip, userAgent } = input;
    await recordRememberedSignIn(ctx, {
      userId: user.id,
      sessionIdHash: issued.session.idHash,
      ip,
      userAgent,
    });
  }
  return { issued, view: { user: await publicUserOf(ctx, user), mfa } };
}

/** A valid session and its user: what a request carrying the session cookie acts as. */
export interface CurrentSession {
  session: SessionRecord;
  user: PublicUser;
}

/**
 * The session `token` opens and its user, or null when the token opens nothing valid. A
 * session of a disabled or deleted account is deleted here: disabling an account signs it out.
 * So is a pending session older than ten minutes (`pendingSessionLifetimeMs`).
 *
 * @param ctx - the server's context.
 * @param token - the session cookie's value.
 */
export async function resolveCurrentSession(
  ctx: AppContext,
  token: string,
): Promise<CurrentSession | null> {
  const session = await resolveSession(ctx, token);
  if (session === null) return null;
  if (session.state === 'pending' && pendingSessionExpired(session.createdAt, ctx.clock.now())) {
    await deleteSession(ctx, token);
    return null;
  }
  const { User } = authModels(ctx.sequelize);
  const user = await User.findByPk(session.userId);
  if (user === null || !user.active) {
    await deleteSession(ctx, token);
    return null;
  }
  return { session, user: await publicUserOf(ctx, user) };
}

/** Ends the session `token` opens; an unknown or expired token is fine (already ended). */
export async function logOut(ctx: AppContext, token: string): Promise<void> {
  await deleteSession(ctx, token);
}

/** The `{user, mfa}` answer for a loaded session. */
export async function describeSession(
  ctx: AppContext,
  user: PublicUser,
  session: SessionRecord,
): Promise<SessionView> {
  return { user, mfa: await mfaStateOf(ctx, user.id, session) };
}

async function recordLogin(ctx: AppContext, userId: number): Promise<void> {
  const { sequelize } = ctx;
  const { User } = authModels(sequelize);
  await User.update(
    {
      loginCount: sequelize.literal('login_count + 1'),
      failLoginCount: 0,
      lastLogin: ctx.clock.now(),
    },
    // Sign-in bookkeeping is not an edit of the account, so `changed_on` stays.
    { where: { id: userId }, silent: true },
  );
}

/**
 * Adds one to `fail_login_count` of the account named `username`, if there is one. The same
 * statement runs for unknown names (it matches no row), so both cost the same.
 */
async function recordFailedLogin(ctx: AppContext, username: string): Promise<void> {
  const { sequelize } = ctx;
  const { User } = authModels(sequelize);
  await User.update(
    { failLoginCount: sequelize.literal('fail_login_count + 1') },
    { where: { username: normalizeLogin(username) }, silent: true },
  );
}
