// TLS and credentials: a mosquitto with a TLS listener (our own CA made with openssl), client
// certificates required and mapped to the user name; and a password-file broker. The box verifies
// the server, presents its certificate, and a wrong CA or wrong password leaves it offline with the
// reason visible (the box runs on) instead of crashing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { cloudRig } from './fixtures/cloud-rig.js';
import { Broker, until } from './fixtures/mosquitto.js';

const ssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, a server certificate for 127.0.0.1, and client certificates for the given names. */
function makePki(dir: string, clients: string[]): void {
  ssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=callbox test CA',
  );
  ssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other-ca.key',
    '-out',
    'other-ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=someone else',
  );
  const sign = (name: string, ext: string[]) => {
    ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    ssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      ...ext,
    );
  };
  writeSanExt(dir);
  sign('server', ['-extfile', 'san.ext']);
  for (const c of clients) sign(c, []);
}

function writeSanExt(dir: string): void {
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > san.ext'], { cwd: dir });
}

t.test('mqtts with client certificates: verified both ways, records flow', async (t) => {
  const pki = t.testdir({ box: {}, bad: {} });
  makePki(pki, ['shop-tls', 'fleet']);
  const broker = await Broker.start([
    `cafile ${join(pki, 'ca.crt')}`,
    `certfile ${join(pki, 'server.crt')}`,
    `keyfile ${join(pki, 'server.key')}`,
    'require_certificate true',
    'use_identity_as_username true',
    'allow_anonymous false',
    // run as root (a container), mosquitto drops to its own user and could not read the test's
    // key files; as a normal user this line has no effect
    'user root',
  ]);
  const url = `mqtts://127.0.0.1:${broker.port}`;
  const store = new SqliteFleetStore(join(pki, 'fleet.db'));
  const read = (f: string) => readFileSync(join(pki, f));
  const fleet = new FleetConsumer({ url, store, tls: { ca: read('ca.crt'), cert: read('fleet.crt'), key: read('fleet.key') } });
  await fleet.start();
  const rig = await cloudRig(join(pki, 'box'), url, 'shop-tls', {
    cloud: { caFile: join(pki, 'ca.crt'), certFile: join(pki, 'shop-tls.crt'), keyFile: join(pki, 'shop-tls.key') },
  });
  rig.put('calls', 20);
  await rig.cloud.start();
  t.ok(await until(() => rig.outbox.depth() === 0), 'records delivered over TLS and acked');
  t.equal(store.records('shop-tls').length, 20);

  const bad = await cloudRig(join(pki, 'bad'), url, 'shop-bad', {
    cloud: { caFile: join(pki, 'other-ca.crt'), certFile: join(pki, 'shop-tls.crt'), keyFile: join(pki, 'shop-tls.key') },
  });
  await bad.cloud.start();
  t.ok(await until(() => bad.cloud.status().lastError !== null), 'a server the box cannot verify is refused');
  t.match(bad.cloud.status(), { connected: false, lastError: /certificate|self.signed|verify/i });
  await bad.stop();
  const missing = await cloudRig(join(pki, 'bad'), url, 'shop-nofile', { cloud: { caFile: join(pki, 'no-such-ca.crt') } });
  await t.rejects(
    missing.cloud.start(),
    { code: 'CONFIG_INVALID', message: /caFile.*no-such-ca/ },
    'an unreadable CA file fails the module at start',
  );
  await missing.stop();
  await rig.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});

t.test('user name and password from a password file; a wrong password keeps the box offline', async (t) => {
  const dir = t.testdir({ box: {}, bad: {} });
  const pw = join(dir, 'passwd');
  execFileSync('mosquitto_passwd', ['-c', '-b', pw, 'shop-pw', 'right-密码-1']);
  execFileSync('mosquitto_passwd', ['-b', pw, 'fleet', 'fleet-pass-1']);
  const broker = await Broker.start(['allow_anonymous false', `password_file ${pw}`]);
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store, username: 'fleet', password: 'fleet-pass-1' });
  await fleet.start();
  const bad = await cloudRig(join(dir, 'bad'), broker.url, 'shop-pw2', { cloud: { username: 'shop-pw', password: 'wrong-one-1' } });
  bad.put('tickets', 1);
  await bad.cloud.start();
  t.ok(await until(() => bad.cloud.status().lastError !== null));
  t.match(bad.cloud.status(), { connected: false, lastError: /not authori[sz]ed|bad user name or password|refused/i });
  t.equal(bad.outbox.depth(), 1, 'its record waits');
  const rig = await cloudRig(join(dir, 'box'), broker.url, 'shop-pw', { cloud: { username: 'shop-pw', password: 'right-密码-1' } });
  rig.put('tickets', 5);
  await rig.cloud.start();
  t.ok(await until(() => rig.outbox.depth() === 0), 'authenticated and synced');
  await bad.stop();
  await rig.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});
