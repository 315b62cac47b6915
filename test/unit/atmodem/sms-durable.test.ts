// An SMS leaves the SIM only once the box has it on its storage (modem-sms.ts): the parts of a long
// message stay until the whole is handed over, AT+CMGD waits for the driver's durable(), a failed
// durable() leaves the copies on the SIM (listed again while the box runs, backing off), a start-up
// drain hands over what is still there, and a slot refilled after its delete is never deleted unread.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { AtModemDriver } from '../../../hal/src/drivers/atmodem/modem-driver.js';
import { splitText } from '../../../hal/src/drivers/atmodem/sms-concat.js';
import { deliverPdu } from './fixtures/deliver.js';
import { EC25 } from './fixtures/ec25.js';
import { type MemoryPort, MemorySerial } from './fixtures/memory-serial.js';

const BASE = EC25;

const TEXT = '您好，我上周在贵店订的排毒养颜茶还没有收到，订单号 20261120-0088，麻烦帮我查一下物流，谢谢！'.repeat(2);
const cmgr = (pdu: string) => `\r\n+CMGR: 0,,${pdu.length / 2 - 1}\r\n${pdu}\r\n\r\nOK\r\n`;

async function boot(answers: Record<string, string>) {
  const clock = new VirtualClock();
  const serial = new MemorySerial();
  serial.onOpen = (p: MemoryPort) => {
    p.onWrite = (text) => {
      const line = text.replace(/\r$/, '');
      const a = answers[line] ?? (/^AT\+\w+=/.test(line) ? '\r\nOK\r\n' : '\r\nERROR\r\n');
      queueMicrotask(() => p.push(a));
    };
  };
  const driver = new AtModemDriver({ path: '/dev/callbox-modem', baudRate: 115200, clock, serial });
  const sms: { text: string; id: string }[] = [];
  driver.channel.events.on('sms', (m) => sms.push(m));
  await driver.start();
  const port = serial.last;
  const deleted = () => port.written.filter((w) => w.startsWith('AT+CMGD=')).map((w) => Number(w.slice(8)));
  return { clock, driver, port, sms, deleted };
}

const settle = async (clock: VirtualClock) => {
  for (let i = 0; i < 20; i++) {
    await clock.advance(10);
    await new Promise((r) => setImmediate(r));
  }
};

t.test('a long SMS: its parts stay on the SIM until the whole is handed over and saved', async (t) => {
  const parts = splitText(TEXT, 0x37);
  t.equal(parts.length, 2);
  const answers = { ...BASE };
  parts.forEach((p, i) => {
    answers[`AT+CMGR=${i + 4}`] = cmgr(
      deliverPdu({ from: '13912345678', text: String.fromCharCode(...p.units), alphabet: 'ucs2', concat: p.concat }),
    );
  });
  const b = await boot(answers);
  let release: () => void = () => {};
  let asked = 0;
  b.driver.durable = () => {
    asked++;
    return new Promise<void>((r) => {
      release = r;
    });
  };
  b.port.push('\r\n+CMTI: "SM",4\r\n');
  await settle(b.clock);
  t.same(b.sms, [], 'half a message: nothing handed over');
  t.same(b.deleted(), [], 'its part stays on the SIM');
  b.port.push('\r\n+CMTI: "SM",5\r\n');
  await settle(b.clock);
  t.equal(b.sms.length, 1);
  t.equal(b.sms[0]?.text, TEXT);
  t.equal(asked, 1, 'the driver asked whether it is saved');
  t.same(b.deleted(), [], 'nothing deleted before the box confirmed');
  release();
  await settle(b.clock);
  t.same(b.deleted(), [4, 5], 'both parts deleted once saved');
  await b.driver.stop();
});

t.test('not confirmed (the storage failed): the SMS stays on the SIM', async (t) => {
  const pdu = deliverPdu({ from: '13912345678', text: '明天上午能送到吗？', alphabet: 'ucs2', concat: null });
  const b = await boot({ ...BASE, 'AT+CMGR=2': cmgr(pdu) });
  b.driver.durable = () => Promise.reject(new Error('EIO'));
  b.port.push('\r\n+CMTI: "SM",2\r\n');
  await settle(b.clock);
  t.equal(b.sms.length, 1, 'handed over');
  t.same(b.deleted(), [], 'kept on the SIM, to be read again at the next start');
  await b.driver.stop();
});

