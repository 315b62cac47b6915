// The agent's commands through the real protocol stack (client ↔ LinkServer over an in-memory pipe).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CloudCredentials } from '../../../provisioning/src/agent/cloud.js';
import { openCommands, secureCommands } from '../../../provisioning/src/agent/commands.js';
import { Uploads, logHandlers } from '../../../provisioning/src/agent/files.js';
import { Identity } from '../../../provisioning/src/agent/identity.js';
import { PopStore } from '../../../provisioning/src/agent/pop.js';
import { LinkServer } from '../../../provisioning/src/agent/server.js';
import { ProvisionClient } from '../../../provisioning/src/client/client.js';
import { signCsr } from '../../../provisioning/src/client/run-profile.js';
import { download, upload } from '../../../provisioning/src/client/transfer.js';
import { makeCa } from '../../helpers/test-ca.js';
import { fakeHost, pipePair } from './fixtures/memory-link.js';

const CODE = '27182818';

async function setup() {
  const host = fakeHost();
  const state = join(host.dataDir, 'provisioning');
  const pop = new PopStore(state, () => host.now());
  await pop.provisionCode(CODE);
  const [a, b] = pipePair();
  const uploads = new Uploads(state);
  const logs = join(host.dataDir, 'logs');
  mkdirSync(logs);
  let resets = 0;
  let server: LinkServer | null = null;
  const deps = {
    host,
    identity: new Identity(state),
    uploads,
    cloud: new CloudCredentials(host.dataDir),
    netRoot: join(host.dataDir, 'root'),
    serial: 'abc123',
    factoryReset: async () => {
      resets++;
    },
    authenticated: () => server?.authenticated ?? false,
  };
  server = new LinkServer(
    b,
    { open: openCommands(deps), secure: { ...secureCommands(deps), ...uploads.handlers(), ...logHandlers(logs) } },
    pop,
    () => ({ serial: 'abc123' }),
    () => host.now(),
  );
  const client = new ProvisionClient(a, { timeoutMs: 2000 });
  return { host, client, server, logs, state, resets: () => resets };
}

t.test('info: serial, versions, MACs, hardware by kind; open without a session', async (t) => {
  const { client } = await setup();
  const info = await client.request('info');
  t.equal(info.serial, 'abc123');
  t.same((info.versions as { firmware: string }).firmware, '1.2.3');
  t.same(info.hardware, { fxo: ['fxo1'], gsm: ['gsm1'] });
  t.type(info.mac, 'object');
  const st = await client.request('selftest');
  t.ok(st.ok, JSON.stringify(st));
  t.ok((st.checks as { name: string }[]).some((c) => c.name === 'modem gsm1'));
});

t.test('selftest: a channel in error fails its line and modem checks (regression: states are idle…error)', async (t) => {
  const { client, host } = await setup();
  host.channels = () => [
    { id: 'fxo1', kind: 'fxo', state: 'error' },
    { id: 'gsm1', kind: 'gsm', state: 'error' },
  ];
  const st = (await client.request('selftest')) as { ok: boolean; checks: { name: string; ok: boolean }[] };
  t.equal(st.ok, false);
  t.same(
    st.checks.filter((c) => !c.ok).map((c) => c.name),
    ['line fxo1', 'modem gsm1'],
  );
});

t.test('device id and network keyfiles (DHCP, static, Wi-Fi) with field errors', async (t) => {
  const { client, host } = await setup();
  await client.authenticate(CODE);
  await t.rejects(client.request('device.set', { deviceId: 'bad id!' }), { code: 'VALIDATION_FAILED', details: { field: 'deviceId' } });
  t.same(await client.request('device.set', { deviceId: 'shop-7' }), { deviceId: 'shop-7' });
  t.equal((await client.request('info')).deviceId, 'shop-7');
  const r = (await client.request('network.set', { ethernet: { mode: 'dhcp' } })) as { files: string[] };
  t.match(readFileSync(r.files[0] as string, 'utf8'), /\[ipv4\]\nmethod=auto/);
  await t.rejects(client.request('network.set', { ethernet: { mode: 'static', address: '10.0.0.2', prefix: 40 } }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'prefix' },
  });
  await t.rejects(client.request('network.set', { wifi: { ssid: 'x', psk: 'short' } }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'psk' },
  });
  await t.rejects(client.request('network.set', {}), { code: 'VALIDATION_FAILED' });
  const both = (await client.request('network.set', {
    ethernet: { iface: 'eth0', mode: 'static', address: '10.0.0.2', prefix: 24, dns: ['114.114.114.114'] },
    wifi: { ssid: '店里WiFi', psk: '12345678' },
  })) as { files: string[] };
  t.equal(both.files.length, 2);
  t.match(readFileSync(both.files[0] as string, 'utf8'), /address1=10\.0\.0\.2\/24\ndns=114\.114\.114\.114;/);
  t.ok(existsSync(join(host.dataDir, 'root/etc/NetworkManager/system-connections/callbox-wifi.nmconnection')));
});

