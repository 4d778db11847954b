/**
 * @module
 * `/api/mfa/*` for the signed-in account: status, enrolment, challenge and verification,
 * backup codes, methods, remembered devices, history, and the development outbox. Thin: each
 * route parses with `schemas.ts`, calls a service, and moves cookies and headers.
 *
 * Routes a pending session reaches are declared `pending-session` (and listed in
 * `server/http/session.ts`); the services decide what such a session may do there.
 */
import type { Context } from 'hono';
import type { ApiRouter } from '../http/api-router.ts';
import type { AppEnv } from '../http/env.ts';
import { activateCurrentSession } from '../http/session.ts';
import { actorOf } from './actor.ts';
import { adminRoutes } from './admin-routes.ts';
import { backupCodeCounts } from './backup-codes.ts';
import { clearTrustedDeviceCookie, setTrustedDeviceCookie } from './device-cookie.ts';
import {
  confirmCodeEnrolment,
  confirmTotpEnrolment,
  startCodeEnrolment,
  startTotpEnrolment,
} from './enrolment.ts';
import {
  disableMethod,
  regenerateBackupCodes,
  setPreferredMethod,
  statusOf,
} from './management.ts';
import { readOutbox } from './outbox.ts';
import { pageOf, pageStart } from './pages.ts';
import { outboxUnavailableProblem } from './problems.ts';
import {
  backupCodeCountsSchema,
  backupCodesSchema,
  challengeBodySchema,
  codeSentSchema,
  confirmBodySchema,
  emailSetupBodySchema,
  idParamsSchema,
  methodParamsSchema,
  outboxMessageSchema,
  pageQuerySchema,
  pageSchema,
  preferredBodySchema,
  smsSetupBodySchema,
  statusSchema,
  totpSetupQuerySchema,
  totpSetupSchema,
  trustedDeviceSchema,
  verificationSchema,
  verifiedSchema,
  verifyBodySchema,
} from './schemas.ts';
import { sendChallenge, verifySecondFactor } from './service.ts';
import { standingOf } from './standing.ts';
import { deviceIdOfToken, listTrustedDevices, revokeTrustedDevice } from './trusted-devices.ts';
import { listVerifications, verificationView } from './verifications.ts';

const tags = ['mfa'];

/** Documented error answers, shared by the routes below. */
export const answers = {
  invalid: { description: 'The request is not valid; `errors` names each field.' },
  noSession: { description: 'No valid session.' },
  forbidden: { description: '`/mfa-required` (pending session) or `/step-up-required`.' },
  unavailable: { description: 'The method is not set up or not allowed by the policy.' },
  invalidCode: { description: '`/invalid-code`: wrong, expired or reused; `attemptsLeft`.' },
  locked: {
    description: '`/mfa-locked`: too many wrong codes; `lockedUntil`. Even a right code.',
    headers: { 'Retry-After': 'Seconds until the lock ends.' },
  },
  tooMany: {
    description: 'Too soon after a wrong code, within the resend cooldown, or past a cap.',
    headers: { 'Retry-After': 'Seconds to wait.' },
  },
  undelivered: { description: 'The SMS or email provider did not accept the code.' },
} as const;

/** Declares every MFA route on `router`. */
export function mfaRoutes(router: ApiRouter): void {
  statusRoutes(router);
  totpRoutes(router);
  codeEnrolmentRoutes(router, 'sms');
  codeEnrolmentRoutes(router, 'email');
  verificationRoutes(router);
  backupCodeRoutes(router);
  methodRoutes(router);
  deviceRoutes(router);
  historyRoutes(router);
  adminRoutes(router);
}

function statusRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/mfa/status',
      summary: 'MFA status of the signed-in account',
      description:
        'The `{required, verified, methods}` of the session plus the policy, each method, ' +
        'backup codes, lock and step-up state. Reachable by a pending session.',
      tags,
      access: 'pending-session',
      responses: {
        200: { description: 'The status.', schema: statusSchema },
        401: answers.noSession,
      },
    },
    async (c) => {
      const actor = actorOf(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await statusOf(c.var.ctx, actor.userId, actor.session), 200);
    },
  );
}

function totpRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'post',
      path: '/mfa/totp/setup',
      summary: 'Start setting up an authenticator app',
      description:
        'A new secret, its otpauth URI and its QR code (SVG), pending for 10 minutes. ' +
        'An enrolled account needs a step-up. Answered with `Cache-Control: no-store`.',
      tags,
      access: 'pending-session',
      query: totpSetupQuerySchema,
      responses: {
        200: { description: 'The secret, shown once.', schema: totpSetupSchema },
        400: answers.invalid,
        401: answers.noSession,
        403: answers.forbidden,
        409: answers.unavailable,
      },
    },
    async (c, { query }) => {
      const setup = await startTotpEnrolment(c.var.ctx, actorOf(c), query);
      c.header('Cache-Control', 'no-store');
      return c.json(setup, 200);
    },
  );
  confirmRoute(router, 'totp', (c, code) => confirmTotpEnrolment(c.var.ctx, actorOf(c), code));
}

