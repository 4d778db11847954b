/**
 * @module
 * The Sequelize models of the MFA tables created by `migrations/mfa_001.ts`.
 *
 * Defined per Sequelize instance with `sequelize.define` and cached in a WeakMap, like
 * `server/auth/models.ts`: a process may hold several databases at once. The migration is the
 * single source of truth; these definitions mirror it column for column, which
 * `test/server/mfa/schema.test.ts` proves on both databases. Times come from the context
 * clock, never from Sequelize, so `timestamps` is off everywhere.
 *
 * Columns named `*Token` in the comments below hold keyring tokens (Fernet), never plaintext.
 */
import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

/** A row of `ab_mfa_policies`. `allowedMethods` is a comma-separated list (`totp,sms`). */
export interface PolicyAttributes {
  id: number;
  name: string;
  priority: number;
  enforcement: string;
  allowedMethods: string;
  gracePeriodDays: number | null;
  gracePromptsMax: number | null;
  setupDeadline: Date | null;
  maxFailedAttempts: number;
  lockoutMinutes: number;
  totpWindowSteps: number;
  rememberDeviceDays: number;
  createdAt: Date;
  updatedAt: Date;
}
export type PolicyCreation = Optional<PolicyAttributes, 'id'>;
export interface PolicyRow extends Model<PolicyAttributes, PolicyCreation>, PolicyAttributes {}

/** A row of `ab_mfa_policy_roles`: one role a policy applies to. */
export interface PolicyRoleAttributes {
  id: number;
  policyId: number;
  roleId: number;
}
export interface PolicyRoleRow
  extends Model<PolicyRoleAttributes, Optional<PolicyRoleAttributes, 'id'>>, PolicyRoleAttributes {}

