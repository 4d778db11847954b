/**
 * @module
 * `/api/mfa/policies` and `/api/mfa/users/:id`: what an Admin manages. Every route declares
 * `access: 'admin'`, so anyone else gets 401 or 403 before a body is read.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { adminUserView, resetUser, unlockUser } from './admin.ts';
import { pageOf, pageStart } from './pages.ts';
import { deletePolicy, findPolicy, listPolicies, savePolicy, type MfaPolicy } from './policies.ts';
import { actorOf } from './actor.ts';
import {
  adminUserSchema,
  idParamsSchema,
  pageQuerySchema,
  pageSchema,
  policyBodySchema,
  policySchema,
  verificationSchema,
  type PolicyView,
} from './schemas.ts';
import { listVerifications, verificationView } from './verifications.ts';

const tags = ['mfa-admin'];

const invalid = { description: 'The request is not valid; `errors` names each field.' };
const notAdmin = { description: 'No session (401), or not an Admin (403).' };
const unknown = { description: 'No such policy or account.' };

/** `policy` as the API shows it; only stored policies are shown, so `id` is set. */
export function policyView(policy: MfaPolicy): PolicyView {
  if (policy.id === null || policy.createdAt === null || policy.updatedAt === null) {
    throw new Error('the built-in policy is not stored and has no view');
  }
  return {
    id: policy.id,
    name: policy.name,
    priority: policy.priority,
    roles: policy.roles,
    enforcement: policy.enforcement,
    allowedMethods: policy.allowedMethods,
    gracePeriodDays: policy.gracePeriodDays,
    gracePromptsMax: policy.gracePromptsMax,
    setupDeadline: policy.setupDeadline?.toISOString() ?? null,
    maxFailedAttempts: policy.maxFailedAttempts,
    lockoutMinutes: policy.lockoutMinutes,
    totpWindowSteps: policy.totpWindowSteps,
    rememberDeviceDays: policy.rememberDeviceDays,
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}

/** Declares the Admin routes on `router`. */
export function adminRoutes(router: ApiRouter): void {
  policyListRoutes(router);
  policyItemRoutes(router);
  userRoutes(router);
}

function policyListRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/mfa/policies',
      summary: 'MFA policies',
      description:
        'By id. The policy applying to an account is the applicable one (org-wide, or naming ' +
        'a role the account holds) with the highest priority; ties go to the older one.',
      tags,
      access: 'admin',
      query: pageQuerySchema,
      responses: {
        200: { description: 'The policies.', schema: pageSchema(policySchema) },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
      },
    },
    async (c, { query }) => {
      const page = { limit: query.limit, afterId: pageStart(query) };
      const { policies, more } = await listPolicies(c.var.ctx, page);
      return c.json(pageOf(policies.map(policyView), more), 200);
    },
  );
  router.route(
    {
      method: 'post',
      path: '/mfa/policies',
      summary: 'Create an MFA policy',
      tags,
      access: 'admin',
      body: policyBodySchema,
      responses: {
        201: { description: 'The new policy.', schema: policySchema },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
        409: { description: 'The name is taken, or 100 policies exist.' },
      },
    },
    async (c, { body }) => c.json(policyView(await savePolicy(c.var.ctx, null, body)), 201),
  );
}

function policyItemRoutes(router: ApiRouter): void {
  const common = { tags, access: 'admin' as const, params: idParamsSchema };
  router.route(
    {
      ...common,
      method: 'get',
      path: '/mfa/policies/:id',
      summary: 'One MFA policy',
      responses: {
        200: { description: 'The policy.', schema: policySchema },
        401: notAdmin,
        403: notAdmin,
        404: unknown,
      },
    },
    async (c, { params }) => c.json(policyView(await findPolicy(c.var.ctx, params.id)), 200),
  );
  router.route(
    {
      ...common,
      method: 'put',
      path: '/mfa/policies/:id',
      summary: 'Replace an MFA policy',
      body: policyBodySchema,
      responses: {
        200: { description: 'The policy as saved.', schema: policySchema },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
        404: unknown,
        409: { description: 'The name is taken.' },
      },
    },
    async (c, { params, body }) =>
      c.json(policyView(await savePolicy(c.var.ctx, params.id, body)), 200),
  );
  router.route(
    {
      ...common,
      method: 'delete',
      path: '/mfa/policies/:id',
      summary: 'Delete an MFA policy',
      description: 'With no policy left, a built-in optional TOTP-only policy applies.',
      responses: {
        200: { description: 'The deleted policy.', schema: policySchema },
        401: notAdmin,
        403: notAdmin,
        404: unknown,
      },
    },
    async (c, { params }) => c.json(policyView(await deletePolicy(c.var.ctx, params.id)), 200),
  );
}

function userRoutes(router: ApiRouter): void {
  const common = { tags, access: 'admin' as const, params: idParamsSchema };
  const answers = { 401: notAdmin, 403: notAdmin, 404: unknown };
  router.route(
    {
      ...common,
      method: 'get',
      path: '/mfa/users/:id',
      summary: "An account's MFA and the policy applying to it",
      responses: { 200: { description: 'The account.', schema: adminUserSchema }, ...answers },
    },
    async (c, { params }) => c.json(await adminUserView(c.var.ctx, params.id), 200),
  );
  router.route(
    {
      ...common,
      method: 'post',
      path: '/mfa/users/:id/unlock',
      summary: "End an account's MFA lock",
      responses: { 200: { description: 'Unlocked.', schema: adminUserSchema }, ...answers },
    },
    async (c, { params }) => c.json(await unlockUser(c.var.ctx, actorOf(c), params.id), 200),
  );
  router.route(
    {
      ...common,
      method: 'post',
      path: '/mfa/users/:id/reset',
      summary: 'Remove every second factor of an account',
      responses: { 200: { description: 'Reset.', schema: adminUserSchema }, ...answers },
    },
    async (c, { params }) => c.json(await resetUser(c.var.ctx, actorOf(c), params.id), 200),
  );
  router.route(
    {
      ...common,
      method: 'get',
      path: '/mfa/users/:id/verifications',
      summary: "An account's verification history",
      query: pageQuerySchema,
      responses: {
        200: { description: 'Newest first.', schema: pageSchema(verificationSchema) },
        400: invalid,
        ...answers,
      },
    },
    async (c, { params, query }) => {
      const page = { limit: query.limit, beforeId: pageStart(query) };
      const { rows, more } = await listVerifications(c.var.ctx, params.id, page);
      return c.json(pageOf(rows.map(verificationView), more), 200);
    },
  );
}
