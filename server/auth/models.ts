/**
 * @module
 * The Sequelize models of the auth tables created by `migrations/core_001.ts`: users, roles,
 * their memberships, sessions and the shared throttling counters.
 *
 * Models are defined per Sequelize instance with `sequelize.define`, never with `Model.init`
 * on a shared class: a process may hold several databases at once (every test file does), and a
 * class initialised twice would silently point at the last one. {@link authModels} defines them
 * once per instance and hands back the same statics on every later call.
 *
 * The migration is the single source of truth for the schema; these definitions mirror it
 * column for column, which `test/server/auth/schema.test.ts` proves on both databases.
 * Usernames and emails are stored lower-cased ({@link normalizeLogin}).
 */
import {
  DataTypes,
  type Model,
  type ModelStatic,
  type Optional,
  type Sequelize,
} from 'sequelize';

/** A row of `ab_user`. `password` is the bcrypt hash; it never leaves the server. */
export interface UserAttributes {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
  active: boolean;
  loginCount: number;
  failLoginCount: number;
  lastLogin: Date | null;
  passwordChangedOn: Date | null;
  createdOn: Date;
  changedOn: Date;
}

/** What creating a user needs; the database fills the rest. */
export type UserCreation = Optional<
  UserAttributes,
  | 'id'
  | 'firstName'
  | 'lastName'
  | 'active'
  | 'loginCount'
  | 'failLoginCount'
  | 'lastLogin'
  | 'passwordChangedOn'
  | 'createdOn'
  | 'changedOn'
>;

/** A loaded `ab_user` row. */
export interface UserRow extends Model<UserAttributes, UserCreation>, UserAttributes {}

/** A row of `ab_role`. */
export interface RoleAttributes {
  id: number;
  name: string;
}

/** A loaded `ab_role` row. */
export interface RoleRow
  extends Model<RoleAttributes, Optional<RoleAttributes, 'id'>>,
    RoleAttributes {}

/** A row of `ab_user_role`: one user holding one role. */
export interface UserRoleAttributes {
  id: number;
  userId: number;
  roleId: number;
}

/** A loaded `ab_user_role` row. */
export interface UserRoleRow
  extends Model<UserRoleAttributes, Optional<UserRoleAttributes, 'id'>>,
    UserRoleAttributes {}

/** A row of `ab_session`. Only the SHA-256 of the cookie's token is stored. */
export interface SessionAttributes {
  idHash: string;
  userId: number;
  state: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  mfaVerifiedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

/** A loaded `ab_session` row. */
export interface SessionRow
  extends Model<SessionAttributes, SessionCreation>,
    SessionAttributes {}

/** What creating a session needs. */
export type SessionCreation = Optional<SessionAttributes, 'mfaVerifiedAt' | 'ip' | 'userAgent'>;

/** A row of `ab_rate_limit`: a failure counter shared by every server process. */
export interface RateLimitAttributes {
  key: string;
  failures: number;
  windowStartedAt: Date;
  blockedUntil: Date | null;
}

/** A loaded `ab_rate_limit` row. */
export interface RateLimitRow
  extends Model<RateLimitAttributes, Optional<RateLimitAttributes, 'failures' | 'blockedUntil'>>,
    RateLimitAttributes {}

/** The auth models of one Sequelize instance. */
export interface AuthModels {
  User: ModelStatic<UserRow>;
  Role: ModelStatic<RoleRow>;
  UserRole: ModelStatic<UserRoleRow>;
  Session: ModelStatic<SessionRow>;
  RateLimit: ModelStatic<RateLimitRow>;
}

const definedModels = new WeakMap<Sequelize, AuthModels>();

/**
 * A username or email as stored and looked up: trimmed and lower-cased. Every write of
 * `ab_user.username` and `ab_user.email` goes through it (the model's setters), and so must
 * every lookup.
 */
export function normalizeLogin(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The auth models bound to `sequelize`, defined on the first call for that instance.
 *
 * @param sequelize - the database the models read and write.
 * @returns the model statics; the same objects on every call with the same instance.
 * @example
 * const { User } = authModels(ctx.sequelize);
 * const count = await User.count();
 */
export function authModels(sequelize: Sequelize): AuthModels {
  let models = definedModels.get(sequelize);
  if (!models) {
    models = defineAuthModels(sequelize);
    definedModels.set(sequelize, models);
  }
  return models;
}

function defineAuthModels(sequelize: Sequelize): AuthModels {
  const User = sequelize.define<UserRow>(
    'AbUser',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // Stored lower-cased: the unique constraints then make `Alice` and `alice` one account.
      username: {
        type: DataTypes.STRING(64),
        allowNull: false,
        set(value: string) {
          this.setDataValue('username', normalizeLogin(value));
        },
      },
      email: {
        type: DataTypes.STRING(254),
        allowNull: false,
        set(value: string) {
          this.setDataValue('email', normalizeLogin(value));
        },
      },
      firstName: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      lastName: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      password: { type: DataTypes.STRING(100), allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      loginCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      failLoginCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastLogin: { type: DataTypes.DATE, allowNull: true },
      passwordChangedOn: { type: DataTypes.DATE, allowNull: true },
      createdOn: { type: DataTypes.DATE, allowNull: false },
      changedOn: { type: DataTypes.DATE, allowNull: false },
    },
    {
      tableName: 'ab_user',
      underscored: true,
      timestamps: true,
      createdAt: 'createdOn',
      updatedAt: 'changedOn',
    },
  );
  const Role = sequelize.define<RoleRow>(
    'AbRole',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    },
    { tableName: 'ab_role', underscored: true, timestamps: false },
  );
  const UserRole = sequelize.define<UserRoleRow>(
    'AbUserRole',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      roleId: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'ab_user_role', underscored: true, timestamps: false },
  );
  const Session = sequelize.define<SessionRow>(
    'AbSession',
    {
      idHash: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      mfaVerifiedAt: { type: DataTypes.DATE, allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      userAgent: { type: DataTypes.STRING(512), allowNull: true },
    },
    // Times come from the context clock, not Sequelize's, so `timestamps` stays off.
    { tableName: 'ab_session', underscored: true, timestamps: false },
  );
  const RateLimit = sequelize.define<RateLimitRow>(
    'AbRateLimit',
    {
      key: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
      failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      windowStartedAt: { type: DataTypes.DATE, allowNull: false },
      blockedUntil: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'ab_rate_limit', underscored: true, timestamps: false },
  );

  // Foreign keys are declared above as plain attributes, so these add no columns.
  UserRole.belongsTo(Role, { as: 'role', foreignKey: 'roleId' });
  Role.hasMany(UserRole, { as: 'memberships', foreignKey: 'roleId' });
  User.hasMany(UserRole, { as: 'memberships', foreignKey: 'userId' });
  Session.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  return { User, Role, UserRole, Session, RateLimit };
}