/** A row of `ab_user_mfa`. `totpSecret` and `phone` are keyring tokens. */
export interface UserMfaAttributes {
  id: number;
  userId: number;
  totpSecret: string | null;
  totpAlgorithm: string | null;
  totpDigits: number | null;
  totpPeriodSeconds: number | null;
  /** BIGINT: a number on SQLite, a string on PostgreSQL. */
  totpLastStep: number | string | null;
  totpEnabledAt: Date | null;
  phone: string | null;
  smsEnabledAt: Date | null;
  email: string | null;
  emailEnabledAt: Date | null;
  preferredMethod: string | null;
  factorVersion: number;
  consecutiveFailures: number;
  lastFailureAt: Date | null;
  lockedUntil: Date | null;
  graceStartedAt: Date | null;
  gracePromptsSkipped: number;
  backupCodesGeneratedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export type UserMfaCreation = Optional<
  UserMfaAttributes,
  | 'id'
  | 'totpSecret'
  | 'totpAlgorithm'
  | 'totpDigits'
  | 'totpPeriodSeconds'
  | 'totpLastStep'
  | 'totpEnabledAt'
  | 'phone'
  | 'smsEnabledAt'
  | 'email'
  | 'emailEnabledAt'
  | 'preferredMethod'
  | 'factorVersion'
  | 'consecutiveFailures'
  | 'lastFailureAt'
  | 'lockedUntil'
  | 'graceStartedAt'
  | 'gracePromptsSkipped'
  | 'backupCodesGeneratedAt'
>;
export interface UserMfaRow extends Model<UserMfaAttributes, UserMfaCreation>, UserMfaAttributes {}

/** A row of `ab_mfa_backup_codes`: a public selector and the bcrypt hash of the verifier. */
export interface BackupCodeAttributes {
  id: number;
  userMfaId: number;
  selector: string;
  verifierHash: string;
  createdAt: Date;
  usedAt: Date | null;
}
export interface BackupCodeRow
  extends
    Model<BackupCodeAttributes, Optional<BackupCodeAttributes, 'id' | 'usedAt'>>,
    BackupCodeAttributes {}

/** A row of `ab_mfa_verifications`: one attempt or one administrative act; never a code. */
export interface VerificationAttributes {
  id: number;
  userId: number;
  method: string;
  purpose: string;
  outcome: string;
  reason: string | null;
  sessionIdHash: string | null;
  actorUserId: number | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
}
export type VerificationCreation = Optional<
  VerificationAttributes,
  'id' | 'reason' | 'sessionIdHash' | 'actorUserId' | 'ip' | 'userAgent'
>;
export interface VerificationRow
  extends Model<VerificationAttributes, VerificationCreation>, VerificationAttributes {}

/** A row of `ab_mfa_totp_enrolments`: a TOTP secret (keyring token) awaiting its first code. */
export interface TotpEnrolmentAttributes {
  id: number;
  userId: number;
  secret: string;
  algorithm: string;
  digits: number;
  periodSeconds: number;
  createdAt: Date;
  expiresAt: Date;
}
export interface TotpEnrolmentRow
  extends
    Model<TotpEnrolmentAttributes, Optional<TotpEnrolmentAttributes, 'id'>>,
    TotpEnrolmentAttributes {}

/** A row of `ab_mfa_otp_codes`: an SMS or email code, as its MAC; the destination as a token. */
export interface OtpCodeAttributes {
  id: number;
  userId: number;
  channel: string;
  purpose: string;
  destination: string;
  destinationKey: string;
  codeHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}
export interface OtpCodeRow
  extends
    Model<OtpCodeAttributes, Optional<OtpCodeAttributes, 'id' | 'usedAt'>>,
    OtpCodeAttributes {}

/** A row of `ab_mfa_trusted_devices`: the SHA-256 of a remember-this-device token. */
export interface TrustedDeviceAttributes {
  id: number;
  userId: number;
  tokenHash: string;
  factorVersion: number;
  passwordChangedOn: Date | null;
  label: string;
  ip: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}
export interface TrustedDeviceRow
  extends
    Model<
      TrustedDeviceAttributes,
      Optional<TrustedDeviceAttributes, 'id' | 'ip' | 'lastUsedAt' | 'label'>
    >,
    TrustedDeviceAttributes {}

/** A row of `ab_mfa_outbox`: a message kept instead of sent; recipient and body are tokens. */
export interface OutboxAttributes {
  id: number;
  userId: number | null;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  createdAt: Date;
}
export interface OutboxRow
  extends Model<OutboxAttributes, Optional<OutboxAttributes, 'id' | 'subject'>>, OutboxAttributes {}

/** A row of `ab_mfa_keys`: a random key of the MFA domain, as a keyring token. */
export interface MfaKeyAttributes {
  purpose: string;
  secret: string;
  createdAt: Date;
}
export interface MfaKeyRow extends Model<MfaKeyAttributes, MfaKeyAttributes>, MfaKeyAttributes {}

/** The MFA models of one Sequelize instance. */
export interface MfaModels {
  Policy: ModelStatic<PolicyRow>;
  PolicyRole: ModelStatic<PolicyRoleRow>;
  UserMfa: ModelStatic<UserMfaRow>;
  BackupCode: ModelStatic<BackupCodeRow>;
  Verification: ModelStatic<VerificationRow>;
  TotpEnrolment: ModelStatic<TotpEnrolmentRow>;
  OtpCode: ModelStatic<OtpCodeRow>;
  TrustedDevice: ModelStatic<TrustedDeviceRow>;
  Outbox: ModelStatic<OutboxRow>;
  MfaKey: ModelStatic<MfaKeyRow>;
}

const definedModels = new WeakMap<Sequelize, MfaModels>();

/**
 * The MFA models bound to `sequelize`, defined on the first call for that instance.
 *
 * @param sequelize - the database the models read and write.
 * @returns the model statics; the same objects on every call with the same instance.
 * @example
 * const { UserMfa } = mfaModels(ctx.sequelize);
 * const row = await UserMfa.findOne({ where: { userId } });
 */
export function mfaModels(sequelize: Sequelize): MfaModels {
  let models = definedModels.get(sequelize);
  if (!models) {
    models = defineMfaModels(sequelize);
    definedModels.set(sequelize, models);
  }
  return models;
}

/** A fresh definition each time: Sequelize annotates the attribute objects it is given. */
const idColumn = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true });
const required = <T>(type: T) => ({ type, allowNull: false });
const optional = <T>(type: T) => ({ type, allowNull: true });
const options = (tableName: string) => ({ tableName, underscored: true, timestamps: false });

