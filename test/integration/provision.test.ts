// USB provisioning over a socat pty pair, the real serialport binding on both ends, a real box on
// the sim driver: a whole run from a profile, the open/secure split, a wrong code (rate limited).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { ProvisionError } from '../../provisioning/src/protocol/messages.js';
import { ProvisionClient } from '../../provisioning/src/client/client.js';
import { runProfile } from '../../provisioning/src/client/run-profile.js';
import { makeCa } from '../helpers/test-ca.js';
import { fullRunProfile } from './fixtures/provision-profile.js';
import { CODE, rig } from './fixtures/provision-pty.js';

t.test('a whole provisioning run from a profile file', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const work = mkdtempSync(join(tmpdir(), 'callbox-tech-'));
  const ca = makeCa(work);
  writeFileSync(join(r.logsDir, 'callbox.log'), Array.from({ length: 3000 }, (_, i) => `{"msg":"line ${i} 来电"}\n`).join(''));
  const { port } = await r.connect();
  // count the bytes both ways: the wire time of the run at 115200 baud (10 bits per byte, 8N1)
  let bytes = 0;
  const counted = {
    write: (d: Uint8Array) => {
      bytes += d.length;
      return port.write(d);
    },
    onData: (fn: (c: Uint8Array) => void) =>
      port.onData((c) => {
        bytes += c.length;
        fn(c);
      }),
  };
  const client = new ProvisionClient(counted, { timeoutMs: 5000 });
  const started = Date.now();
  const steps: string[] = [];
  const report = await runProfile(client, fullRunProfile(work, ca), { code: CODE, say: (l) => steps.push(l) });
  t.ok(report.ok, JSON.stringify(report.steps.filter((s) => !s.ok)));
  t.comment(
    `full run: ${bytes} bytes on the wire (${((bytes * 10) / 115200).toFixed(1)} s at 115200 baud), ${Date.now() - started} ms over the pty`,
  );
  t.same(
    report.steps.map((s) => s.step),
    ['hello', 'authenticate', 'device', 'time', 'network', 'owner', 'profile', 'cloud', 'selftest', 'logs'],
  );
  t.equal(report.box?.serial, '10000000abcdef01');
  t.same((report.box?.hardware as Record<string, string[]> | undefined)?.fxo, ['fxo1', 'fxo2']);

  const config = JSON.parse(readFileSync(join(r.dataDir, 'config.json'), 'utf8'));
  t.equal(config.shop.name, '张记茶行 / Zhang tea shop');
  t.same(
    config.agents.map((a: { name: string }) => a.name),
    ['小王', '小李'],
  );
  t.equal(config.cloud.url, 'mqtts://fleet.example.cn:8883');
  t.equal(config.cloud.deviceId, 'shop-0001');
  t.ok(existsSync(config.cloud.certFile) && existsSync(config.cloud.keyFile) && existsSync(config.cloud.caFile));
  const nm = join(r.netRoot, 'etc/NetworkManager/system-connections');
  t.match(readFileSync(join(nm, 'callbox-eth0.nmconnection'), 'utf8'), /address1=192\.168\.1\.50\/24,192\.168\.1\.1/);
  t.match(readFileSync(join(nm, 'callbox-wifi.nmconnection'), 'utf8'), /ssid=张记-WiFi/);
  await t.resolves(r.vb.box.auth.login('owner', 'Owner-pass-2026'), 'the owner password was set through the auth service');
  t.equal(
    readFileSync(join(work, 'logs', 'callbox.log'), 'utf8'),
    readFileSync(join(r.logsDir, 'callbox.log'), 'utf8'),
    'logs downloaded whole',
  );
  const st = report.steps.find((s) => s.step === 'selftest')?.result as { checks: { name: string; ok: boolean }[] };
  t.ok(st.checks.some((c) => c.name === 'line fxo1' && c.ok));
  t.ok(st.checks.some((c) => c.name === 'database' && c.ok));
});

t.test('info and selftest are open; writes need the code; a wrong code is rate limited', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const { client } = await r.connect();
  const hello = await client.hello();
  t.equal(hello.version, 1);
  const info = await client.request('info');
  t.equal(info.authenticated, false);
  t.ok((await client.request('selftest')).checks);
  await t.rejects(client.request('profile.apply', { profile: { shop: {} } }), { code: 'AUTH_REQUIRED' });
  await t.rejects(client.request('hello', { versions: [7] }), { code: 'VERSION' });
  await t.rejects(client.request('nonsense'), { code: 'UNKNOWN_OP' });
  const before = readFileSync(join(r.dataDir, 'config.json'), 'utf8');
  for (let i = 1; i <= 3; i++) {
    const e = (await client.authenticate('00000000').catch((e: unknown) => e)) as ProvisionError;
    t.equal(e.code, 'AUTH_FAILED', `wrong code ${i}`);
  }
  const limited = (await client.authenticate(CODE).catch((e: unknown) => e)) as ProvisionError;
  t.equal(limited.code, 'RATE_LIMITED', 'even the right code waits after 3 failures');
  t.ok((limited.details as { retryAfterMs: number }).retryAfterMs > 0);
  r.vb.clock.advance(2500);
  await client.authenticate(CODE);
  t.ok(client.authenticated);
  t.equal((await client.request('info')).authenticated, true, 'sealed request answered');
  t.equal(readFileSync(join(r.dataDir, 'config.json'), 'utf8'), before, 'nothing written by the failures');
  t.equal(r.agent.pop.attempts().failures, 0, 'success clears the count');
});

t.test('a profile that fails validation changes nothing; the error names the field', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const { client } = await r.connect();
  await client.authenticate(CODE);
  const before = readFileSync(join(r.dataDir, 'config.json'), 'utf8');
  const e = (await client
    .request('profile.apply', {
      profile: {
        shop: { name: '好店', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
        queues: [{ id: 'main', members: ['nobody'] }],
      },
    })
    .catch((x: unknown) => x)) as ProvisionError;
  t.equal(e.code, 'CONFIG_INVALID');
  t.match(JSON.stringify(e.details), /queues/);
  await t.rejects(client.request('profile.apply', { profile: { http: { metricsRequireAuth: true } } }), { code: 'VALIDATION_FAILED' });
  await t.rejects(client.request('owner.password', { password: '1' }), { code: 'VALIDATION_FAILED' });
  await t.rejects(client.request('network.set', { ethernet: { mode: 'static', address: '999.1.1.1' } }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'address' },
  });
  t.equal(readFileSync(join(r.dataDir, 'config.json'), 'utf8'), before);
  const reset = await client.request('reset.request');
  await t.rejects(client.request('reset.confirm', { token: '0000000000000000' }), { code: 'CONFLICT' }, 'wrong token');
  await t.rejects(
    client.request('reset.confirm', { token: reset.token }),
    { code: 'CONFLICT' },
    'a token is single use, even after a wrong try',
  );
  const again = await client.request('reset.request');
  t.same(await client.request('reset.confirm', { token: again.token }), { reset: true });
  t.equal(JSON.parse(readFileSync(join(r.dataDir, 'config.json'), 'utf8')).shop.name, 'callbox', 'config back to defaults');
});
