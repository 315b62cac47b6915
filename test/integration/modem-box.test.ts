// The contract of issue 8 with the whole box: CALLBOX_MODEM points at a pty with a fake EC25 on
// the other end; gsm1 is the real atmodem driver, everything else the sim driver. An incoming
// RING + +CLIP follows the configured IVR (digit by +QTONEDET), reaches an agent and ends in a
// call record with the caller's number; an SMS in Chinese becomes a ticket. Virtual time for the
// box, real time for the serial line: the test moves the clock in small steps while bytes flow.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import { virtualBox } from '../helpers/box.js';
import { sleep } from '../helpers/wait.js';
import { deliverPdu } from '../unit/atmodem/fixtures/deliver.js';
import { openModemBox } from './fixtures/modem-box.js';

t.test('CALLBOX_MODEM: RING + CLIP → IVR → agent → call record with the number; SMS → ticket', async (t) => {
  const { box, clock, modem, pump } = await openModemBox(t, { model: 'EC25' });
  const gsm = box.channels().find((c) => c.id === 'gsm1');
  t.ok(gsm && gsm.constructor.name === 'ModemChannel', 'gsm1 is the modem');
  t.equal(box.channels().filter((c) => c.id === 'fxo1').length, 1, 'the other ports stay simulated');
  await pump('modem ready', () => gsm?.state === 'idle');
  const health = box.service.health();
  t.match(
    health.channels?.find((c: { id: string }) => c.id === 'gsm1'),
    { id: 'gsm1', kind: 'gsm', state: 'idle' },
  );

  box.service.sim?.setAgentSettings({ answerAfterS: 2, talkS: 5 });
  modem.incomingCall('+8613512345678');
  await pump('IVR', () => box.service.calls.list({ limit: 5 })[0]?.state === 'ivr');
  t.equal(modem.callState?.stat, 0, 'the box answered with ATA');
  for (let i = 0; i < 100; i++) await clock.run(20).then(() => sleep(2));
  modem.pressDigit('1');
  await pump('talking', () => box.service.calls.list({ limit: 5 })[0]?.state === 'talking');
  await pump('ended', () => box.service.calls.list({ limit: 5 })[0]?.state === 'ended');
  const cdr = box.service.calls.list({ limit: 5 })[0];
  t.match(cdr, { callerId: '+8613512345678', direction: 'inbound', outcome: 'answered', ivrPath: '1', queue: 'main' });
  t.same(
    cdr?.legs.map((l) => l.channel),
    ['gsm1', 'fxs1'],
  );
  await pump('modem hung up', () => modem.callState === null);
  t.ok(modem.commands.includes('AT+CHUP'), 'the box hung up the modem call');

  modem.receiveSms(deliverPdu({ from: '+8613900001111', text: '你好，我的快递还没到，订单号 20261127-42', alphabet: 'ucs2' }));
  const tickets = () => box.backOffice.tickets.search(SYSTEM_ACTOR, {}).items;
  await pump('ticket', () => tickets().length > 0);
  t.match(tickets()[0], { source: 'sms' });
  t.match(JSON.stringify(tickets()[0]), /我的快递还没到/);
});

t.test('SMS that waited on the SIM while the box was down become tickets at start, then leave the SIM', async (t) => {
  // regression: the box listened for SMS only after the driver had started, and the modem's start
  // reads the SIM (AT+CMGL): those messages went to no one, were deleted from the SIM and lost
  const texts = ['周末营业吗？', '上次买的茶叶还有货吗，想再要两盒'];
  const onSim = texts.map((text, i) => deliverPdu({ from: `+861390000${2000 + i}`, text, alphabet: 'ucs2' }));
  const { box, modem, pump } = await openModemBox(t, { model: 'EC25' }, { onSim });
  const tickets = () => box.backOffice.tickets.search(SYSTEM_ACTOR, {}).items;
  await pump('tickets', () => tickets().length === 2);
  t.same(
    tickets().map((x) => texts.some((text) => JSON.stringify(x).includes(text))),
    [true, true],
    'each text on a ticket',
  );
  await pump('SIM emptied', () => modem.storedCount() === 0);
  t.ok(modem.commands.includes('AT+CMGL=4'), 'read at start with AT+CMGL');
});

t.test('SMS tickets off: a received SMS is still kept (the inbox), once, then leaves the SIM', async (t) => {
  // regression: with SMS tickets off the message went nowhere, and the modem deleted it from the SIM
  const { box, modem, pump } = await openModemBox(t, { model: 'EC25' });
  box.backOffice.tickets.updateSettings(SYSTEM_ACTOR, { smsTickets: false });
  await pump('modem ready', () => box.channels().find((c) => c.id === 'gsm1')?.state === 'idle');
  modem.receiveSms(deliverPdu({ from: '+8613900003333', text: '明天几点开门？', alphabet: 'ucs2' }));
  const inbox = () => box.service.sms.list(SYSTEM_ACTOR, { direction: 'in' });
  await pump('in the inbox', () => inbox().total > 0);
  await pump('SIM emptied', () => modem.storedCount() === 0);
  t.match(inbox(), {
    total: 1,
    unread: 1,
    messages: [{ direction: 'in', from: '+8613900003333', text: '明天几点开门？', ticketId: null }],
  });
  t.equal(box.backOffice.tickets.search(SYSTEM_ACTOR, {}).total, 0, 'no ticket: they are off');
});

