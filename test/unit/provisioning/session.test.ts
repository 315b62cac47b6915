import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FREE_ATTEMPTS, LOCKOUT_AFTER, LOCKOUT_MS, PopStore } from '../../../provisioning/src/agent/pop.js';
import { SecureSession, deriveKeys, ephemeral, parseKdf, popKey, proof, proofMatches } from '../../../provisioning/src/protocol/session.js';

async function handshake(code: string, stored: string) {
  const kdf = parseKdf(stored);
  if (!kdf?.hash) throw new Error('bad stored hash');
  const c = ephemeral();
  const b = ephemeral();
  const common = { clientPub: c.pub, boxPub: b.pub, clientNonce: c.nonce, boxNonce: b.nonce };
  const client = deriveKeys({ own: c, peerPub: b.pub, popKey: await popKey(code, kdf), ...common });
  const box = deriveKeys({ own: b, peerPub: c.pub, popKey: kdf.hash, ...common });
  return { client, box };
}

t.test('the right code gives both sides the same keys; a wrong one fails the proof', async (t) => {
  const pop = new PopStore(mkdtempSync(join(tmpdir(), 'pop-')), () => 0);
  await pop.provisionCode('48213977');
  const stored = pop.stored() as string;
  t.match(stored, /^scrypt\$16384\$8\$1\$/);
  t.notMatch(stored, /48213977/, 'only the hash is stored');
  const ok = await handshake('48213977', stored);
  t.ok(proofMatches(ok.box.clientConfirm, 'client', proof(ok.client.clientConfirm, 'client')));
  t.ok(proofMatches(ok.client.boxConfirm, 'box', proof(ok.box.boxConfirm, 'box')));
  t.notOk(proofMatches(ok.box.clientConfirm, 'box', proof(ok.client.clientConfirm, 'client')), 'a proof is bound to its side');
  const bad = await handshake('48213978', stored);
  t.notOk(proofMatches(bad.box.clientConfirm, 'client', proof(bad.client.clientConfirm, 'client')));
  const again = await handshake('48213977', stored);
  t.notOk(
    proofMatches(again.box.clientConfirm, 'client', proof(ok.client.clientConfirm, 'client')),
    'an old proof does not replay into a new handshake',
  );
});

t.test('sealed messages: round trip, tamper, replay, reorder, wrong direction', async (t) => {
  const pop = new PopStore(mkdtempSync(join(tmpdir(), 'pop-')), () => 0);
  await pop.provisionCode('123456');
  const { client, box } = await handshake('123456', pop.stored() as string);
  const c = new SecureSession(client, 'client');
  const b = new SecureSession(box, 'box');
  const m1 = c.seal(4, 10, Buffer.from('one'));
  const m2 = c.seal(4, 11, Buffer.from('two'));
  t.not(m1.subarray(0, 8).toString('hex'), m2.subarray(0, 8).toString('hex'), 'counters differ: no nonce reuse');
  t.equal(b.open(4, 10, m1)?.toString(), 'one');
  t.equal(b.open(4, 10, m1), null, 'replay refused');
  const tampered = Buffer.from(m2);
  tampered[10] = (tampered[10] as number) ^ 1;
  t.equal(b.open(4, 11, tampered), null, 'tampered refused');
  t.equal(b.open(4, 12, m2), null, 'header (request id) is authenticated');
  t.equal(b.open(4, 11, m2)?.toString(), 'two', 'the genuine frame still opens after refused ones');
  const m3 = c.seal(4, 12, Buffer.from('three'));
  const m4 = c.seal(4, 13, Buffer.from('four'));
  t.equal(b.open(4, 13, m4)?.toString(), 'four');
  t.equal(b.open(4, 12, m3), null, 'an older counter after a newer one is refused');
  t.equal(c.open(4, 13, m4), null, "the client's own message does not open as the box's");
  const r = b.seal(4, 13, Buffer.from('reply'));
  t.equal(c.open(4, 13, r)?.toString(), 'reply');
});

t.test('rate limit: free attempts, doubling backoff, lockout, kept on disk, success clears', (t) => {
  let now = 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'pop-'));
  const pop = new PopStore(dir, () => now);
  for (let i = 1; i < FREE_ATTEMPTS; i++) {
    pop.recordFailure();
    t.equal(pop.waitMs(), 0, `failure ${i} is free`);
  }
  pop.recordFailure();
  t.equal(pop.waitMs(), 2000);
  pop.recordFailure();
  t.equal(pop.waitMs(), 4000, 'doubles');
  t.equal(new PopStore(dir, () => now).waitMs(), 4000, 'a restart keeps the count');
  for (let i = FREE_ATTEMPTS + 2; i <= LOCKOUT_AFTER; i++) pop.recordFailure();
  t.equal(pop.waitMs(), LOCKOUT_MS, 'locked out');
  now += LOCKOUT_MS;
  pop.recordFailure();
  t.equal(pop.waitMs(), LOCKOUT_MS, 'one more failure after the lockout locks again');
  pop.recordSuccess();
  t.equal(pop.waitMs(), 0);
  t.equal(pop.attempts().failures, 0);
  t.end();
});

t.test('kdf parsing refuses absurd parameters', (t) => {
  t.equal(parseKdf('scrypt$1048576$8$1$AAAAAAAAAAAAAAAA'), null, 'N too big (DoS on the client)');
  t.equal(parseKdf('bcrypt$1$2$3$4'), null);
  t.ok(parseKdf('scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA=='));
  t.end();
});

// Found by test/fuzz/provisioning.test.ts: parseKdf took a fractional r (or p), which scrypt then
// refused with a raw RangeError on the technician's laptop instead of "malformed handshake".
t.test('regression (fuzz): kdf parsing refuses a fractional cost "scrypt$1024$2.5$4$AAAAAAAAAAA="', async (t) => {
  t.equal(parseKdf('scrypt$1024$2.5$4$AAAAAAAAAAA='), null, 'fractional r');
  t.equal(parseKdf('scrypt$1024$8$1.5$AAAAAAAAAAA='), null, 'fractional p');
  const k = parseKdf('scrypt$1024$2$4$AAAAAAAAAAA=');
  t.ok(k, 'whole numbers still accepted');
  if (k) t.equal((await popKey('123456', k)).length, 32, 'and scrypt takes them');
});