function defineMfaModels(sequelize: Sequelize): MfaModels {
  const { Policy, PolicyRole } = definePolicyModels(sequelize);
  const UserMfa = defineUserMfa(sequelize);
  const { BackupCode, TotpEnrolment, OtpCode } = defineCodeModels(sequelize);
  const Verification = defineVerification(sequelize);
  const { TrustedDevice, Outbox, MfaKey } = defineDeviceOutboxKey(sequelize);
  PolicyRole.belongsTo(Policy, { as: 'policy', foreignKey: 'policyId' });
  Policy.hasMany(PolicyRole, { as: 'roles', foreignKey: 'policyId' });
  BackupCode.belongsTo(UserMfa, { as: 'userMfa', foreignKey: 'userMfaId' });
  return {
    Policy,
    PolicyRole,
    UserMfa,
    BackupCode,
    Verification,
    TotpEnrolment,
    OtpCode,
    TrustedDevice,
    Outbox,
    MfaKey,
  };
}

function definePolicyModels(sequelize: Sequelize) {
  const Policy = sequelize.define<PolicyRow>(
    'AbMfaPolicy',
    {
      id: idColumn(),
      name: required(DataTypes.STRING(100)),
      priority: required(DataTypes.INTEGER),
      enforcement: required(DataTypes.STRING(16)),
      allowedMethods: required(DataTypes.STRING(32)),
      gracePeriodDays: optional(DataTypes.INTEGER),
      gracePromptsMax: optional(DataTypes.INTEGER),
      setupDeadline: optional(DataTypes.DATE),
      maxFailedAttempts: required(DataTypes.INTEGER),
      lockoutMinutes: required(DataTypes.INTEGER),
      totpWindowSteps: required(DataTypes.INTEGER),
      rememberDeviceDays: required(DataTypes.INTEGER),
      createdAt: required(DataTypes.DATE),
      updatedAt: required(DataTypes.DATE),
    },
    options('ab_mfa_policies'),
  );
  const PolicyRole = sequelize.define<PolicyRoleRow>(
    'AbMfaPolicyRole',
    { id: idColumn(), policyId: required(DataTypes.INTEGER), roleId: required(DataTypes.INTEGER) },
    options('ab_mfa_policy_roles'),
  );
  return { Policy, PolicyRole };
}

function defineCodeModels(sequelize: Sequelize) {
  const BackupCode = sequelize.define<BackupCodeRow>(
    'AbMfaBackupCode',
    {
      id: idColumn(),
      userMfaId: required(DataTypes.INTEGER),
      selector: required(DataTypes.STRING(8)),
      verifierHash: required(DataTypes.STRING(60)),
      createdAt: required(DataTypes.DATE),
      usedAt: optional(DataTypes.DATE),
    },
    options('ab_mfa_backup_codes'),
  );
  const TotpEnrolment = sequelize.define<TotpEnrolmentRow>(
    'AbMfaTotpEnrolment',
    {
      id: idColumn(),
      userId: required(DataTypes.INTEGER),
      secret: required(DataTypes.TEXT),
      algorithm: required(DataTypes.STRING(8)),
      digits: required(DataTypes.INTEGER),
      periodSeconds: required(DataTypes.INTEGER),
      createdAt: required(DataTypes.DATE),
      expiresAt: required(DataTypes.DATE),
    },
    options('ab_mfa_totp_enrolments'),
  );
  const OtpCode = sequelize.define<OtpCodeRow>(
    'AbMfaOtpCode',
    {
      id: idColumn(),
      userId: required(DataTypes.INTEGER),
      channel: required(DataTypes.STRING(8)),
      purpose: required(DataTypes.STRING(16)),
      destination: required(DataTypes.TEXT),
      destinationKey: required(DataTypes.STRING(64)),
      codeHash: required(DataTypes.STRING(64)),
      createdAt: required(DataTypes.DATE),
      expiresAt: required(DataTypes.DATE),
      usedAt: optional(DataTypes.DATE),
    },
    options('ab_mfa_otp_codes'),
  );
  return { BackupCode, TotpEnrolment, OtpCode };
}

