// HTTPS settings of `callbox run`: --https-port / CALLBOX_HTTPS_PORT / CALLBOX_HTTPS_REDIRECT over
// the config's http.https (validated by the config schema; a change needs a restart).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { restartRequired } from '../../../firmware/src/config/config-changes.js';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { effectiveHttps, httpsListenOptions, parseHttpsOptions } from '../../../images/cli/https-setup.js';

t.test('flags and environment', async (t) => {
  t.same(parseHttpsOptions(undefined, {}), { httpsPort: undefined, httpsRedirect: undefined }, 'nothing given: the config decides');
  t.same(parseHttpsOptions('8443', {}), { httpsPort: 8443, httpsRedirect: undefined });
  t.same(parseHttpsOptions(undefined, { CALLBOX_HTTPS_PORT: '0', CALLBOX_HTTPS_REDIRECT: '1' }), { httpsPort: 0, httpsRedirect: true });
  t.same(parseHttpsOptions('9443', { CALLBOX_HTTPS_PORT: '8443' }).httpsPort, 9443, 'the flag over the environment');
  t.same(parseHttpsOptions('off', {}).httpsPort, null, '"off" turns it off');
  t.same(parseHttpsOptions(undefined, { CALLBOX_HTTPS_REDIRECT: 'no' }).httpsRedirect, false);
  t.throws(() => parseHttpsOptions('65536', {}), /0-65535/);
  t.throws(() => parseHttpsOptions('84x3', {}), /0-65535/);
  t.throws(() => parseHttpsOptions(undefined, { CALLBOX_HTTPS_REDIRECT: 'maybe' }), /CALLBOX_HTTPS_REDIRECT/);
});

t.test('flags over the config; off by default', async (t) => {
  const cfg = { enabled: true, port: 8443, redirect: true };
  t.same(effectiveHttps({ httpsPort: undefined, httpsRedirect: undefined }, undefined), { port: null, redirect: false }, 'off by default');
  t.same(effectiveHttps({ httpsPort: undefined, httpsRedirect: undefined }, cfg), { port: 8443, redirect: true }, 'the config');
  t.same(effectiveHttps({ httpsPort: undefined, httpsRedirect: undefined }, { ...cfg, enabled: false }), { port: null, redirect: false });
  t.same(effectiveHttps({ httpsPort: 9443, httpsRedirect: false }, cfg), { port: 9443, redirect: false }, 'flags win');
  t.same(effectiveHttps({ httpsPort: null, httpsRedirect: true }, cfg), { port: null, redirect: false }, 'no redirect without HTTPS');
});

t.test('the config section: validated, restart required', async (t) => {
  const base = defaultConfig();
  const on = { ...base, http: { ...base.http, https: { enabled: true, port: 8443, redirect: false } } };
  t.ok(validateConfig(on).ok, 'a valid https section');
  const bad = validateConfig({ ...base, http: { ...base.http, https: { enabled: true, port: 70000, redirect: false } } });
  t.notOk(bad.ok);
  t.ok(!bad.ok && bad.errors.some((e) => e.path === '/http/https/port'), 'the bad port is named');
  const extra = validateConfig({ ...base, http: { ...base.http, https: { enabled: true, port: 8443, redirect: false, hsts: 1 } } });
  t.notOk(extra.ok, 'unknown fields refused');
  t.same(restartRequired(base, on), ['/http/https'], 'turning HTTPS on needs a restart');
  t.same(restartRequired(on, on), []);
});

t.test('a certificate that cannot be made stops the box only when HTTPS is on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-https-opt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  writeFileSync(join(dir, 'tls'), 'a file where the tls folder should be');
  t.equal(
    httpsListenOptions(dir, { httpsPort: undefined, httpsRedirect: undefined }, undefined, log),
    undefined,
    'HTTPS off: the box starts',
  );
  t.match(lines.join(''), /could not make the HTTPS certificate/, 'and says why in the log');
  t.throws(
    () => httpsListenOptions(dir, { httpsPort: 0, httpsRedirect: undefined }, undefined, log),
    /HTTPS certificate/,
    'HTTPS on: a clear error',
  );
  const ok = mkdtempSync(join(tmpdir(), 'callbox-https-opt-'));
  t.teardown(() => rmSync(ok, { recursive: true, force: true }));
  const on = httpsListenOptions(ok, { httpsPort: undefined, httpsRedirect: undefined }, { enabled: true, port: 8443, redirect: true }, log);
  t.equal(on?.port, 8443, 'the config turns it on');
  t.equal(on?.redirect, true);
  t.match(on?.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});
