// SIPp registers an agent phone with digest auth; wrong passwords get 403 and, after five, the
// address is banned (no answer at all); the box keeps serving other addresses.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Box } from '../../firmware/src/box.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { silentLogger } from '../../firmware/src/log.js';
import { SystemClock } from '../../hal/src/clock.js';
import { SipPhoneChannel } from '../../hal/src/drivers/sip/sip-phone-channel.js';
import { PROMPTS_DIR } from '../helpers/box.js';
import { runSipp, scenario } from './fixtures/sipp.js';

const base = 52000 + (process.pid % 300) * 10;

function sendRegister(port: number, from: string): Promise<string[]> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const got: string[] = [];
    s.on('message', (m) => got.push(m.toString()));
    s.bind(0, from, () => {
      const msg = `REGISTER sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP ${from}:9;branch=z9hG4bK-b1\r\nFrom: <sip:101@127.0.0.1>;tag=1\r\nTo: <sip:101@127.0.0.1>\r\nCall-ID: ban-1\r\nCSeq: 1 REGISTER\r\nContact: <sip:101@${from}:9>\r\nContent-Length: 0\r\n\r\n`;
      s.send(msg, port, '127.0.0.1');
      setTimeout(() => {
        s.close();
        resolve(got);
      }, 300);
    });
  });
}

t.test('REGISTER with digest through SIPp; wrong passwords → 403 then a ban', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-sipreg-'));
  const config = defaultConfig();
  config.agents = [...config.agents.slice(0, 3), { id: 'a4', name: '坐席 4', extension: 'sip-101' }];
  config.sip = { extensions: [{ user: '101', password: 'secret-101' }], maxAuthFailures: 5 };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    clock: new SystemClock(),
    env: { CALLBOX_SIP_PORT: String(base), CALLBOX_SIP_BIND: '127.0.0.1', CALLBOX_RTP_PORTS: `${base + 2}-${base + 9}` },
  });
  await box.start();
  t.teardown(async () => {
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const phone = box.channels().find((c): c is SipPhoneChannel => c instanceof SipPhoneChannel);
  t.equal(phone?.id, 'sip-101');
  t.notOk(phone?.registered);
  const sipp = (pw: string, expect: string, calls: number) =>
    runSipp([
      `127.0.0.1:${base}`,
      '-sf',
      scenario(dataDir, 'register.xml', ['101', expect]),
      '-au',
      '101',
      '-ap',
      pw,
      '-m',
      String(calls),
      '-i',
      '127.0.0.1',
      '-p',
      String(base + 1),
      '-timeout',
      '20s',
      '-nostdin',
    ]);
  const ok = await sipp('secret-101', '200', 1);
  t.equal(ok.code, 0, `registered ${ok.code === 0 ? '' : ok.stderr.slice(-300)}`);
  t.ok(phone?.registered, 'the binding is there');
  const bad = await sipp('wrong-pass', '403', 5);
  t.equal(bad.code, 0, `five wrong passwords → 403 each ${bad.code === 0 ? '' : bad.stderr.slice(-300)}`);
  t.same(await sendRegister(base, '127.0.0.1'), [], 'the address is banned: no answer');
  t.match((await sendRegister(base, '127.0.0.3'))[0] ?? '', /^SIP\/2\.0 401/, 'another address is still served');
});