t.test('time: skew reported, clock set when off by more than 2 s, time zone written to config', async (t) => {
  const { client, host } = await setup();
  await client.authenticate(CODE);
  const near = await client.request('time.set', { epochMs: host.clock.t + 500 });
  t.same(near, { skewMs: 500, set: false });
  const far = await client.request('time.set', { epochMs: host.clock.t + 3_600_000, timezone: 'Asia/Urumqi' });
  t.same(far, { skewMs: 3_600_000, set: true });
  t.equal(host.systemTime, host.clock.t + 3_600_000);
  t.equal((host.doc.shop as { timezone: string }).timezone, 'Asia/Urumqi');
  await t.rejects(client.request('time.set', { epochMs: 5 }), { code: 'VALIDATION_FAILED', details: { field: 'epochMs' } });
});

t.test('owner password goes through the host (its validation error comes back)', async (t) => {
  const { client, host } = await setup();
  await client.authenticate(CODE);
  await t.rejects(client.request('owner.password', { password: 'short' }), { code: 'VALIDATION_FAILED' });
  t.same(await client.request('owner.password', { password: 'long-enough-1' }), { ok: true });
  t.equal(host.ownerPassword, 'long-enough-1');
});

t.test('profile: applied whole, refused whole, unknown sections refused, from an upload', async (t) => {
  const { client, host } = await setup();
  await client.authenticate(CODE);
  const before = structuredClone(host.doc);
  await t.rejects(client.request('profile.apply', { profile: { shop: { name: '新店' }, queues: [{ id: 'main', members: ['ghost'] }] } }), {
    code: 'CONFIG_INVALID',
    details: { errors: [{ path: '/queues/0/members' }] },
  });
  t.same(host.doc, before, 'nothing of the refused profile was applied (not even the valid shop)');
  await t.rejects(client.request('profile.apply', { profile: { cloud: {} } }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'profile/cloud' },
  });
  const sha = await upload(client, 'p.json', Buffer.from(JSON.stringify({ shop: { name: '新店' }, agents: [{ id: 'a1' }, { id: 'a2' }] })));
  t.same(await client.request('profile.apply', { upload: sha }), { applied: ['shop', 'agents'], restartRequired: true });
  t.equal((host.doc.shop as { name: string }).name, '新店');
  await t.rejects(client.request('profile.apply', { upload: 'f'.repeat(64) }), { code: 'NOT_FOUND' });
});

t.test('uploads: offset checks, integrity, resume, finished upload is idempotent', async (t) => {
  const { client } = await setup();
  await client.authenticate(CODE);
  const data = Buffer.from('x'.repeat(20_000));
  const { sha256Hex } = await import('../../../provisioning/src/protocol/transfer.js');
  const sha = sha256Hex(data);
  t.same(await client.request('upload.begin', { name: 'a', size: data.length, sha256: sha }), { offset: 0, chunk: 32768 });
  await client.request('upload.chunk', { sha256: sha, offset: 0, data: data.subarray(0, 5000).toString('base64') });
  await t.rejects(client.request('upload.chunk', { sha256: sha, offset: 0, data: 'AAAA' }), {
    code: 'CONFLICT',
    details: { offset: 5000 },
  });
  t.equal((await client.request('upload.begin', { name: 'a', size: data.length, sha256: sha })).offset, 5000, 'resume point');
  await t.rejects(
    client.request('upload.chunk', { sha256: sha, offset: 5000, data: Buffer.alloc(20_000).toString('base64') }),
    { code: 'VALIDATION_FAILED' },
    'past the declared size',
  );
  await client.request('upload.chunk', { sha256: sha, offset: 5000, data: Buffer.alloc(15_000, 0x79).toString('base64') });
  await t.rejects(client.request('upload.end', { sha256: sha }), { code: 'INTEGRITY' });
  t.equal((await client.request('upload.begin', { name: 'a', size: data.length, sha256: sha })).offset, 0, 'a corrupt upload starts again');
  t.equal(await upload(client, 'a', data, { chunk: 3000 }), sha);
  t.same(await client.request('upload.begin', { name: 'a', size: data.length, sha256: sha }), { offset: data.length, done: true });
  await t.rejects(client.request('upload.begin', { name: 'a', size: 1, sha256: '../etc' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'sha256' },
  });
});

