// The registrar for agent phones: 401 challenge, digest (qop=auth and RFC 2069), bindings with
// expiry and several contacts, Contact:* removal, wrong passwords → 403 and a ban after N.
import t from 'tap';
import { digestResponse, parseDigest } from '../../../hal/src/drivers/sip/digest.js';
import { Registrar } from '../../../hal/src/drivers/sip/registrar.js';

let now = 1_000_000;
function reg(opts: { contacts?: string[]; expires?: number; authz?: string; cseq?: number } = {}): string {
  return [
    'REGISTER sip:127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bK-r1;received=10.0.0.9;rport=5062',
    'From: <sip:101@127.0.0.1>;tag=a1',
    'To: <sip:101@127.0.0.1>',
    'Call-ID: reg-1',
    `CSeq: ${opts.cseq ?? 1} REGISTER`,
    ...(opts.contacts ?? ['<sip:101@10.0.0.9:5062>']).map((c) => `Contact: ${c}`),
    `Expires: ${opts.expires ?? 600}`,
    ...(opts.authz ? [`Authorization: ${opts.authz}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function answer(challenge: string, password: string, qop = true): string {
  const www = /WWW-Authenticate: (.*)/.exec(challenge)?.[1] ?? '';
  const p = parseDigest(www);
  const params = {
    username: '101',
    realm: p?.realm,
    nonce: p?.nonce,
    uri: 'sip:127.0.0.1',
    ...(qop ? { qop: 'auth', nc: '00000001', cnonce: 'c0ffee' } : {}),
  };
  const response = digestResponse(params, password, 'REGISTER');
  const q = qop ? `, qop=auth, nc=00000001, cnonce="c0ffee"` : '';
  return `Digest username="101", realm="${p?.realm}", nonce="${p?.nonce}", uri="sip:127.0.0.1", response="${response}", algorithm=MD5${q}`;
}

t.test('challenge, register, several contacts, expiry, removal', (t) => {
  const r = new Registrar({ realm: 'shop', extensions: [{ user: '101', password: 'secret-101' }], now: () => now });
  const d = (text: string) => r.handle({ text, address: '10.0.0.9', port: 5062 });
  const ch = d(reg());
  t.match(ch, /^SIP\/2\.0 401 Unauthorized/);
  t.match(ch, /WWW-Authenticate: Digest realm="shop", nonce="[0-9a-f]+", algorithm=MD5, qop="auth"/);
  const ok = d(reg({ authz: answer(ch, 'secret-101'), contacts: ['<sip:101@10.0.0.9:5062>;expires=120', '<sip:101@192.168.1.5:5060>'] }));
  t.match(ok, /^SIP\/2\.0 200 OK/);
  t.match(ok, /Contact: <sip:101@10\.0\.0\.9:5062>;expires=120/);
  t.match(ok, /Contact: <sip:101@192\.168\.1\.5:5060>;expires=600/);
  t.equal(r.contacts('101').length, 2);
  t.equal(r.contacts('101')[0]?.contact, 'sip:101@192.168.1.5:5060', 'newest (longest-lived) first');
  t.equal(r.contacts('101')[0]?.address, '10.0.0.9', 'the source address is kept for NAT');
  now += 121_000;
  t.equal(r.contacts('101').length, 1, 'the 120 s binding expired');
  const ch2 = d(reg());
  t.match(d(reg({ authz: answer(ch2, 'secret-101', false), contacts: ['*'], expires: 0 })), /^SIP\/2\.0 200/);
  t.equal(r.contacts('101').length, 0, 'Contact: * removes all');
  t.end();
});

t.test('wrong password → 403; the 5th failure bans the address; others are unaffected', (t) => {
  const r = new Registrar({ realm: 'shop', extensions: [{ user: '101', password: 'secret-101' }], now: () => now, maxFailures: 5 });
  const from = (address: string) => (text: string) => r.handle({ text, address, port: 5062 });
  const evil = from('10.9.9.9');
  for (let i = 0; i < 4; i++) {
    t.match(evil(reg({ authz: answer(evil(reg()), 'guess-000') })), /^SIP\/2\.0 403/);
    t.notOk(r.isBanned('10.9.9.9'));
  }
  evil(reg({ authz: answer(evil(reg()), 'guess-004') }));
  t.ok(r.isBanned('10.9.9.9'), 'banned after 5 failures');
  t.notOk(r.isBanned('10.0.0.9'));
  const good = from('10.0.0.9');
  t.match(good(reg({ authz: answer(good(reg()), 'secret-101') })), /^SIP\/2\.0 200/);
  now += 11 * 60_000;
  t.notOk(r.isBanned('10.9.9.9'), 'the ban lifts after 10 minutes');
  t.match(
    evil(reg({ authz: 'Digest username="101", realm="shop", nonce="made-up", uri="sip:127.0.0.1", response="x"' })),
    /^SIP\/2\.0 403/,
  );
  t.end();
});
