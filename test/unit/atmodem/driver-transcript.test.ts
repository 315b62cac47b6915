// The driver in virtual time over an in-memory port, against transcripts written from the vendors'
// AT manuals (EC25 session start, incoming call with +CLIP, a 3-part Chinese SMS, errors), plus
// fuzzed modem output (random bytes, cut lines, interleaved URCs) that must never crash the driver,
// and the env contract of CALLBOX_MODEM.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { AtModemDriver } from '../../../hal/src/drivers/atmodem/modem-driver.js';
import { detectProfile } from '../../../hal/src/drivers/atmodem/profiles.js';
import { splitText } from '../../../hal/src/drivers/atmodem/sms-concat.js';
import { modemOptionsFromEnv } from '../../../hal/src/drivers/atmodem/with-modem.js';
import { deliverPdu } from './fixtures/deliver.js';
import { EC25 as EC25_START } from './fixtures/ec25.js';
import { type MemoryPort, MemorySerial } from './fixtures/memory-serial.js';

/** The EC25's session start, and a call's commands (Quectel EC2x AT Commands Manual). */
const EC25: Record<string, string> = {
  ...EC25_START,
  ATA: '\r\nOK\r\n',
  'AT+CHUP': '\r\nOK\r\n',
  'AT+CLCC': '\r\nOK\r\n',
};

function scripted(answers: Record<string, string>, p: MemoryPort): void {
  p.onWrite = (text) => {
    const line = text.replace(/\r$/, '');
    const a = answers[line] ?? (line.startsWith('AT+CMGD=') || /^AT\+\w+=/.test(line) ? '\r\nOK\r\n' : '\r\nERROR\r\n');
    queueMicrotask(() => p.push(a));
  };
}

async function boot(answers: Record<string, string>) {
  const clock = new VirtualClock();
  const serial = new MemorySerial();
  serial.onOpen = (p) => scripted(answers, p);
  const driver = new AtModemDriver({ path: '/dev/callbox-modem', baudRate: 115200, clock, serial });
  await driver.start();
  return { clock, serial, driver };
}

t.test('EC25 session start from the manual: profile, status, the commands in order', async (t) => {
  const { driver, serial } = await boot(EC25);
  t.match(driver.status(), { state: 'ready', profile: 'quectel-ec25', operator: 'CHN-UNICOM', signalDbm: -63, registration: 'home' });
  t.same(serial.last.written.slice(0, 6), ['AT\r', 'ATE1\r', 'AT\r', 'AT+CMEE=2\r', 'ATI\r', 'AT+CGMM\r']);
  await driver.stop();
});