t.test('logs: list, ranged reads, no path traversal, download checks the hash', async (t) => {
  const { client, logs, host } = await setup();
  await client.authenticate(CODE);
  writeFileSync(join(logs, 'callbox.log'), 'a'.repeat(30_000));
  t.same(await client.request('logs.list'), { files: [{ name: 'callbox.log', size: 30_000 }] });
  await t.rejects(client.request('file.stat', { name: '../config.json' }), { code: 'NOT_FOUND' });
  await t.rejects(client.request('file.read', { name: 'callbox.log', offset: 40_000 }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'offset' },
  });
  const r = await client.request('file.read', { name: 'callbox.log', offset: 29_000, length: 4096 });
  t.equal(Buffer.from(String(r.data), 'base64').length, 1000);
  t.equal(r.eof, true);
  const dest = join(host.dataDir, 'dl', 'callbox.log');
  t.same(await download(client, 'callbox.log', dest, { chunk: 7000 }), {
    size: 30_000,
    sha256: (await client.request('file.stat', { name: 'callbox.log' })).sha256,
  });
  t.equal(readFileSync(dest, 'utf8'), 'a'.repeat(30_000));
});

t.test('cloud: CSR from the box key, certificate must match the key and the CA, config updated', async (t) => {
  const { client, host } = await setup();
  await client.authenticate(CODE);
  await t.rejects(client.request('cloud.csr'), { code: 'CONFLICT' }, 'device id first');
  await client.request('device.set', { deviceId: 'shop-9' });
  const { csr } = (await client.request('cloud.csr')) as { csr: string };
  t.match(csr, /BEGIN CERTIFICATE REQUEST/);
  const caDir = join(host.dataDir, 'ca');
  mkdirSync(caDir);
  const ca = { ...makeCa(caDir, '/CN=t', 5), days: 10 };
  const cert = await signCsr(csr, ca);
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(caDir, 'other.key'),
      '-out',
      join(caDir, 'other.csr'),
      '-subj',
      '/CN=other',
    ],
    { stdio: 'ignore' },
  );
  const otherCert = await signCsr(readFileSync(join(caDir, 'other.csr'), 'utf8'), ca);
  await t.rejects(
    client.request('cloud.set', { url: 'mqtts://x.cn:8883', cert: otherCert }),
    { code: 'VALIDATION_FAILED', details: { field: 'cert' } },
    "another key's certificate",
  );
  await t.rejects(client.request('cloud.set', { url: 'http://x.cn', cert }), { code: 'VALIDATION_FAILED', details: { field: 'url' } });
  t.notOk(host.doc.cloud, 'nothing written by refused requests');
  const r = await client.request('cloud.set', { url: 'mqtts://x.cn:8883', cert, ca: readFileSync(ca.cert, 'utf8') });
  t.match(r.subject, /CN=shop-9/);
  t.match(host.doc.cloud, { enabled: true, url: 'mqtts://x.cn:8883', deviceId: 'shop-9' });
  t.ok(existsSync((host.doc.cloud as { certFile: string }).certFile));
});

t.test('factory reset: two steps, token single use and expiring', async (t) => {
  const { client, host, resets } = await setup();
  await client.authenticate(CODE);
  await t.rejects(client.request('reset.confirm', { token: '0011223344556677' }), { code: 'CONFLICT' }, 'no request yet');
  const { token } = (await client.request('reset.request')) as { token: string };
  host.clock.t += 121_000;
  await t.rejects(client.request('reset.confirm', { token }), { code: 'CONFLICT' }, 'expired');
  await client.request('device.set', { deviceId: 'z' });
  const again = (await client.request('reset.request')) as { token: string };
  t.same(await client.request('reset.confirm', { token: again.token }), { reset: true });
  t.equal(resets(), 1);
  t.equal((await client.request('info')).deviceId, null, 'identity erased');
});

t.test('server: no session → AUTH_REQUIRED; version negotiation; a second handshake drops the old session', async (t) => {
  const { client, server } = await setup();
  await t.rejects(client.request('owner.password', { password: 'x' }), { code: 'AUTH_REQUIRED' });
  t.equal((await client.hello()).version, 1);
  await t.rejects(client.request('hello', { versions: [] }), { code: 'VERSION' });
  await t.rejects(client.request('auth.finish', { proof: 'AAAA' }), { code: 'CONFLICT' }, 'finish without start');
  await client.authenticate(CODE);
  t.ok(server.authenticated);
  await t.rejects(client.authenticate('99999999'), { code: 'AUTH_FAILED' });
  t.notOk(server.authenticated, 'the failed handshake left no session');
  await t.rejects(client.request('device.set', { deviceId: 'q' }), { code: 'AUTH_REQUIRED' });
});
