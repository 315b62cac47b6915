// Registration to a provider: a SIPp registrar challenges the box (401 digest), checks the
// credentials, grants 3 s, and the box registers again before that expires.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SystemClock } from '../../hal/src/clock.js';
import { SipDriver } from '../../hal/src/drivers/sip/sip-driver.js';
import { sipOptionsFromEnv } from '../../hal/src/drivers/sip/sip-env.js';
import { scenario } from './fixtures/sipp.js';
import { sleep } from '../helpers/wait.js';

const base = 56000 + (process.pid % 200) * 10;

t.test('the box registers to a provider with digest and refreshes before expiry', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-sipprov-'));
  const sf = scenario(dir, 'registrar-uas.xml', ['shop8001', 'prov-secret-1']);
  const sipp = spawn('/usr/bin/sipp', ['-sf', sf, '-i', '127.0.0.1', '-p', String(base + 1), '-m', '1', '-timeout', '20s', '-nostdin'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  sipp.stderr.on('data', (d) => (err += d));
  const done = new Promise<number | null>((r) => sipp.on('close', r));
  await sleep(300);
  const o = sipOptionsFromEnv(
    {
      CALLBOX_SIP_REGISTRAR: `127.0.0.1:${base + 1}`,
      CALLBOX_SIP_USERNAME: 'shop8001',
      CALLBOX_SIP_PASSWORD: 'prov-secret-1',
      CALLBOX_SIP_PORT: String(base),
      CALLBOX_SIP_BIND: '127.0.0.1',
      CALLBOX_RTP_PORTS: `${base + 2}-${base + 9}`,
    },
    new SystemClock(),
  );
  if (!o) throw new Error('no SIP options');
  t.equal(o.trunks[0]?.peer, `127.0.0.1:${base + 1}`, 'the registrar is the trunk peer');
  const drv = new SipDriver(o);
  await drv.start();
  t.teardown(async () => {
    await drv.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const code = await done;
  t.equal(code, 0, `the registrar saw digest auth and a refresh ${code === 0 ? '' : err.slice(-400)}`);
  t.equal(drv.registrationState, 'registered');
  t.ok(drv.registrations >= 1, `registered (${drv.registrations} times)`);
  t.throws(() => sipOptionsFromEnv({ CALLBOX_SIP_REGISTRAR: '127.0.0.1' }, new SystemClock()), /USERNAME and CALLBOX_SIP_PASSWORD/);
});

t.test('failover: the first registrar answers 503, the box registers to the second', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-sipfail-'));
  const start = (file: string, port: number) => {
    const p = spawn(
      '/usr/bin/sipp',
      [
        '-sf',
        scenario(dir, file, ['shop8001', 'prov-secret-1']),
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        '-m',
        '1',
        '-timeout',
        '20s',
        '-nostdin',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    return new Promise<number | null>((r) => p.on('close', r));
  };
  const down = start('registrar-503.xml', base + 3);
  const up = start('registrar-uas.xml', base + 4);
  await sleep(300);
  const o = sipOptionsFromEnv(
    {
      CALLBOX_SIP_REGISTRAR: `127.0.0.1:${base + 3}, 127.0.0.1:${base + 4}`,
      CALLBOX_SIP_USERNAME: 'shop8001',
      CALLBOX_SIP_PASSWORD: 'prov-secret-1',
      CALLBOX_SIP_PORT: String(base + 5),
      CALLBOX_SIP_BIND: '127.0.0.1',
      CALLBOX_RTP_PORTS: `${base + 6}-${base + 9}`,
    },
    new SystemClock(),
  );
  if (!o) throw new Error('no SIP options');
  const drv = new SipDriver(o);
  await drv.start();
  t.teardown(async () => {
    await drv.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  t.equal(await down, 0, 'the first registrar was tried and said 503');
  t.equal(await up, 0, 'the second registrar got a digest REGISTER and a refresh');
  t.equal(drv.registrarIndex, 1);
  t.equal(drv.registrationState, 'registered');
});
