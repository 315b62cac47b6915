// SMS delivery reports: SMS-SUBMIT with TP-SRR, SMS-STATUS-REPORT decoding (a published +CDS
// vector and built ones: delivered, still trying, failed; national and international recipients),
// +CDS joined with its PDU line and +CDSI typed by the AT stack, and the driver in virtual time on
// transcripts after the Quectel EC25 / SIMCom SIM800 SMS manuals: AT+CNMI=2,1,0,1,0 → +CDS; a
// modem that refuses ds=1 → ds=2, +CDSI → AT+CMGR / AT+CMGD; one that refuses both → no TP-SRR.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { AtQueue } from '../../../hal/src/drivers/atmodem/at-queue.js';
import { parseUrc, type Urc } from '../../../hal/src/drivers/atmodem/at-urc.js';
import { AtModemDriver } from '../../../hal/src/drivers/atmodem/modem-driver.js';
import { encodeSubmit, pduType } from '../../../hal/src/drivers/atmodem/pdu.js';
import { splitText } from '../../../hal/src/drivers/atmodem/sms-concat.js';
import { sleep } from '../../helpers/wait.js';
import { decodeStatusReport, deliveryStatus, type SmsStatusReport } from '../../../hal/src/drivers/atmodem/sms-report.js';
import { EC25 } from './fixtures/ec25.js';
import { type MemoryPort, MemorySerial } from './fixtures/memory-serial.js';
import { statusReportPdu } from './fixtures/status-report.js';

t.test('SMS-SUBMIT with TP-SRR: the first octet gains 0x20', async (t) => {
  const [part] = splitText('hellohello', 0);
  t.equal(encodeSubmit('+46708251358', part as never, { statusReport: true }).hex, '0031000B916407281553F80000AA0AE8329BFD4697D9EC37');
  t.equal(encodeSubmit('+46708251358', part as never).hex.slice(0, 4), '0011', 'not asked: unchanged');
});

t.test('SMS-STATUS-REPORT: the published +CDS example (delivered), with an empty SMSC prefix', async (t) => {
  // +CDS: 06000B910221815716F2709021510121807090215101718000 (TPDU), the modem's SMSC octet "00" before it.
  const pdu = '0006000B910221815716F2709021510121807090215101718000';
  t.equal(pduType(pdu), 2);
  t.same(decodeStatusReport(pdu), {
    ref: 0,
    to: '+20121875612',
    submittedAt: Date.UTC(2007, 8, 12, 13, 10, 12),
    at: Date.UTC(2007, 8, 12, 13, 10, 17),
    code: 0,
    status: 'delivered',
    detail: 'received by the phone',
  });
});

t.test('built reports: delivered, still trying, failed; SMSC prefix; national numbers', async (t) => {
  const d = decodeStatusReport(statusReportPdu({ ref: 42, to: '+8613800138000', st: 0x00 }));
  t.match(d, { ref: 42, to: '+8613800138000', status: 'delivered', code: 0 });
  t.equal(d.submittedAt, Date.UTC(2026, 10, 27, 4, 34, 0), '+08:00 applied');
  t.equal(d.at, Date.UTC(2026, 10, 27, 4, 34, 5));
  t.match(decodeStatusReport(statusReportPdu({ ref: 255, to: '13800138000', st: 0x21 })), {
    ref: 255,
    to: '13800138000',
    status: 'pending',
    detail: 'phone busy',
  });
  t.match(decodeStatusReport(statusReportPdu({ ref: 7, to: '10086', st: 0x46 })), {
    status: 'failed',
    detail: 'validity period expired',
  });
  t.match(decodeStatusReport(statusReportPdu({ ref: 7, to: '10086', st: 0x62 })), { status: 'failed', detail: /given up/ });
  t.match(decodeStatusReport(statusReportPdu({ ref: 7, to: '10086', st: 0x5a })), { status: 'failed', detail: 'status 0x5a' });
  t.same([0x00, 0x1f, 0x20, 0x3f, 0x40, 0x7f].map(deliveryStatus), ['delivered', 'delivered', 'pending', 'pending', 'failed', 'failed']);
  // Not a report, or cut: clear errors.
  t.throws(() => decodeStatusReport('0004000B910221815716F2'), /not an SMS-STATUS-REPORT \(MTI 0\)/);
  t.throws(() => decodeStatusReport('0006000B910221815716F270902151'), /PDU ends inside the service centre time stamp/);
  t.throws(() => decodeStatusReport('0006000B910221815716F2709021510121807090215101718'), /even run of hex/);
});

t.test('AT stack: +CDS joins its PDU line; +CDSI is typed', async (t) => {
  const clock = new VirtualClock();
  const urcs: Urc[] = [];
  const q = new AtQueue({ clock, write: () => {}, onUrc: (u) => urcs.push(u) });
  const pdu = statusReportPdu({ ref: 3, to: '13800138000', st: 0 });
  q.feed(`\r\n+CDS: 25\r\n${pdu.slice(0, 10)}`);
  q.feed(`${pdu.slice(10)}\r\n`);
  t.same(urcs, [{ type: 'cds', pdu }]);
  t.same(parseUrc('+CDSI: "SR",3'), { type: 'cdsi', mem: 'SR', index: 3 });
  t.same(parseUrc('+CDSI: "SR",x'), { type: 'other', line: '+CDSI: "SR",x' });
});

