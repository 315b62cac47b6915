// The setup page's SIP phones over REST on a whole box with SIP on loopback: GET /api/v1/setup/sip
// gives the address and port a desk phone registers to and each extension's registration (a SIPp
// REGISTER shows up, with where it came from); SIP passwords never come back — not from GET
// /api/v1/config, the config's PUT/PATCH/validate answers, the audit trail or /setup/sip; bad SIP
// settings are 400 with their JSON pointers (a duplicate extension and a duplicate DID among them:
// regression, the config let two phones share one channel); a change waits for a restart.
import t from 'tap';
import type { ConfigSnapshot, SipSetupStatus } from '../../firmware/src/service/types.js';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { openSipBox, registerPhone } from './fixtures/sip-box.js';

const base = 43600;

t.test('SIP phones: address, registration, no password leaks, validation in place', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-setup-sip-' });
  await box.service.auth.addUser({ username: 'lead', password: 'lead-password-1', role: 'supervisor' });
  const http = await serveApi(t, box.service);
  const { call } = await apiAs(http.port, { owner: ['owner', 'test-password-1'], lead: ['lead', 'lead-password-1'] });
  const sip = async () => (await call('owner', 'GET', '/api/v1/setup/sip')).body as unknown as SipSetupStatus;

  t.equal((await call('lead', 'GET', '/api/v1/setup/sip')).status, 403, 'a supervisor may not');
  const before = await sip();
  t.match(before, {
    running: true,
    address: '127.0.0.1',
    port: base,
    transports: ['udp'],
    realm: 'callbox',
    restartRequired: false,
    phones: [{ user: '101', channel: 'sip-101', configured: true, running: true, registered: false, state: 'idle', contacts: [] }],
  });

  const reg = await registerPhone(dataDir, base, '101', base + 11);
  t.equal(reg.code, 0, reg.stderr);
  t.match((await sip()).phones[0], {
    user: '101',
    registered: true,
    contacts: [{ address: '127.0.0.1', port: base + 11, expiresAt: /^20/ }],
  });

  // passwords: redacted in GET, never in the answers of a change, the audit trail or /setup/sip
  const snap = (await call('owner', 'GET', '/api/v1/config')).body as unknown as ConfigSnapshot;
  t.same(snap.config.sip?.extensions, [{ user: '101', password: '********' }]);
  const fresh = 'brand-new-secret-42';
  const next = structuredClone(snap.config);
  next.sip = { ...next.sip, extensions: [...(next.sip?.extensions ?? []), { user: '102', password: fresh }], outboundPrefix: '9' };
  next.sip.dids = [{ did: '+8675512345678', ivr: 'main' }];
  const put = await call('owner', 'PUT', '/api/v1/config', next);
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.match(put.body, { restartRequired: ['/sip'] }, 'SIP is read at start');
  const after = await sip();
  t.match(after.restartRequired, true);
  t.match(after.phones[1], { user: '102', configured: true, running: false, registered: false }, 'the new phone works after a restart');
  const saved = (await call('owner', 'GET', '/api/v1/config')).body as unknown as ConfigSnapshot;
  t.same(saved.config.sip?.extensions, [
    { user: '101', password: '********' },
    { user: '102', password: '********' },
  ]);
  t.equal(box.config.sip?.extensions[0]?.password, 'secret-101', 'the redacted one kept the password in use');
  t.equal(box.config.sip?.extensions[1]?.password, fresh, 'the new one stored');
  const patched = await call('owner', 'PATCH', '/api/v1/config', { sip: { realm: 'shop' } });
  t.equal(patched.status, 200, JSON.stringify(patched.body));
  const audit = await call('owner', 'GET', '/api/v1/audit?entity=config');
  const everything = JSON.stringify([put.body, patched.body, audit.body, await sip(), (await call('owner', 'GET', '/api/v1/config')).body]);
  for (const secret of [fresh, 'secret-101']) t.notOk(everything.includes(secret), `${secret} appears in no answer`);

  // validation: each error at its JSON pointer, the password never echoed
  const bad = structuredClone(saved.config);
  bad.sip = {
    extensions: [
      { user: '101', password: '********' },
      { user: '101', password: 'short' },
      { user: 'Bad User', password: 'long-enough-password' },
    ],
    outboundPrefix: '9x',
    dids: [
      { did: '8675512345678', ivr: 'nope' },
      { did: '+8675512345678', ivr: 'main' },
    ],
  };
  const check = await call('owner', 'POST', '/api/v1/config/validate', bad);
  const errors = (check.body as { ok: boolean; errors: { path: string; message: string }[] }).errors;
  const paths = errors.map((e) => e.path);
  for (const p of ['/sip/extensions/1/password', '/sip/extensions/2/user', '/sip/outboundPrefix'])
    t.ok(paths.includes(p), `an error at ${p}: ${JSON.stringify(errors)}`);
  const refused = await call('owner', 'PUT', '/api/v1/config', bad);
  t.match(refused, { status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  t.notOk(JSON.stringify([check.body, refused.body]).includes('short'), 'a refused password is not echoed');
  t.equal(box.config.sip?.extensions.length, 2, 'nothing saved');

  // duplicates (schema-valid otherwise): one channel per extension, one route per number
  const dup = structuredClone(saved.config);
  dup.sip = {
    extensions: [
      { user: '101', password: '********' },
      { user: '101', password: 'another-long-password' },
    ],
    dids: [
      { did: '8675512345678', ivr: 'nope' },
      { did: '+8675512345678', ivr: 'main' },
    ],
  };
  const dupCheck = (await call('owner', 'POST', '/api/v1/config/validate', dup)).body as { errors: { path: string; message: string }[] };
  const at = (path: string) => dupCheck.errors.find((e) => e.path === path)?.message;
  t.match(at('/sip/extensions/1/user'), /^duplicate extension "101"/);
  t.match(at('/sip/dids/1/did'), /^duplicate DID "8675512345678"/, '+86… and 86… are one number');
  t.match(at('/sip/dids/0/ivr'), /^no such menu "nope"/);
});
