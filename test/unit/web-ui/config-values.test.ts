// The setup pages' config draft helpers (web-ui/app/src/pages/config-values.ts): an optional text
// setting (the SIP outside-line prefix, the cloud user and CA file) is saved trimmed, and typed
// blank — spaces too — its key is removed instead of saving "".
import t from 'tap';
import { setOptional } from '../../../web-ui/app/src/pages/config-values.js';

t.test('setOptional: trimmed, or the key removed when blank', (t) => {
  const sip: { outboundPrefix?: string; bindPort: number } = { bindPort: 5060 };
  setOptional(sip, 'outboundPrefix', ' 9 ');
  t.same(sip, { bindPort: 5060, outboundPrefix: '9' }, 'trimmed');
  setOptional(sip, 'outboundPrefix', '   ');
  t.same(sip, { bindPort: 5060 }, 'blank: no key at all');
  t.notOk('outboundPrefix' in sip);
  const cloud: { username?: string; caFile?: string } = { username: 'box-1', caFile: '/etc/ca.pem' };
  setOptional(cloud, 'caFile', '');
  setOptional(cloud, 'username', 'shop 1 ');
  t.same(cloud, { username: 'shop 1' }, 'inner spaces kept; another key untouched');
  t.end();
});