t.test('start-up: what is still on the SIM is handed over again, then deleted; ids are stable', async (t) => {
  const one = deliverPdu({ from: '13912345678', text: '明天上午能送到吗？', alphabet: 'ucs2', concat: null });
  const two = deliverPdu({ from: '13912345678', text: '地址改成北京路2号', alphabet: 'ucs2', concat: null });
  const list = `\r\n+CMGL: 1,1,,${one.length / 2 - 1}\r\n${one}\r\n+CMGL: 7,1,,${two.length / 2 - 1}\r\n${two}\r\n\r\nOK\r\n`;
  const b = await boot({ ...BASE, 'AT+CMGL=4': list });
  await settle(b.clock);
  t.same(
    b.sms.map((m) => m.text),
    ['明天上午能送到吗？', '地址改成北京路2号'],
  );
  t.not(b.sms[0]?.id, b.sms[1]?.id, 'two messages in the same second from one sender have different ids (text hash)');
  t.same(b.deleted(), [1, 7]);
  const again = await boot({ ...BASE, 'AT+CMGL=4': list });
  await settle(again.clock);
  t.same(
    again.sms.map((m) => m.id),
    b.sms.map((m) => m.id),
    'read again, the same ids: the receiver can drop what it has',
  );
  await b.driver.stop();
  await again.driver.stop();
});

t.test('AT+CMGR answers without a message: nothing deleted (read again at the next start)', async (t) => {
  const b = await boot({ ...BASE, 'AT+CMGR=9': '\r\nOK\r\n' });
  b.port.push('\r\n+CMTI: "SM",9\r\n');
  await settle(b.clock);
  t.ok(b.port.written.includes('AT+CMGR=9\r'), 'asked for it');
  t.same(b.sms, []);
  t.same(b.deleted(), [], 'a reply without the message deletes nothing: it may have been a reply gone astray');
  await b.driver.stop();
});

t.test('not saved: kept on the SIM, listed again after 30 s, then 60 s, deleted once saved', async (t) => {
  // before: a message the box could not store waited on the SIM until the next start
  const pdu = deliverPdu({ from: '13912345678', text: '发票抬头写公司名', alphabet: 'ucs2', concat: null });
  const answers: Record<string, string> = { ...BASE, 'AT+CMGR=2': cmgr(pdu) };
  const b = await boot(answers);
  answers['AT+CMGL=4'] = `\r\n+CMGL: 2,1,,${pdu.length / 2 - 1}\r\n${pdu}\r\n\r\nOK\r\n`;
  let fails = 2;
  b.driver.durable = () => (fails-- > 0 ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : Promise.resolve());
  const lists = () => b.port.written.filter((w) => w === 'AT+CMGL=4\r').length;
  const atStart = lists();
  b.port.push('\r\n+CMTI: "SM",2\r\n');
  await settle(b.clock);
  t.same(b.deleted(), [], 'not saved: kept');
  await b.clock.advance(29_000);
  await settle(b.clock);
  t.equal(lists(), atStart, 'not yet');
  await b.clock.advance(1_000);
  await settle(b.clock);
  t.equal(lists(), atStart + 1, 'listed again after 30 s');
  t.same(b.deleted(), [], 'still not saved: kept');
  await b.clock.advance(59_000);
  await settle(b.clock);
  t.equal(lists(), atStart + 1, 'backing off: not after 30 s again');
  await b.clock.advance(1_000);
  await settle(b.clock);
  t.equal(lists(), atStart + 2, 'listed again after 60 s');
  t.same(b.deleted(), [2], 'saved at last: deleted');
  t.same(
    b.sms.map((m) => m.text),
    ['发票抬头写公司名', '发票抬头写公司名', '发票抬头写公司名'],
    'handed over each time (the box keeps it once, by its id)',
  );
  await b.clock.advance(20 * 60_000);
  await settle(b.clock);
  t.equal(lists(), atStart + 2, 'nothing left: no more listing');
  await b.driver.stop();
});

