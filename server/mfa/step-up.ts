/**
 * @module
 * Step-up: actions that weaken or move a second factor (removing a method, changing the phone
 * or email, adding a method to an enrolled account, regenerating backup codes) need a second
 * factor verified in this session within the last {@link stepUpWindowMs}.
 *
 * Invariants:
 *  1. Only a verification in *this* session counts (`ab_session.mfa_verified_at`, set when a
 *     verification upgrades the session); a sign-in by a remembered device never counts.
 *  2. The window is measured on the context clock and is never longer than 5 minutes.
 */
import assert from 'node:assert/strict';
import type { AppContext } from '../context.ts';
import type { MfaActor } from './actor.ts';
import { stepUpRequiredProblem } from './problems.ts';

/** How long a verification lets the session perform step-up actions. */
export const stepUpWindowMs = 5 * 60 * 1000;

/** Until when the session may perform step-up actions; null when it may not now. */
export function stepUpValidUntil(ctx: AppContext, session: MfaActor['session']): Date | null {
  assert(stepUpWindowMs <= 5 * 60 * 1000);
  if (session.state !== 'active' || session.mfaVerifiedAt === null) return null;
  const untilMs = session.mfaVerifiedAt.getTime() + stepUpWindowMs;
  return untilMs > ctx.clock.now().getTime() ? new Date(untilMs) : null;
}

/**
 * Refuses unless the session verified a second factor within the window.
 *
 * @throws ProblemError 403 `/step-up-required`.
 */
export function requireStepUp(ctx: AppContext, session: MfaActor['session']): void {
  if (stepUpValidUntil(ctx, session) === null) {
    throw stepUpRequiredProblem(stepUpWindowMs / 60_000);
  }
}