t.test('an SMS the inbox could not store stays on the SIM, is listed again while the box runs, and stored', async (t) => {
  const { box, modem, pump, dataDir } = await openModemBox(t, { model: 'EC25' });
  await pump('modem ready', () => box.channels().find((c) => c.id === 'gsm1')?.state === 'idle');
  // the storage refuses the inbox's insert (as a full or failing disk would), from a second connection
  const db = new Database(join(dataDir, 'callbox.db'));
  t.teardown(() => db.close());
  db.exec(`CREATE TRIGGER no_inbox BEFORE INSERT ON sms_received BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
  modem.receiveSms(deliverPdu({ from: '+8613900004444', text: '第一条：存不进去', alphabet: 'ucs2' }));
  const read = () => modem.commands.filter((c) => c.startsWith('AT+CMGR')).length;
  await pump('read from the SIM', () => read() === 1);
  const later = Date.now() + 1500;
  await pump('a while', () => Date.now() > later); // the box's time moves on meanwhile
  t.equal(modem.storedCount(), 1, 'not deleted: the box could not store it');
  t.notOk(
    modem.commands.some((c) => c.startsWith('AT+CMGD')),
    'no AT+CMGD',
  );
  db.exec('DROP TRIGGER no_inbox');
  modem.receiveSms(deliverPdu({ from: '+8613900004444', text: '第二条', alphabet: 'ucs2' }));
  const inbox = () => box.service.sms.list(SYSTEM_ACTOR, { direction: 'in' });
  await pump('the second stored', () => inbox().total === 1);
  await pump('the second deleted', () => modem.storedCount() === 1 && modem.commands.some((c) => c.startsWith('AT+CMGD')));
  t.match(inbox().messages, [{ text: '第二条' }]);
  t.match(modem.storedSms(), [{ pdu: /./ }], 'the first still on the SIM');
  // before: it waited for the next start; now the SIM is listed again 30 s (of the box's time) later
  await pump('the first stored after all', () => inbox().total === 2, 40_000);
  await pump('the SIM emptied', () => modem.storedCount() === 0);
  t.ok(modem.commands.filter((c) => c === 'AT+CMGL=4').length >= 2, 'listed again with AT+CMGL');
  t.same(
    inbox()
      .messages.map((m) => m.text)
      .sort(),
    ['第一条：存不进去', '第二条'].sort(),
    'both kept',
  );
});

t.test('a part of a long SMS the box already has, left on the SIM (killed between two AT+CMGD), is deleted at once', async (t) => {
  const { box, modem, pump } = await openModemBox(t, { model: 'EC25', simSlots: 30 });
  await pump('modem ready', () => box.channels().find((c) => c.id === 'gsm1')?.state === 'idle');
  const text =
    '您好，我上周在你们直播间买了两盒排毒养颜茶，今天收到货发现其中一盒的包装破了，里面的茶包也受潮结块了，想问一下是换货还是退款。快递员说要你们这边先登记售后单才能上门取件，麻烦尽快处理，谢谢。';
  const halves = [text.slice(0, 67), text.slice(67)];
  t.ok((halves[1] as string).length > 10, 'two real parts');
  const pdus = halves.map((h, k) =>
    deliverPdu({ from: '+8613900005555', text: h, alphabet: 'ucs2', concat: { ref: 42, total: 2, seq: k + 1, refBits: 8 } }),
  );
  for (const p of pdus) modem.receiveSms(p);
  const inbox = () => box.service.sms.list(SYSTEM_ACTOR, { direction: 'in' });
  await pump('stored', () => inbox().total === 1);
  await pump('SIM emptied', () => modem.storedCount() === 0);
  modem.receiveSms(pdus[1] as string); // the part a killed box did not get to delete
  await pump(
    'the leftover part deleted',
    () => modem.storedCount() === 0 && modem.commands.filter((c) => c.startsWith('AT+CMGD')).length === 3,
  );
  t.equal(inbox().total, 1, 'no second, incomplete copy');
  t.equal(inbox().messages[0]?.text, text);
  t.equal(box.backOffice.tickets.search(SYSTEM_ACTOR, {}).total, 1, 'one ticket');
});

t.test('CALLBOX_MODEM with no SIM: gsm1 is in error with the reason, health is degraded, the rest works', async (t) => {
  const { box } = await openModemBox(t, { model: 'SIM800', sim: 'absent' }, { env: { CALLBOX_MODEM_BAUD: '115200' } });
  const health = box.service.health();
  t.equal(health.status, 'degraded');
  t.match(
    health.channels.find((c) => c.id === 'gsm1'),
    { state: 'error', reason: /no SIM card \(SIM not inserted\)/ },
  );
  t.equal(health.channels.find((c) => c.id === 'fxo1')?.state, 'idle');
  t.notOk('reason' in (health.channels.find((c) => c.id === 'fxo1') ?? {}));
});

t.test('bad CALLBOX_MODEM_BAUD refuses to start with a clear error', async (t) => {
  await t.rejects(
    virtualBox({ env: { CALLBOX_MODEM: '/dev/null-modem', CALLBOX_MODEM_BAUD: 'fast' } }),
    /CALLBOX_MODEM_BAUD must be one of/,
  );
});