t.test('incoming call with +CLIP, then a 3-part Chinese SMS arrives mid-call', async (t) => {
  const text =
    '【顺丰速运】您的快件已到达门店，请凭取件码 8848 到店领取，营业时间九点至二十一点，逾期将退回寄件人。如有疑问请致电客服热线，谢谢配合！祝您生活愉快，万事如意。'.repeat(
      2,
    );
  const parts = splitText(text, 0x42);
  t.equal(parts.length, 3);
  const pdus = parts.map((p) => deliverPdu({ from: '106903', text: String.fromCharCode(...p.units), alphabet: 'ucs2', concat: p.concat }));
  const answers = { ...EC25 };
  pdus.forEach((pdu, i) => {
    answers[`AT+CMGR=${i + 1}`] = `\r\n+CMGR: 0,,${pdu.length / 2 - 1}\r\n${pdu}\r\n\r\nOK\r\n`;
  });
  const { driver, serial, clock } = await boot(answers);
  const events: string[] = [];
  const sms: { from: string; text: string }[] = [];
  const ch = driver.channel;
  for (const e of ['ring', 'callerId', 'hangup'] as const) ch.events.on(e, (p) => events.push(`${e} ${JSON.stringify(p)}`));
  ch.events.on('sms', (m) => sms.push(m));
  const port = serial.last;
  port.push('\r\nRING\r\n\r\n+CLIP: "13912345678",129,"",0,"",0\r\n');
  t.same(events, ['ring {"count":1}', 'callerId {"number":"13912345678","name":null,"absence":null}']);
  await ch.answer();
  t.equal(ch.state, 'active');
  port.push('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
  port.push('\r\n+CMTI: "SM",3\r\n');
  await clock.runUntil(() => sms.length === 1, 5000);
  t.same(sms[0] && [sms[0].from, sms[0].text], ['106903', text]);
  t.ok(port.written.includes('AT+CMGD=3\r'));
  port.push('\r\nNO CARRIER\r\n');
  t.equal(events.at(-1), 'hangup {"reason":"remote"}');
  await driver.stop();
});

t.test('errors from the manual: no SIM (+CME ERROR: 10 text), PIN refused, PUK', async (t) => {
  const noSim = await boot({ ...EC25, 'AT+CPIN?': '\r\n+CME ERROR: SIM not inserted\r\n' });
  t.match(noSim.driver.status(), { state: 'noSim', reason: 'no SIM card (SIM not inserted)' });
  t.equal(noSim.driver.channel.state, 'error');
  await noSim.driver.stop();
  const puk = await boot({ ...EC25, 'AT+CPIN?': '\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n' });
  t.equal(puk.driver.status().state, 'simPuk');
  t.notOk(
    puk.serial.last.written.some((w) => w.startsWith('AT+CPIN=')),
    'no code tried',
  );
  await puk.driver.stop();
});

t.test('unplugged at start (no device) → closed, reopened by path when it appears', async (t) => {
  const clock = new VirtualClock();
  const serial = new MemorySerial();
  serial.present = false;
  serial.onOpen = (p) => scripted(EC25, p);
  const driver = new AtModemDriver({ path: '/dev/callbox-modem', baudRate: 115200, clock, serial });
  await driver.start();
  t.match(driver.status(), { state: 'closed', reason: /cannot open \/dev\/callbox-modem/ });
  serial.present = true;
  await clock.runUntil(() => driver.status().state === 'ready', 10_000);
  serial.last.unplug();
  t.match(driver.status(), { state: 'closed', reason: /modem disconnected: device disconnected/ });
  await clock.runUntil(() => driver.status().state === 'ready', 10_000);
  t.equal(serial.ports.length, 2);
  await driver.stop();
});

t.test('fuzz: random bytes, cut lines and interleaved URCs never crash the driver', async (t) => {
  let seed = 99;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = [
    'RING\r\n',
    '+CLIP: "1380',
    '0138000",129\r\n',
    'NO CARRIER\r\n',
    'OK\r\n',
    'ERROR\r\n',
    '+CMTI: "SM",',
    '7\r\n',
    '> ',
    '+CMT: ,20\r\n',
    '0791\r\n',
    '+CREG: 2\r\n',
    '+CREG: 1\r\n',
    '+CPIN: NOT READY\r\n',
    '+CPIN: READY\r\n',
    'RDY\r\n',
    '+QTONEDET: 52\r\n',
    '+CLCC: 1,1,4,0,0,"1",129\r\n',
    '\xff\xfe\r\n',
  ];
  for (let round = 0; round < 30; round++) {
    const { driver, serial, clock } = await boot(EC25);
    const errors: unknown[] = [];
    driver.channel.events.onListenerError = (e) => errors.push(e);
    for (let i = 0; i < 150; i++) {
      const r = rnd();
      const port = serial.last;
      if (r < 0.55) port.push(pieces[Math.floor(rnd() * pieces.length)] as string);
      else if (r < 0.8) port.push(Uint8Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 256)));
      else if (r < 0.9) await clock.run(Math.floor(rnd() * 3000));
      // in virtual time: a command whose echo the noise garbled waits for its timeout
      else if (driver.channel.state === 'ringing') await Promise.all([driver.channel.answer().catch(() => {}), clock.run(25_000)]);
      else if (driver.channel.state === 'active') await Promise.all([driver.channel.hangup(), clock.run(25_000)]);
    }
    await clock.run(120_000);
    t.same(errors, [], `round ${round}`);
    t.ok(['ready', 'noNetwork', 'noSim', 'starting'].includes(driver.status().state), `round ${round} state ${driver.status().state}`);
    await driver.stop();
  }
});

t.test('profiles from ATI / AT+CGMM', async (t) => {
  t.equal(detectProfile('Quectel EC25 Revision: EC25EFAR06A06M4G EC25').id, 'quectel-ec25');
  t.equal(detectProfile('Quectel EG25 EG25').id, 'quectel-ec25');
  t.equal(detectProfile('SIMCOM INCORPORATED SIMCOM_SIM7600G-H').id, 'simcom-sim7600');
  t.equal(detectProfile('SIM800 R14.18 SIMCOM_SIM800L').id, 'simcom-sim800');
  t.equal(detectProfile('Huawei ME909s').id, 'generic');
  t.equal(detectProfile('').id, 'generic');
});

t.test('CALLBOX_MODEM env contract', async (t) => {
  t.equal(modemOptionsFromEnv({}), null);
  t.same(modemOptionsFromEnv({ CALLBOX_MODEM: '/dev/ttyUSB2' }), { path: '/dev/ttyUSB2', baudRate: 115200, pin: null, audioPath: null });
  t.same(
    modemOptionsFromEnv({ CALLBOX_MODEM: '/dev/x', CALLBOX_MODEM_BAUD: '9600', CALLBOX_MODEM_PIN: '0000', CALLBOX_MODEM_AUDIO: '/dev/y' }),
    {
      path: '/dev/x',
      baudRate: 9600,
      pin: '0000',
      audioPath: '/dev/y',
    },
  );
  t.throws(() => modemOptionsFromEnv({ CALLBOX_MODEM: '/dev/x', CALLBOX_MODEM_BAUD: '12345' }), /CALLBOX_MODEM_BAUD must be one of/);
  t.throws(() => modemOptionsFromEnv({ CALLBOX_MODEM: '/dev/x', CALLBOX_MODEM_PIN: '12' }), /4-8 digits/);
});