function defineUserMfa(sequelize: Sequelize): ModelStatic<UserMfaRow> {
  return sequelize.define<UserMfaRow>(
    'AbUserMfa',
    {
      id: idColumn(),
      userId: required(DataTypes.INTEGER),
      totpSecret: optional(DataTypes.TEXT),
      totpAlgorithm: optional(DataTypes.STRING(8)),
      totpDigits: optional(DataTypes.INTEGER),
      totpPeriodSeconds: optional(DataTypes.INTEGER),
      totpLastStep: optional(DataTypes.BIGINT),
      totpEnabledAt: optional(DataTypes.DATE),
      phone: optional(DataTypes.TEXT),
      smsEnabledAt: optional(DataTypes.DATE),
      email: optional(DataTypes.STRING(254)),
      emailEnabledAt: optional(DataTypes.DATE),
      preferredMethod: optional(DataTypes.STRING(16)),
      factorVersion: { ...required(DataTypes.INTEGER), defaultValue: 0 },
      consecutiveFailures: { ...required(DataTypes.INTEGER), defaultValue: 0 },
      lastFailureAt: optional(DataTypes.DATE),
      lockedUntil: optional(DataTypes.DATE),
      graceStartedAt: optional(DataTypes.DATE),
      gracePromptsSkipped: { ...required(DataTypes.INTEGER), defaultValue: 0 },
      backupCodesGeneratedAt: optional(DataTypes.DATE),
      createdAt: required(DataTypes.DATE),
      updatedAt: required(DataTypes.DATE),
    },
    options('ab_user_mfa'),
  );
}

function defineVerification(sequelize: Sequelize): ModelStatic<VerificationRow> {
  return sequelize.define<VerificationRow>(
    'AbMfaVerification',
    {
      id: idColumn(),
      userId: required(DataTypes.INTEGER),
      method: required(DataTypes.STRING(16)),
      purpose: required(DataTypes.STRING(16)),
      outcome: required(DataTypes.STRING(16)),
      reason: optional(DataTypes.STRING(32)),
      sessionIdHash: optional(DataTypes.STRING(64)),
      actorUserId: optional(DataTypes.INTEGER),
      ip: optional(DataTypes.STRING(64)),
      userAgent: optional(DataTypes.STRING(512)),
      createdAt: required(DataTypes.DATE),
    },
    options('ab_mfa_verifications'),
  );
}

function defineDeviceOutboxKey(sequelize: Sequelize) {
  const TrustedDevice = sequelize.define<TrustedDeviceRow>(
    'AbMfaTrustedDevice',
    {
      id: idColumn(),
      userId: required(DataTypes.INTEGER),
      tokenHash: required(DataTypes.STRING(64)),
      factorVersion: required(DataTypes.INTEGER),
      passwordChangedOn: optional(DataTypes.DATE),
      label: { ...required(DataTypes.STRING(128)), defaultValue: '' },
      ip: optional(DataTypes.STRING(64)),
      createdAt: required(DataTypes.DATE),
      expiresAt: required(DataTypes.DATE),
      lastUsedAt: optional(DataTypes.DATE),
    },
    options('ab_mfa_trusted_devices'),
  );
  const Outbox = sequelize.define<OutboxRow>(
    'AbMfaOutbox',
    {
      id: idColumn(),
      userId: optional(DataTypes.INTEGER),
      channel: required(DataTypes.STRING(8)),
      recipient: required(DataTypes.TEXT),
      subject: optional(DataTypes.STRING(200)),
      body: required(DataTypes.TEXT),
      createdAt: required(DataTypes.DATE),
    },
    options('ab_mfa_outbox'),
  );
  const MfaKey = sequelize.define<MfaKeyRow>(
    'AbMfaKey',
    {
      purpose: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
      secret: required(DataTypes.TEXT),
      createdAt: required(DataTypes.DATE),
    },
    options('ab_mfa_keys'),
  );
  return { TrustedDevice, Outbox, MfaKey };
}
