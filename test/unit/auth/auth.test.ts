import path from 'node:path';
import t, { type Test } from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Auth } from '../../../firmware/src/service/auth.js';
import { hashSecret, hashToken, verifySecret } from '../../../firmware/src/service/passwords.js';
import { type Database, openDatabase } from '../../../firmware/src/store/db.js';

function setup(t: Test, tokenTtlS?: number): { db: Database; clock: VirtualClock; auth: Auth } {
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  const clock = new VirtualClock();
  const auth = new Auth(tokenTtlS === undefined ? { db, clock } : { db, clock, tokenTtlS });
  return { db, clock, auth };
}

/** Every text value stored anywhere in the database. */
function allStoredText(db: Database): string {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  return tables.map((name) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
}

t.test('password hashes use the scrypt format and verify', async (t) => {
  const h = await hashSecret('correct horse');
  t.match(h, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  t.not(await hashSecret('correct horse'), h, 'salted');
  t.equal(await verifySecret('correct horse', h), true);
  t.equal(await verifySecret('correct horsf', h), false);
  t.equal(await verifySecret('x', 'plain'), false);
  t.equal(await verifySecret('x', 'scrypt$1048577$8$1$AAAA$AAAA'), false, 'absurd parameters never verify');
});

t.test('the seed password creates the owner; login works and bad logins look the same', async (t) => {
  const { db, auth } = setup(t);
  t.equal(auth.hasOwner(), false);
  t.equal(await auth.ensureOwner({ seedPassword: 's3cret-pass' }), null);
  t.equal(auth.hasOwner(), true);
  const row = db.prepare('SELECT role, password_hash FROM users WHERE username = ?').get('owner') as {
    role: string;
    password_hash: string;
  };
  t.equal(row.role, 'owner');
  t.match(row.password_hash, /^scrypt\$16384\$8\$1\$/);

  const grant = await auth.login('owner', 's3cret-pass');
  t.match(grant.token, /^[A-Za-z0-9_-]{43}$/);
  t.same(auth.verify(grant.token), { username: 'owner', role: 'owner' });

  const wrongPw = await auth.login('owner', 'nope-nope').catch((e: unknown) => e);
  const wrongUser = await auth.login('ghost', 's3cret-pass').catch((e: unknown) => e);
  t.match(wrongPw, { code: 'BAD_CREDENTIALS' });
  t.match(wrongUser, { code: 'BAD_CREDENTIALS' });
  t.equal((wrongPw as Error).message, (wrongUser as Error).message, 'same message for user and password');

  t.equal(await auth.ensureOwner({ seedPassword: 'another-password' }), null, 'a seed never resets an owner');
  await t.rejects(auth.login('owner', 'another-password'), { code: 'BAD_CREDENTIALS' });
  t.equal(new Auth({ db, clock: new VirtualClock() }).hasOwner(), true, 'the owner persists in the database');
});

t.test('a too short seed password is refused', async (t) => {
  const { auth } = setup(t);
  await t.rejects(auth.ensureOwner({ seedPassword: 'short' }), { code: 'VALIDATION_FAILED' });
  t.equal(auth.hasOwner(), false);
});

t.test('tokens expire on the virtual clock and logout revokes them', async (t) => {
  const { db, clock, auth } = setup(t, 60);
  await auth.ensureOwner({ seedPassword: 's3cret-pass' });
  const grant = await auth.login('owner', 's3cret-pass');
  t.equal(grant.expiresAt, new Date(clock.now() + 60_000).toISOString());
  clock.advance(59_999);
  t.ok(auth.verify(grant.token));
  clock.advance(1);
  t.equal(auth.verify(grant.token), null, 'expired at expiresAt');

  const second = await auth.login('owner', 's3cret-pass');
  t.equal(db.prepare('SELECT COUNT(*) FROM tokens').pluck().get(), 1, 'expired tokens are purged on login');
  t.ok(auth.verify(second.token));
  auth.logout(second.token);
  t.equal(auth.verify(second.token), null);
  t.equal(auth.verify(''), null);
  t.equal(auth.verify('not-a-token'), null);
});

t.test('the default token lifetime is 12 hours', async (t) => {
  const { clock, auth } = setup(t);
  await auth.ensureOwner({ seedPassword: 's3cret-pass' });
  const grant = await auth.login('owner', 's3cret-pass');
  t.equal(Date.parse(grant.expiresAt) - clock.now(), 12 * 3600 * 1000);
});

t.test('first boot without a seed: the setup code flow', async (t) => {
  const { db, auth } = setup(t);
  const code = await auth.ensureOwner({});
  t.match(code, /^[0-9]{8}$/);
  const stored = db.prepare("SELECT value FROM settings WHERE key = 'setup_code_hash'").pluck().get() as string;
  t.match(stored, /^scrypt\$/);
  t.not(allStoredText(db).includes(code as string), true, 'the code is not stored in clear');

  const again = await auth.ensureOwner({});
  t.match(again, /^[0-9]{8}$/, 'each start gets a fresh code');
  const wrong = again === '00000000' ? '00000001' : '00000000';
  await t.rejects(auth.setupOwner(wrong, 'long-enough'), { code: 'BAD_CREDENTIALS' });
  await t.rejects(auth.setupOwner(again as string, 'short'), { code: 'VALIDATION_FAILED' });
  t.equal(auth.hasOwner(), false, 'a refused setup creates nothing');

  const grant = await auth.setupOwner(again as string, 'long-enough');
  t.same(auth.verify(grant.token), { username: 'owner', role: 'owner' });
  t.equal(auth.hasOwner(), true);
  t.equal(db.prepare("SELECT COUNT(*) FROM settings WHERE key = 'setup_code_hash'").pluck().get(), 0, 'code cleared');
  await t.rejects(auth.setupOwner(again as string, 'long-enough'), { code: 'CONFLICT' });
  t.ok(await auth.login('owner', 'long-enough'));
  t.equal(await auth.ensureOwner({}), null, 'no code once an owner exists');
});

t.test('setup without a pending code is refused', async (t) => {
  const { auth } = setup(t);
  await t.rejects(auth.setupOwner('12345678', 'long-enough'), { code: 'BAD_CREDENTIALS' });
});

t.test('no plaintext password or token is stored', async (t) => {
  const { db, auth } = setup(t);
  await auth.ensureOwner({ seedPassword: 'plain-owner-pw' });
  await auth.createUser('lily', 'agent', 'plain-agent-pw');
  const a = await auth.login('owner', 'plain-owner-pw');
  const b = await auth.login('lily', 'plain-agent-pw');
  const text = allStoredText(db);
  for (const secret of ['plain-owner-pw', 'plain-agent-pw', a.token, b.token]) t.notOk(text.includes(secret), secret);
  t.ok(text.includes(hashToken(a.token)), 'tokens are stored as their SHA-256');
  t.same(auth.verify(b.token), { username: 'lily', role: 'agent' });
});

t.test('createUser validates and refuses duplicates; disabled users cannot log in', async (t) => {
  const { db, auth } = setup(t);
  await auth.createUser('sam', 'supervisor', 'password1');
  await t.rejects(auth.createUser('sam', 'agent', 'password2'), { code: 'CONFLICT' });
  await t.rejects(auth.createUser('Sam Smith', 'agent', 'password2'), { code: 'VALIDATION_FAILED' });
  await t.rejects(auth.createUser('tom', 'boss' as 'agent', 'password2'), { code: 'VALIDATION_FAILED' });
  await t.rejects(auth.createUser('tom', 'agent', 'short'), { code: 'VALIDATION_FAILED' });
  t.equal(auth.hasOwner(), false, 'a supervisor is not an owner');
  const grant = await auth.login('sam', 'password1');
  db.prepare("UPDATE users SET disabled = 1 WHERE username = 'sam'").run();
  t.equal(auth.verify(grant.token), null);
  await t.rejects(auth.login('sam', 'password1'), { code: 'BAD_CREDENTIALS', message: 'invalid username or password' });
});
