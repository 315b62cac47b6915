// The `provisioning` config section and where the agent listens (env over config).
import t from 'tap';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { provisionPort } from '../../../images/cli/provision-host.js';

t.test('config section: a /dev path and a baud rate, strict', (t) => {
  const ok = validateConfig({ ...defaultConfig(), provisioning: { enabled: true, port: '/dev/ttyGS0', baudRate: 115200 } });
  t.ok(ok.ok);
  const bad = validateConfig({ ...defaultConfig(), provisioning: { enabled: true, port: 'COM3; rm -rf /', extra: 1 } });
  t.notOk(bad.ok);
  if (!bad.ok)
    t.ok(
      bad.errors.some((e) => e.path.startsWith('/provisioning')),
      JSON.stringify(bad.errors),
    );
  t.ok(validateConfig(defaultConfig()).ok, 'the section is optional');
  t.end();
});

t.test('port: CALLBOX_PROVISION_PORT wins, then an enabled section, else no agent', (t) => {
  t.same(provisionPort({}, {}), null);
  t.same(provisionPort({ provisioning: { enabled: false, port: '/dev/ttyGS0' } }, {}), null);
  t.same(provisionPort({ provisioning: { enabled: true, port: '/dev/ttyGS0' } }, {}), { port: '/dev/ttyGS0' });
  t.same(
    provisionPort({ provisioning: { enabled: false, port: '/dev/ttyGS0', baudRate: 57600 } }, { CALLBOX_PROVISION_PORT: '/dev/ttyAMA0' }),
    {
      port: '/dev/ttyAMA0',
      baudRate: 57600,
    },
  );
  t.end();
});