t.test('a slot freed and refilled is not deleted by a second delete planned from an older read', async (t) => {
  // +CMTI twice for one slot (a modem repeating it, or start-up's AT+CMGL with a +CMTI): both reads
  // plan a delete; the first frees the slot, a new message lands in it, and the second delete
  // removed that message unread
  const a = deliverPdu({ from: '13912345678', text: '第一条：订单已付款', alphabet: 'ucs2', concat: null });
  const bMsg = deliverPdu({ from: '13987654321', text: '第二条：请开发票', alphabet: 'ucs2', concat: null });
  const answers: Record<string, string> = { ...BASE, 'AT+CMGR=3': cmgr(a) };
  const b = await boot(answers);
  const scripted = b.port.onWrite;
  let refilled = false;
  b.port.onWrite = (text) => {
    if (text === 'AT+CMGD=3\r' && !refilled) {
      refilled = true;
      // the slot is free: the network stores the next message in it at once
      answers['AT+CMGR=3'] = cmgr(bMsg);
      scripted(text);
      queueMicrotask(() => queueMicrotask(() => b.port.push('\r\n+CMTI: "SM",3\r\n')));
      return;
    }
    if (text === 'AT+CMGD=3\r') answers['AT+CMGR=3'] = '\r\nOK\r\n';
    scripted(text);
  };
  b.port.push('\r\n+CMTI: "SM",3\r\n\r\n+CMTI: "SM",3\r\n');
  await settle(b.clock);
  await settle(b.clock);
  t.same([...new Set(b.sms.map((m) => m.text))], ['第一条：订单已付款', '第二条：请开发票'], 'the second message was read');
  const slot3 = b.port.written.filter((w) => w === 'AT+CMGD=3\r' || w === 'AT+CMGR=3\r');
  t.equal(slot3.at(-1), 'AT+CMGD=3\r', 'the second message deleted after its read');
  t.equal(b.deleted().length, 2, 'one delete per message');
  await b.driver.stop();
});

t.test('a part left on the SIM of a long message the box already has: deleted at once, not handed over', async (t) => {
  // a box killed (or a power cut) between the AT+CMGD of two parts leaves one part behind; it took
  // a SIM place for 10 min and could come back as an incomplete copy (make chaos: 3 parts left)
  const parts = splitText(TEXT, 0x51);
  const sentAt = Date.UTC(2026, 10, 28, 1, 2, 3);
  const scts = '62118290203023'; // 2026-11-28 09:02:03 +08:00 (the same instant)
  const pdus = parts.map((p) =>
    deliverPdu({ from: '13912345678', text: String.fromCharCode(...p.units), alphabet: 'ucs2', concat: p.concat, scts }),
  );
  const answers: Record<string, string> = { ...BASE, 'AT+CMGR=6': cmgr(pdus[1] as string), 'AT+CMGR=7': cmgr(pdus[1] as string) };
  const b = await boot(answers);
  const asked: string[] = [];
  let has = [{ id: `13912345678:8:${0x51}:2:${sentAt}`, text: TEXT }];
  b.driver.known = (prefix) => {
    asked.push(prefix);
    return has;
  };
  b.port.push('\r\n+CMTI: "SM",6\r\n');
  await settle(b.clock);
  t.same(asked, [`13912345678:8:${0x51}:2:`], 'asked by sender, reference and total');
  t.same(b.deleted(), [6], 'deleted at once');
  t.same(b.sms, [], 'not handed over again');
  // the same reference from the same sender, but a message the box has not got: kept, waiting
  has = [{ id: `13912345678:8:${0x51}:2:${sentAt - 3_600_000}`, text: TEXT }];
  b.port.push('\r\n+CMTI: "SM",7\r\n');
  await settle(b.clock);
  t.same(b.deleted(), [6], 'an hour apart: another message, its part waits for the rest');
  await b.driver.stop();
});
