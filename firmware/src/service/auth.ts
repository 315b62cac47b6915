/**
 * Accounts and bearer tokens, stored in SQLite (users, tokens, settings). Passwords and the
 * first-boot setup code are kept only as scrypt hashes, tokens only as SHA-256 hashes. Times come
 * from the injected clock.
 */
import { randomInt } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../../hal/src/clock.js';
import { CallboxError } from '../errors.js';
import type { Database } from '../store/db.js';
import { hashSecret, hashToken, newToken, verifySecret } from './passwords.js';
import type { AuthService, NewUser, Principal, Role, TokenGrant, TokenKind, UserInfo, UserPatch } from './types.js';

export interface AuthOptions {
  db: Database;
  clock: Clock;
  log?: Logger;
  /** Token lifetime in seconds; 12 h by default. */
  tokenTtlS?: number;
}

export const OWNER_USERNAME = 'owner';
export const ROLES: readonly Role[] = ['owner', 'supervisor', 'agent', 'technician'];
export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 1024;
const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{0,31}$/;
const SETUP_CODE_KEY = 'setup_code_hash';
const BAD_LOGIN = 'invalid username or password';

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  disabled: number;
}

interface TokenRow {
  username: string;
  role: Role;
  disabled: number;
  expires_at: number;
  kind: TokenKind;
}

interface UserListRow {
  username: string;
  role: Role;
  disabled: number;
  agent_id: string | null;
  created_at: number;
}

const AGENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export class Auth implements AuthService {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly log: Logger | undefined;
  private readonly ttlMs: number;
  private dummyHash: Promise<string> | null = null;
  private readonly q: {
    user: Statement<[string], UserRow>;
    anyOwner: Statement<[], { one: number }>;
    insertUser: Statement<[string, Role, string, number]>;
    token: Statement<[string], TokenRow>;
    insertToken: Statement<[string, string, number, number, TokenKind]>;
    deleteToken: Statement<[string]>;
    deleteUserTokens: Statement<[string]>;
    deleteOtherTokens: Statement<[string, string]>;
    listUsers: Statement<[], UserListRow>;
    userInfo: Statement<[string], UserListRow>;
    enabledOwners: Statement<[], { n: number }>;
    purgeTokens: Statement<[number]>;
    getSetting: Statement<[string], { value: string }>;
    putSetting: Statement<[string, string]>;
    deleteSetting: Statement<[string]>;
  };

  constructor(opts: AuthOptions) {
    this.db = opts.db;
    this.clock = opts.clock;
    this.log = opts.log;
    this.ttlMs = (opts.tokenTtlS ?? 12 * 3600) * 1000;
    const db = opts.db;
    this.q = {
      user: db.prepare('SELECT username, role, password_hash, disabled FROM users WHERE username = ?'),
      anyOwner: db.prepare("SELECT 1 AS one FROM users WHERE role = 'owner' LIMIT 1"),
      insertUser: db.prepare('INSERT INTO users (username, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, 0)'),
      token: db.prepare(
        `SELECT u.username, u.role, u.disabled, t.expires_at, t.kind FROM tokens t
         JOIN users u ON u.username = t.username WHERE t.token_hash = ?`,
      ),
      insertToken: db.prepare('INSERT INTO tokens (token_hash, username, created_at, expires_at, kind) VALUES (?, ?, ?, ?, ?)'),
      deleteToken: db.prepare('DELETE FROM tokens WHERE token_hash = ?'),
      deleteUserTokens: db.prepare('DELETE FROM tokens WHERE username = ?'),
      deleteOtherTokens: db.prepare('DELETE FROM tokens WHERE username = ? AND token_hash <> ?'),
      listUsers: db.prepare('SELECT username, role, disabled, agent_id, created_at FROM users ORDER BY username'),
      userInfo: db.prepare('SELECT username, role, disabled, agent_id, created_at FROM users WHERE username = ?'),
      enabledOwners: db.prepare("SELECT count(*) AS n FROM users WHERE role = 'owner' AND disabled = 0"),
      purgeTokens: db.prepare('DELETE FROM tokens WHERE expires_at <= ?'),
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?'),
      putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deleteSetting: db.prepare('DELETE FROM settings WHERE key = ?'),
    };
  }

  hasOwner(): boolean {
    return this.q.anyOwner.get() !== undefined;
  }

  /**
   * At start: make sure an owner can exist. With `seedPassword` (env CALLBOX_ADMIN_PASSWORD) and no
   * owner yet, create user "owner". Without a seed, generate a fresh one-time 8-digit setup code,
   * store only its hash, and return it for the caller to print. Returns null when nothing is to print.
   */
  async ensureOwner(opts: { seedPassword?: string } = {}): Promise<string | null> {
    if (this.hasOwner()) {
      this.q.deleteSetting.run(SETUP_CODE_KEY);
      return null;
    }
    const seed = opts.seedPassword;
    if (seed !== undefined && seed !== '') {
      checkPassword(seed, 'the seed password (CALLBOX_ADMIN_PASSWORD)');
      const hash = await hashSecret(seed);
      this.createOwner(hash, null);
      this.log?.info({ username: OWNER_USERNAME }, 'owner account created from the seed password');
      return null;
    }
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    this.q.putSetting.run(SETUP_CODE_KEY, await hashSecret(code));
    this.log?.info('no owner account: a one-time setup code was generated');
    return code;
  }

  /** First boot: exchange the setup code for the owner account and a token. */
  async setupOwner(code: string, password: string): Promise<TokenGrant> {
    if (this.hasOwner()) throw new CallboxError('CONFLICT', 'an owner account already exists');
    const stored = this.q.getSetting.get(SETUP_CODE_KEY)?.value ?? null;
    const given = typeof code === 'string' ? code.trim() : '';
    const ok = stored !== null && /^[0-9]{8}$/.test(given) && (await verifySecret(given, stored));
    if (!ok) {
      this.log?.warn('setup attempt with a wrong code');
      throw new CallboxError('BAD_CREDENTIALS', 'invalid setup code');
    }
    checkPassword(password, 'password');
    this.createOwner(await hashSecret(password), stored);
    this.log?.info({ username: OWNER_USERNAME }, 'owner account created with the setup code');
    return this.issue(OWNER_USERNAME);
  }

  async login(username: string, password: string, kind: TokenKind = 'bearer'): Promise<TokenGrant> {
    const row = typeof username === 'string' ? this.q.user.get(username) : undefined;
    const pw = typeof password === 'string' ? password : '';
    if (!row || row.disabled) {
      // Spend the same time as a real check so unknown users cannot be told apart.
      await verifySecret(pw, await this.dummy());
      throw new CallboxError('BAD_CREDENTIALS', BAD_LOGIN);
    }
    if (!(await verifySecret(pw, row.password_hash))) throw new CallboxError('BAD_CREDENTIALS', BAD_LOGIN);
    return this.issue(row.username, kind);
  }

  verify(token: string, kind: TokenKind = 'bearer'): Principal | null {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return null;
    const row = this.q.token.get(hashToken(token));
    if (!row || row.disabled || row.kind !== kind || row.expires_at <= this.clock.now()) return null;
    return { username: row.username, role: row.role };
  }

  logout(token: string): void {
    if (typeof token === 'string') this.q.deleteToken.run(hashToken(token));
  }

  logoutAll(username: string): number {
    const n = this.q.deleteUserTokens.run(username).changes;
    this.log?.info({ username, revoked: n }, 'logged out everywhere');
    return n;
  }

  async changePassword(username: string, oldPassword: string, newPassword: string, keepToken?: string): Promise<void> {
    const row = this.q.user.get(username);
    const ok = row && !row.disabled && typeof oldPassword === 'string' && (await verifySecret(oldPassword, row.password_hash));
    if (!ok) throw new CallboxError('BAD_CREDENTIALS', 'the current password is wrong');
    checkPassword(newPassword, 'newPassword');
    const hash = await hashSecret(newPassword);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(hash, username);
      if (keepToken) this.q.deleteOtherTokens.run(username, hashToken(keepToken));
      else this.q.deleteUserTokens.run(username);
    })();
    this.log?.info({ username }, 'password changed; other sessions revoked');
  }

  listUsers(): UserInfo[] {
    return this.q.listUsers.all().map(userInfo);
  }

  getUser(username: string): UserInfo | null {
    const row = typeof username === 'string' ? this.q.userInfo.get(username) : undefined;
    return row ? userInfo(row) : null;
  }

  async addUser(u: NewUser): Promise<UserInfo> {
    const agentId = checkAgentId(u.agentId);
    await this.createUser(u.username, u.role, u.password);
    if (agentId !== null) this.db.prepare('UPDATE users SET agent_id = ? WHERE username = ?').run(agentId, u.username);
    return this.getUser(u.username) as UserInfo;
  }

  async updateUser(username: string, patch: UserPatch): Promise<UserInfo> {
    const before = this.getUser(username);
    if (!before) throw new CallboxError('NOT_FOUND', `no user ${JSON.stringify(username)}`);
    if (patch.role !== undefined && !ROLES.includes(patch.role)) {
      throw new CallboxError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    }
    const agentId = patch.agentId === undefined ? before.agentId : checkAgentId(patch.agentId);
    if (patch.password !== undefined) checkPassword(patch.password, 'password');
    const hash = patch.password !== undefined ? await hashSecret(patch.password) : null;
    const role = patch.role ?? before.role;
    const disabled = patch.disabled ?? before.disabled;
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE users SET role = ?, disabled = ?, agent_id = ?, password_hash = coalesce(?, password_hash) WHERE username = ?')
        .run(role, disabled ? 1 : 0, agentId, hash, username);
      if ((this.q.enabledOwners.get()?.n ?? 0) === 0) {
        throw new CallboxError('CONFLICT', 'the box must keep at least one enabled owner');
      }
      if (disabled || hash !== null) this.q.deleteUserTokens.run(username);
    })();
    this.log?.info({ username, role, disabled }, 'user updated');
    return this.getUser(username) as UserInfo;
  }

  /** Add an account. VALIDATION_FAILED for a bad name, role or password; CONFLICT if it exists. */
  async createUser(username: string, role: Role, password: string): Promise<void> {
    if (typeof username !== 'string' || !USERNAME_PATTERN.test(username)) {
      throw new CallboxError('VALIDATION_FAILED', `username must match ${USERNAME_PATTERN.source}`);
    }
    if (!ROLES.includes(role)) {
      throw new CallboxError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`);
    }
    checkPassword(password, 'password');
    const hash = await hashSecret(password);
    if (this.q.user.get(username)) throw new CallboxError('CONFLICT', `user "${username}" already exists`);
    this.q.insertUser.run(username, role, hash, this.clock.now());
    this.log?.info({ username, role }, 'user created');
  }

  /** Insert the owner and clear the setup code in one transaction; `expectCode` guards a re-issue. */
  private createOwner(passwordHash: string, expectCode: string | null): void {
    this.db.transaction(() => {
      if (this.hasOwner()) throw new CallboxError('CONFLICT', 'an owner account already exists');
      if (expectCode !== null && this.q.getSetting.get(SETUP_CODE_KEY)?.value !== expectCode) {
        throw new CallboxError('BAD_CREDENTIALS', 'invalid setup code');
      }
      if (this.q.user.get(OWNER_USERNAME)) {
        throw new CallboxError('CONFLICT', `user "${OWNER_USERNAME}" already exists`);
      }
      this.q.insertUser.run(OWNER_USERNAME, 'owner', passwordHash, this.clock.now());
      this.q.deleteSetting.run(SETUP_CODE_KEY);
    })();
  }

  private issue(username: string, kind: TokenKind = 'bearer'): TokenGrant {
    const token = newToken();
    const now = this.clock.now();
    const expiresAt = now + this.ttlMs;
    this.q.purgeTokens.run(now);
    this.q.insertToken.run(hashToken(token), username, now, expiresAt, kind);
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashSecret('callbox timing equaliser');
    return this.dummyHash;
  }
}

function userInfo(r: UserListRow): UserInfo {
  return {
    username: r.username,
    role: r.role,
    disabled: r.disabled === 1,
    agentId: r.agent_id,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function checkAgentId(agentId: unknown): string | null {
  if (agentId === undefined || agentId === null) return null;
  if (typeof agentId !== 'string' || !AGENT_ID_PATTERN.test(agentId)) {
    throw new CallboxError('VALIDATION_FAILED', `agentId must match ${AGENT_ID_PATTERN.source}`, { field: 'agentId' });
  }
  return agentId;
}

function checkPassword(password: unknown, what: string): void {
  const n = typeof password === 'string' ? [...password].length : 0;
  if (n < MIN_PASSWORD_LENGTH) {
    throw new CallboxError('VALIDATION_FAILED', `${what} must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (n > MAX_PASSWORD_LENGTH) {
    throw new CallboxError('VALIDATION_FAILED', `${what} must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
