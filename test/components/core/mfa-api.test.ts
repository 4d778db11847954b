import { expect } from '@open-wc/testing';
import { ApiClient, ProblemError } from '../../../components/core/api-client.ts';
import {
  adminUserMfa,
  backupCodeCounts,
  confirmSetup,
  createPolicy,
  deletePolicy,
  forgetTrustedDevice,
  getPolicy,
  isStepUpRequired,
  listPolicies,
  lockedUntilOf,
  mfaProblems,
  mfaStatus,
  outbox,
  regenerateBackupCodes,
  removeMethod,
  resetUserMfa,
  sendChallenge,
  setPreferredMethod,
  startEmailSetup,
  startSmsSetup,
  startTotpSetup,
  trustedDevices,
  unlockUser,
  updatePolicy,
  userVerificationHistory,
  verificationHistory,
  verifyCode,
  type MfaStatus,
  type PolicyInput,
} from '../../../components/core/mfa-api.ts';
import { testAdmin } from '../../support/test-admin.mjs';
import { enrolledAccount, registerAccount, signIn, signOut } from '../support/mfa-account.ts';
import { TestAuthenticator } from '../support/totp.ts';

const api = new ApiClient();

/** What a call refused with; fails when it succeeded. */
async function refusal(call: Promise<unknown>): Promise<ProblemError> {
  try {
    await call;
  } catch (error) {
    expect(error).to.be.instanceOf(ProblemError);
    return error as ProblemError;
  }
  throw new Error('expected the call to be refused');
}

/** Every key `MfaStatus` declares, so a renamed server field fails here. */
const statusKeys: (keyof MfaStatus)[] = [
  'required',
  'verified',
  'methods',
  'policy',
  'allowedMethods',
  'preferredMethod',
  'enrolment',
  'totp',
  'sms',
  'email',
  'backupCodes',
  'lockedUntil',
  'attemptsLeft',
  'stepUpValidUntil',
  'rememberDeviceDays',
];