/** `POST /mfa/{method}/confirm`: the first code enables the method and upgrades the session. */
function confirmRoute(
  router: ApiRouter,
  method: 'totp' | 'sms' | 'email',
  confirm: (c: Context<AppEnv>, code: string) => Promise<{ backupCodes: string[] }>,
): void {
  router.route(
    {
      method: 'post',
      path: `/mfa/${method}/confirm`,
      summary: `Finish setting up ${method === 'totp' ? 'an authenticator app' : method}`,
      description:
        'Checks the first code; on success enables the method, counts as a verification ' +
        '(the session id rotates) and answers the backup codes once for a first method.',
      tags,
      access: 'pending-session',
      body: confirmBodySchema,
      responses: {
        200: { description: 'Enabled.', schema: backupCodesSchema },
        400: answers.invalid,
        401: answers.noSession,
        403: answers.forbidden,
        409: { description: 'Not allowed, or nothing pending (start again).' },
        422: answers.invalidCode,
        423: answers.locked,
        429: answers.tooMany,
      },
    },
    async (c, { body }) => {
      const result = await confirm(c, body.code);
      await activateCurrentSession(c);
      c.header('Cache-Control', 'no-store');
      return c.json(result, 200);
    },
  );
}

function codeEnrolmentRoutes(router: ApiRouter, channel: 'sms' | 'email'): void {
  const setupBody = channel === 'sms' ? smsSetupBodySchema : emailSetupBodySchema;
  router.route(
    {
      method: 'post',
      path: `/mfa/${channel}/setup`,
      summary:
        channel === 'sms' ? 'Start setting up text messages' : 'Start setting up email codes',
      description:
        (channel === 'sms'
          ? 'Sends a code to `phone` (international format). '
          : 'Sends a code to `email`, or to the account address. ') +
        'Allowed only where the policy allows the method; an enrolled account needs a step-up.',
      tags,
      access: 'pending-session',
      body: setupBody,
      responses: {
        200: { description: 'The code was sent.', schema: codeSentSchema },
        400: answers.invalid,
        401: answers.noSession,
        403: answers.forbidden,
        409: answers.unavailable,
        423: answers.locked,
        429: answers.tooMany,
        502: answers.undelivered,
      },
    },
    async (c, { body }) => {
      return c.json(await startCodeEnrolment(c.var.ctx, actorOf(c), channel, body), 200);
    },
  );
  confirmRoute(router, channel, (c, code) =>
    confirmCodeEnrolment(c.var.ctx, actorOf(c), channel, code),
  );
}

function verificationRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'post',
      path: '/mfa/challenge',
      summary: 'Send a sign-in code by SMS or email',
      description: 'Sends a code valid 5 minutes; another may follow after 60 seconds.',
      tags,
      access: 'pending-session',
      body: challengeBodySchema,
      responses: {
        200: { description: 'Sent.', schema: codeSentSchema },
        400: answers.invalid,
        401: answers.noSession,
        409: answers.unavailable,
        423: answers.locked,
        429: answers.tooMany,
        502: answers.undelivered,
      },
    },
    async (c, { body }) => c.json(await sendChallenge(c.var.ctx, actorOf(c), body.method), 200),
  );
  router.route(
    {
      method: 'post',
      path: '/mfa/verify',
      summary: 'Verify a second factor',
      description:
        'Checks the code. On success the session is upgraded under a new id (cookie ' +
        'replaced); with `rememberDevice` and a policy that allows it, the browser is ' +
        'remembered (cookie `ab_mfa_device`).',
      tags,
      access: 'pending-session',
      body: verifyBodySchema,
      responses: {
        200: { description: 'Verified.', schema: verifiedSchema },
        400: answers.invalid,
        401: answers.noSession,
        409: answers.unavailable,
        422: answers.invalidCode,
        423: answers.locked,
        429: answers.tooMany,
      },
    },
    async (c, { body }) => {
      const result = await verifySecondFactor(c.var.ctx, actorOf(c), body);
      await activateCurrentSession(c);
      if (result.device) setTrustedDeviceCookie(c, result.device.token, result.device.expiresAt);
      c.header('Cache-Control', 'no-store');
      const rememberedUntil = result.device?.expiresAt.toISOString() ?? null;
      return c.json({ verified: true as const, method: result.method, rememberedUntil }, 200);
    },
  );
}

function backupCodeRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/mfa/backup-codes',
      summary: 'How many backup codes are left',
      tags,
      access: 'session',
      responses: {
        200: { description: 'The counts.', schema: backupCodeCountsSchema },
        401: answers.noSession,
        403: answers.forbidden,
      },
    },
    async (c) => {
      const { ctx } = c.var;
      const standing = await standingOf(ctx, actorOf(c).userId);
      const record = standing.record;
      const counts = record ? await backupCodeCounts(ctx, record.id) : { remaining: 0, total: 0 };
      const generatedAt = record?.backupCodesGeneratedAt?.toISOString() ?? null;
      return c.json({ ...counts, generatedAt }, 200);
    },
  );
  router.route(
    {
      method: 'post',
      path: '/mfa/backup-codes',
      summary: 'Regenerate backup codes',
      description: 'Replaces every backup code. Needs a verification in the last 5 minutes.',
      tags,
      access: 'session',
      responses: {
        200: { description: 'The new codes, shown once.', schema: backupCodesSchema },
        401: answers.noSession,
        403: answers.forbidden,
        409: answers.unavailable,
      },
    },
    async (c) => {
      const result = await regenerateBackupCodes(c.var.ctx, actorOf(c));
      c.header('Cache-Control', 'no-store');
      return c.json(result, 200);
    },
  );
}

function methodRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'put',
      path: '/mfa/preferred',
      summary: 'Choose the preferred method',
      tags,
      access: 'session',
      body: preferredBodySchema,
      responses: {
        200: { description: 'The new status.', schema: statusSchema },
        400: answers.invalid,
        401: answers.noSession,
        409: answers.unavailable,
      },
    },
    async (c, { body }) =>
      c.json(await setPreferredMethod(c.var.ctx, actorOf(c), body.method), 200),
  );
  router.route(
    {
      method: 'delete',
      path: '/mfa/methods/:method',
      summary: 'Remove a method',
      description:
        'Needs a verification in the last 5 minutes. The last method cannot go while the ' +
        'policy requires one; with the last method the backup codes go too.',
      tags,
      access: 'session',
      params: methodParamsSchema,
      responses: {
        200: { description: 'The new status.', schema: statusSchema },
        400: answers.invalid,
        401: answers.noSession,
        403: answers.forbidden,
        409: { description: 'Not set up, or the last method a policy requires.' },
      },
    },
    async (c, { params }) => c.json(await disableMethod(c.var.ctx, actorOf(c), params.method), 200),
  );
}

function deviceRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/mfa/devices',
      summary: 'Remembered devices',
      tags,
      access: 'session',
      query: pageQuerySchema,
      responses: {
        200: { description: 'Newest first.', schema: pageSchema(trustedDeviceSchema) },
        400: answers.invalid,
        401: answers.noSession,
      },
    },
    async (c, { query }) => {
      const { ctx } = c.var;
      const actor = actorOf(c);
      const current = await deviceIdOfToken(ctx, actor.userId, actor.deviceToken);
      const devices = await listTrustedDevices(ctx, actor.userId, current);
      const beforeId = pageStart(query);
      const after = devices.filter((device) => beforeId === null || device.id < beforeId);
      return c.json(pageOf(after.slice(0, query.limit), after.length > query.limit), 200);
    },
  );
  router.route(
    {
      method: 'delete',
      path: '/mfa/devices/:id',
      summary: 'Forget a remembered device',
      tags,
      access: 'session',
      params: idParamsSchema,
      responses: {
        200: { description: 'Forgotten.', schema: trustedDeviceSchema.pick({ id: true }) },
        400: answers.invalid,
        401: answers.noSession,
        404: { description: 'No such device on this account.' },
      },
    },
    async (c, { params }) => {
      const { ctx } = c.var;
      const actor = actorOf(c);
      const current = await deviceIdOfToken(ctx, actor.userId, actor.deviceToken);
      await revokeTrustedDevice(ctx, actor.userId, params.id);
      if (current === params.id) clearTrustedDeviceCookie(c);
      return c.json({ id: params.id }, 200);
    },
  );
}

function historyRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/mfa/verifications',
      summary: 'Own verification history',
      description: 'Every attempt, sign-in by a remembered device and Admin act; newest first.',
      tags,
      access: 'session',
      query: pageQuerySchema,
      responses: {
        200: { description: 'The history.', schema: pageSchema(verificationSchema) },
        400: answers.invalid,
        401: answers.noSession,
      },
    },
    async (c, { query }) => {
      const page = { limit: query.limit, beforeId: pageStart(query) };
      const { rows, more } = await listVerifications(c.var.ctx, actorOf(c).userId, page);
      return c.json(pageOf(rows.map(verificationView), more), 200);
    },
  );
  router.route(
    {
      method: 'get',
      path: '/mfa/outbox',
      summary: 'Development outbox',
      description:
        'Email and SMS kept instead of sent, for the signed-in account; only outside ' +
        'production and only while no SMTP_URL or TWILIO_* is configured.',
      tags,
      access: 'pending-session',
      query: pageQuerySchema,
      responses: {
        200: { description: 'Newest first.', schema: pageSchema(outboxMessageSchema) },
        401: answers.noSession,
        404: { description: 'Production, or real senders configured.' },
      },
    },
    async (c, { query }) => {
      const { ctx } = c.var;
      if (ctx.config.nodeEnv === 'production') throw outboxUnavailableProblem();
      if (ctx.mailer.kind !== 'outbox' && ctx.sms.kind !== 'outbox')
        throw outboxUnavailableProblem();
      const page = { limit: query.limit, beforeId: pageStart(query) };
      const { messages, more } = await readOutbox(ctx, actorOf(c).userId, page);
      const items = messages.map((message) => ({
        ...message,
        createdAt: message.createdAt.toISOString(),
      }));
      c.header('Cache-Control', 'no-store');
      return c.json(pageOf(items, more), 200);
    },
  );
}