/** A modem after the vendors' SMS manuals: CNMI <ds> it takes, +CMGS: <mr>, then the report. */
function smsModem(p: MemoryPort, o: { takes: number[]; st: number; stored: Map<number, string> }) {
  let prompt = false;
  let mr = 40;
  let ds = 0;
  let to = '';
  p.onWrite = (text) => {
    const push = (s: string) => queueMicrotask(() => p.push(s));
    if (prompt && text.endsWith('\x1a')) {
      prompt = false;
      mr++;
      push(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`);
      const srr = (Number.parseInt(text.slice(2, 4), 16) & 0x20) !== 0;
      if (!srr) return;
      const report = statusReportPdu({ ref: mr, to, st: o.st });
      if (ds === 1) setTimeout(() => p.push(`\r\n+CDS: ${report.length / 2 - 9}\r\n${report}\r\n`), 1);
      if (ds === 2) {
        o.stored.set(3, report);
        setTimeout(() => p.push('\r\n+CDSI: "SR",3\r\n'), 1);
      }
      return;
    }
    const line = text.replace(/\r$/, '');
    const cnmi = /^AT\+CNMI=2,1,0,(\d),0$/.exec(line);
    if (cnmi) {
      const want = Number(cnmi[1]);
      if (!o.takes.includes(want)) return push('\r\n+CMS ERROR: 303\r\n');
      ds = want;
      return push('\r\nOK\r\n');
    }
    if (line.startsWith('AT+CMGS=')) {
      prompt = true;
      return push('\r\n> ');
    }
    const cmgr = /^AT\+CMGR=(\d+)$/.exec(line);
    if (cmgr) {
      const pdu = o.stored.get(Number(cmgr[1]));
      return push(pdu ? `\r\n+CMGR: 0,,${pdu.length / 2 - 9}\r\n${pdu}\r\n\r\nOK\r\n` : '\r\n+CMS ERROR: 321\r\n');
    }
    const cmgd = /^AT\+CMGD=(\d+)$/.exec(line);
    if (cmgd) o.stored.delete(Number(cmgd[1]));
    const answers: Record<string, string> = { ...EC25, 'AT+COPS?': '\r\n+COPS: 0,0,"CHINA MOBILE",7\r\n\r\nOK\r\n' };
    push(answers[line] ?? '\r\nOK\r\n');
  };
  return { setTo: (n: string) => (to = n) };
}

async function sendAndReport(takes: number[], st: number) {
  const clock = new VirtualClock();
  const serial = new MemorySerial();
  const stored = new Map<number, string>();
  let modem: ReturnType<typeof smsModem> | null = null;
  serial.onOpen = (p) => {
    modem = smsModem(p, { takes, st, stored });
  };
  const driver = new AtModemDriver({ path: '/dev/callbox-modem', baudRate: 115200, clock, serial });
  const reports: SmsStatusReport[] = [];
  driver.events.on('smsReport', (r) => reports.push(r));
  await driver.start();
  (modem as unknown as ReturnType<typeof smsModem>).setTo('+8613800138000');
  const refs = await driver.sendSms('+8613800138000', '您的订单已发货 / your order has shipped');
  await sleep(20);
  await clock.run(100);
  await driver.stop();
  const written = serial.ports.flatMap((p) => p.written);
  return { refs, reports, written, stored };
}

t.test('EC25: AT+CNMI=2,1,0,1,0, the SUBMIT asks for a report, +CDS → smsReport by TP-MR', async (t) => {
  const { refs, reports, written } = await sendAndReport([0, 1, 2], 0);
  t.ok(written.includes('AT+CNMI=2,1,0,1,0\r'));
  t.same(refs, [41]);
  const pdu = written.find((w) => w.endsWith('\x1a')) as string;
  t.equal(pdu.slice(0, 4), '0031', 'TP-SRR set');
  t.match(reports, [{ ref: 41, to: '+8613800138000', status: 'delivered', code: 0 }]);
});

t.test('SIM800-style: ds=1 refused → ds=2, +CDSI → AT+CMGR, report, AT+CMGD; failed status', async (t) => {
  const { reports, written, stored } = await sendAndReport([0, 2], 0x46);
  t.ok(written.includes('AT+CNMI=2,1,0,1,0\r') && written.includes('AT+CNMI=2,1,0,2,0\r'), 'tried 1, then 2');
  t.ok(written.includes('AT+CMGR=3\r') && written.includes('AT+CMGD=3\r'), 'read and deleted');
  t.equal(stored.size, 0);
  t.match(reports, [{ ref: 41, status: 'failed', detail: 'validity period expired' }]);
});

t.test('a modem that takes no reports: ds=0, no TP-SRR, no report', async (t) => {
  const { reports, written } = await sendAndReport([0], 0);
  t.ok(written.includes('AT+CNMI=2,1,0,0,0\r'));
  const pdu = written.find((w) => w.endsWith('\x1a')) as string;
  t.equal(pdu.slice(0, 4), '0011', 'no TP-SRR');
  t.same(reports, []);
});
