// SMS out from the whole box through the modem simulator over a socat pty (the real serialport
// binding): the modem named in the config (hardware.modem), a message about a ticket queued by the
// service goes out with AT+CMGS in UCS2 PDU mode, is linked to the ticket and noted on it; a
// message the network refuses three times (the driver's own resends) is retried by the outbox 30 s
// later and goes out; the network's delivery reports (+CDS) make a message delivered (noted on its
// ticket) or not delivered. Virtual time for the box, real time for the serial line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import type { SmsMessage } from '../../firmware/src/sms/types.js';
import { virtualBox } from '../helpers/box.js';
import { sleep } from '../helpers/wait.js';
import { FakeModem } from './fixtures/fake-modem.js';
import { SocatPair } from './fixtures/socat-pty.js';

/** The UCS2 user data of a text as it appears in a PDU (big-endian hex). */
const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase();

t.test('hardware.modem in the config: SMS about a ticket out through AT+CMGS, retried by the outbox', async (t) => {
  const pty = new SocatPair();
  await pty.start();
  const modem = new FakeModem({ model: 'EC25' });
  await modem.open(pty.modemPath);
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-sms-'));
  const config = defaultConfig();
  config.hardware.modem = { path: pty.boxPath, baudRate: 115200 };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  const vb = await virtualBox({ dataDir, env: {} });
  t.teardown(async () => {
    await vb.close();
    await modem.close();
    await pty.dispose();
  });
  const { box, clock } = vb;
  /** Virtual time moves `step` ms per ~`nap` ms of real time while the pty carries bytes (AT timeouts are ≥ 2 s). */
  const pump = async (what: string, pred: () => boolean, realMs = 15_000, step = 20, nap = 10) => {
    const end = Date.now() + realMs;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await clock.run(step);
      await sleep(nap);
    }
  };
  const gsm = box.channels().find((c) => c.id === 'gsm1');
  t.equal(gsm?.constructor.name, 'ModemChannel', 'gsm1 is the modem named in the config');
  await pump('modem ready', () => gsm?.state === 'idle');

  const sms = box.service.sms;
  const sent = (id: string): SmsMessage | null => sms.get(SYSTEM_ACTOR, id) as SmsMessage | null;
  const customer = box.service.customers.create(SYSTEM_ACTOR, { name: '陈先生', phones: ['13512345678'] });
  const ticket = box.service.tickets.create(SYSTEM_ACTOR, { subject: '快递没到', customerId: customer.id, phone: '13512345678' });
  const agent = { username: 'agent1', role: 'agent' as const };
  const text = '您好，您的快递已重新发出，单号 SF1234567890。';
  const queued = sms.send(agent, { ticketId: ticket.id, text });
  t.match(queued, { status: 'queued', to: '135****5678', customerId: customer.id });
  await pump('sent', () => ['sent', 'delivered'].includes(sent(queued.id)?.status ?? ''));
  t.equal(modem.sentPdus.length, 1);
  t.match(modem.sentPdus[0], /^0031000B813115325476F80008/, 'SMS-SUBMIT to 13512345678 in UCS2, delivery report asked');
  t.ok(modem.sentPdus[0]?.endsWith(ucs2(text)), 'the text in the PDU');
  const detail = box.service.tickets.detail(SYSTEM_ACTOR, ticket.id);
  t.match(detail?.links, [{ kind: 'sms', refId: queued.id }]);
  t.ok(detail?.notes.some((n) => /SMS sent \(agent1\)/.test(n.body)));
  // The fake network's report (+CDS, by TP-MR) makes it delivered and notes the ticket.
  await pump('delivered', () => sent(queued.id)?.status === 'delivered');
  t.match(sent(queued.id), { deliveredAt: '2026-11-27T04:34:05.000Z', delivery: [{ part: 1, status: 'delivered' }] });
  t.match(box.service.tickets.detail(SYSTEM_ACTOR, ticket.id)?.notes.at(-1)?.body, /短信已送达 \/ SMS delivered/);

  modem.smsFailures = 3;
  const second = sms.send(SYSTEM_ACTOR, { to: '10086', text: 'CXLL' });
  const firstTry = () => sent(second.id)?.attempts === 1 && sent(second.id)?.lastError !== null;
  await pump('first try failed', firstTry, 30_000, 100, 10);
  t.match(sent(second.id), { lastError: 'SMS part 1/1 to 10086 failed: AT+CMGS: network timeout' });
  t.equal(modem.sentPdus.length, 1, 'nothing went out');
  await pump('retried and sent', () => sent(second.id)?.status === 'sent', 30_000, 200, 15);
  t.match(sent(second.id), { attempts: 2, parts: 1 });
  t.equal(modem.sentPdus.length, 2);

  modem.o.deliveryStatus = [0x46];
  const third = sms.send(SYSTEM_ACTOR, { to: '13512345678', text: '取件码 8848' });
  await pump('not delivered', () => sent(third.id)?.status === 'failed', 30_000, 100, 10);
  t.match(sent(third.id), { lastError: 'not delivered: validity period expired', attempts: 1 });
});