describe('mfa-api', () => {
  beforeEach(async () => {
    await signOut();
  });

  describe('for an account setting up an authenticator app', () => {
    it('passes the chosen parameters, and the confirmation answers backup codes', async () => {
      await signIn(await registerAccount('api-setup'));
      const before = await mfaStatus(api);
      expect(Object.keys(before)).to.include.members(statusKeys);
      expect(before.methods).to.deep.equal([]);
      const setup = await startTotpSetup(api, {
        algorithm: 'SHA256',
        digits: 8,
        periodSeconds: 60,
      });
      expect(setup).to.include({ algorithm: 'SHA256', digits: 8, periodSeconds: 60 });
      expect(setup.otpauthUri).to.match(/^otpauth:\/\/totp\//);
      expect(setup.qrSvg).to.contain('<svg');
      const authenticator = new TestAuthenticator(setup.secret, {
        algorithm: 'SHA256',
        digits: 8,
        periodSeconds: 60,
      });
      const { backupCodes } = await confirmSetup(api, 'totp', await authenticator.nextCode());
      expect(backupCodes).to.have.length(10);
      const after = await mfaStatus(api);
      expect(after.totp).to.include({ enabled: true, digits: 8, algorithm: 'SHA256' });
      expect(after.preferredMethod).to.equal('totp');
      expect(await backupCodeCounts(api)).to.include({ remaining: 10, total: 10 });
    });

    it('refuses text messages and email the default policy does not allow', async () => {
      await enrolledAccount('api-channels');
      const sms = await refusal(startSmsSetup(api, '+14155550100'));
      expect(sms.status).to.equal(409);
      expect(sms.is(mfaProblems.methodNotAllowed)).to.be.true;
      const email = await refusal(startEmailSetup(api));
      expect(email.is(mfaProblems.methodNotAllowed)).to.be.true;
      const other = await refusal(startEmailSetup(api, 'other@example.com'));
      expect(other.is(mfaProblems.methodNotAllowed)).to.be.true;
      const challenge = await refusal(sendChallenge(api, 'sms'));
      expect(challenge.status).to.equal(409);
    });
  });

  describe('for an enrolled account', () => {
    it('manages the preferred method, backup codes, devices, history and methods', async () => {
      const account = await enrolledAccount('api-manage');
      expect((await setPreferredMethod(api, 'totp')).preferredMethod).to.equal('totp');
      expect((await regenerateBackupCodes(api)).backupCodes).to.have.length(10);

      await signOut();
      await signIn(account);
      const code = await account.authenticator.nextCode();
      const verified = await verifyCode(api, { method: 'totp', code, rememberDevice: true });
      expect(verified.rememberedUntil).to.be.a('string');
      const devices = await trustedDevices(api, { limit: 10 });
      expect(devices.items).to.have.length(1);
      expect(devices.items[0]!.current).to.be.true;
      expect(devices.nextCursor).to.equal(null);
      expect(await forgetTrustedDevice(api, devices.items[0]!.id)).to.deep.equal({
        id: devices.items[0]!.id,
      });
      expect((await trustedDevices(api)).items).to.deep.equal([]);

      const history = await verificationHistory(api, { limit: 1 });
      expect(history.items[0]).to.include({ method: 'totp', outcome: 'success' });
      expect(history.nextCursor).to.be.a('string');
      const older = await verificationHistory(api, { cursor: history.nextCursor! });
      expect(older.items.length).to.be.greaterThan(0);
      expect((await outbox(api)).items.length).to.be.greaterThan(0);

      const removed = await removeMethod(api, 'totp');
      expect(removed.totp.enabled).to.be.false;
      expect(removed.methods).to.deep.equal([]);
    });

    it('tells a step-up refusal and a lock from other problems', async () => {
      const locked = new ProblemError({
        type: '/problems/mfa-locked',
        title: 'Locked',
        status: 423,
        lockedUntil: '2030-01-02T03:04:05.000Z',
      });
      expect(lockedUntilOf(locked)?.toISOString()).to.equal('2030-01-02T03:04:05.000Z');
      expect(lockedUntilOf(new Error('no'))).to.equal(undefined);
      const stepUp = new ProblemError({ type: '/p/step-up-required', title: 'x', status: 403 });
      expect(isStepUpRequired(stepUp)).to.be.true;
      expect(isStepUpRequired(locked)).to.be.false;
    });
  });

  describe('for an Admin', () => {
    it('lists, creates, reads, replaces and deletes policies, and manages accounts', async () => {
      const account = await enrolledAccount('api-admin-target');
      await signOut();
      await signIn(testAdmin);
      // Admins only, and below the org-wide default: this policy applies to nobody.
      const input: PolicyInput = {
        name: `api-policy-${Date.now()}`,
        priority: -1000,
        roles: ['Admin'],
        enforcement: 'optional',
        allowedMethods: ['totp'],
      };
      const created = await createPolicy(api, input);
      try {
        expect(created).to.include({ name: input.name, priority: -1000, maxFailedAttempts: 5 });
        expect((await getPolicy(api, created.id)).roles).to.deep.equal(['Admin']);
        const updated = await updatePolicy(api, created.id, { ...input, lockoutMinutes: 30 });
        expect(updated.lockoutMinutes).to.equal(30);
        const page = await listPolicies(api, { limit: 100 });
        expect(page.items.map((policy) => policy.id)).to.include(created.id);
      } finally {
        expect((await deletePolicy(api, created.id)).id).to.equal(created.id);
      }
      const view = await adminUserMfa(api, account.id);
      expect(view).to.include({ userId: account.id, username: account.username });
      expect(view.status.totp.enabled).to.be.true;
      expect((await unlockUser(api, account.id)).consecutiveFailures).to.equal(0);
      const history = await userVerificationHistory(api, account.id, { limit: 5 });
      expect(history.items.length).to.be.greaterThan(0);
      expect((await resetUserMfa(api, account.id)).status.totp.enabled).to.be.false;
    });
  });
});
