/**
 * @module
 * Shapes of the auth API: what `/api/auth/*` reads and answers. No server imports, so elements
 * (`ab-login`, the MFA elements) may `import type` from here, and the OpenAPI document is built
 * from the same objects the routes parse with.
 */
import { z } from 'zod';
import {
  passwordByteLength,
  passwordBytesMax,
  passwordIsUsernameMessage,
  passwordLengthMax,
  passwordLengthMin,
  passwordTooManyBytesMessage,
} from './password-rules.ts';

/** Fewest characters a username may have. */
export const usernameLengthMin = 3;

/** Most characters a username may have (the `ab_user.username` column). */
export const usernameLengthMax = 64;

/** Most characters an email address may have (RFC 5321's path limit; `ab_user.email`). */
export const emailLengthMax = 254;

/** Most characters of a first or last name (`ab_user.first_name`, `ab_user.last_name`). */
export const personNameLengthMax = 64;

/** A username: a letter or digit, then letters, digits and `. _ @ + -`. */
export const isUsernameRe = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;

/** "Required." for a missing member, "Must be text." for one of another type. */
function textError(issue: { input?: unknown }): string {
  return issue.input === undefined ? 'Required.' : 'Must be text.';
}

/** A username as chosen at registration. */
export const usernameSchema = z
  .string({ error: textError })
  .trim()
  .min(usernameLengthMin, `Use at least ${usernameLengthMin} characters.`)
  .max(usernameLengthMax, `Use at most ${usernameLengthMax} characters.`)
  .regex(isUsernameRe, 'Use letters, digits and . _ @ + - only, starting with a letter or digit.');

/** A new password; the rule against equalling the username is checked on the whole body. */
export const newPasswordSchema = z
  .string({ error: textError })
  .min(passwordLengthMin, `Use at least ${passwordLengthMin} characters.`)
  .max(passwordLengthMax, `Use at most ${passwordLengthMax} characters.`)
  .refine((password) => passwordByteLength(password) <= passwordBytesMax, {
    message: passwordTooManyBytesMessage,
  });

const personNameSchema = z
  .string({ error: 'Must be text.' })
  .trim()
  .max(personNameLengthMax, `Use at most ${personNameLengthMax} characters.`);

/** `POST /api/auth/register`. Unknown members are refused, so a typo is not silently lost. */
export const registerBodySchema = z
  .strictObject({
    username: usernameSchema,
    email: z
      .string({ error: textError })
      .trim()
      .max(emailLengthMax, `Use at most ${emailLengthMax} characters.`)
      .pipe(z.email('Enter an email address like name@example.com.')),
    password: newPasswordSchema,
    firstName: personNameSchema.optional(),
    lastName: personNameSchema.optional(),
  })
  .superRefine((body, context) => {
    if (body.password.toLowerCase() === body.username.toLowerCase()) {
      context.addIssue({ code: 'custom', path: ['password'], message: passwordIsUsernameMessage });
    }
  });
export type RegisterBody = z.infer<typeof registerBodySchema>;

/**
 * `POST /api/auth/login`. No rules beyond presence and size: an old password that predates a
 * rule must still work, and a rule failure here would tell the caller something.
 */
export const loginBodySchema = z.strictObject({
  username: z
    .string({ error: textError })
    .trim()
    .min(1, 'Required.')
    .max(usernameLengthMax, `Use at most ${usernameLengthMax} characters.`),
  password: z
    .string({ error: textError })
    .min(1, 'Required.')
    .max(passwordLengthMax, `Use at most ${passwordLengthMax} characters.`),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

/** A user as the API shows it: never the password hash. */
export const publicUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  /** Role names, sorted: `Admin`, `User`, ... */
  roles: z.array(z.string()),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** Second-factor methods a user may have. */
export const mfaMethodSchema = z.enum(['totp', 'sms', 'email', 'backup']);
export type MfaMethod = z.infer<typeof mfaMethodSchema>;

/** Where the session stands with the second factor. */
export const mfaStateSchema = z.object({
  /** A second factor is due before the session can do anything but verify it. */
  required: z.boolean(),
  /** This session has passed a second factor. */
  verified: z.boolean(),
  /** The methods the user can verify with. */
  methods: z.array(mfaMethodSchema),
});
export type MfaState = z.infer<typeof mfaStateSchema>;

/** `POST /api/auth/register` answers 201 with this. */
export const registeredSchema = z.object({ user: publicUserSchema });
export type Registered = z.infer<typeof registeredSchema>;

/** `POST /api/auth/login` and `GET /api/auth/me` answer 200 with this. */
export const sessionViewSchema = z.object({ user: publicUserSchema, mfa: mfaStateSchema });
export type SessionView = z.infer<typeof sessionViewSchema>;
