// The `sip` config section: extensions an agent may name, DIDs whose IVR must exist, bad values.
import t from 'tap';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';

t.test('sip section: agent extensions, DID menus, field errors', (t) => {
  const c = defaultConfig();
  c.agents[0] = { id: 'a1', name: '坐席 1', extension: 'sip-101' };
  t.notOk(validateConfig(c).ok, 'sip-101 is unknown without sip.extensions');
  c.sip = { extensions: [{ user: '101', password: 'secret-101' }], dids: [{ did: '+864008005678', ivr: 'main' }] };
  const ok = validateConfig(c);
  t.ok(ok.ok, 'valid with the extension and a DID to the main IVR');
  c.sip.dids = [{ did: '4008005678', ivr: 'nosuch' }];
  const bad = validateConfig(c);
  t.notOk(bad.ok);
  t.match(JSON.stringify(bad), /\/sip\/dids\/0\/ivr/);
  c.sip = { extensions: [{ user: '101', password: 'short' }] };
  t.match(JSON.stringify(validateConfig(c)), /\/sip\/extensions\/0\/password/);
  t.end();
});
