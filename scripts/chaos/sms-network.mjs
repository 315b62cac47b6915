// The GSM side of the crash harness: a socat pty pair with the test suite's fake modem
// (test/integration/fixtures/fake-modem.ts, bundled with esbuild at start, no tsx at run time) on
// the far end, living in the harness so that it and its SIM outlive every killed box; the box
// opens the near end (CALLBOX_MODEM) at each start. The fake network texts the shop from a pool of
// customers (Chinese UCS2 and GSM 7-bit, some long in 2-3 parts, a part now and then arriving while
// the box is down): each message is stored on a 30-place SIM and announced with +CMTI. A message
// counts as acknowledged when the box deletes (AT+CMGD) any part of it. Outbound: POST /api/v1/sms
// → 202, acknowledged with its id. Every text carries a unique tag (#c12# in, #o12# out) the
// checks (sms-checks.mjs) look for in the database and in what the modem sent.
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleSources } from '../lib/bundle-sources.mjs';

const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
const pick = (a) => a[Math.floor(Math.random() * a.length)];

/** The fake modem, the pty pair, the PDU builder and the box's own decoder (for the message ids). */
function loadRig() {
  return bundleSources(
    {
      'test/integration/fixtures/fake-modem.ts': ['FakeModem'],
      'test/integration/fixtures/socat-pty.ts': ['SocatPair'],
      'test/unit/atmodem/fixtures/deliver.ts': ['deliverPdu'],
      'hal/src/drivers/atmodem/pdu.ts': ['decodeDeliver'],
      'hal/src/drivers/atmodem/sms-concat.ts': ['SmsAssembler'],
    },
    { name: 'chaos-sms-rig', external: true },
  );
}

/** SCTS semi-octets of a time in China (UTC+8, 32 quarter hours). */
function scts(ms) {
  const d = new Date(ms + 8 * 3600_000);
  const f = [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 32];
  return f.map((n) => String(n).padStart(2, '0').split('').reverse().join('')).join('');
}

const SHORT_ZH = [
  '你好，我的快递还没到，麻烦查一下',
  '茶叶收到了，包装破损，要求换货',
  '请问排毒养颜茶孕妇能喝吗',
  '防伪码查不到，是不是假货',
];
const LONG_ZH =
  '您好，我上周在你们直播间买了两盒诗莉薇排毒养颜茶，今天收到货发现其中一盒的包装破了，里面的茶包也受潮结块了，' +
  '我已经拍了照片，想问一下是换货还是退款，快递员说要你们这边先登记售后单才能上门取件，麻烦尽快处理，谢谢。';
const SHORT_EN = ['Order 42 not arrived yet, please check', 'Please call me back after 6pm', 'STOP ads thanks'];
const LONG_EN =
  'Hello, I bought two boxes of the detox tea last week and one arrived with the seal broken. I would like an exchange ' +
  'rather than a refund, and the courier says you have to open the after-sales request first. Could you also tell me ' +
  'whether the second box is safe to drink? Thank you very much.';

/** Splits a text into parts of `per` characters (UCS2: 67, GSM 7-bit: 153 with an 8-bit reference). */
function chunks(text, per) {
  const out = [];
  for (let i = 0; i < text.length; i += per) out.push(text.slice(i, i + per));
  return out;
}

export async function startSmsNetwork({ customers = 40, slots = 30 } = {}) {
  const rig = await loadRig();
  const pty = new rig.SocatPair({ prefix: 'callbox-chaos-pty-' });
  await pty.start();
  // socat goes with the harness, however it ends
  process.on('exit', () => pty.proc?.kill('SIGTERM'));
  const modem = new rig.FakeModem({ model: 'EC25', simSlots: slots });
  await modem.open(pty.modemPath);

  const senders = Array.from({ length: customers }, (_, i) => ({ from: `+86139${String(10_000_000 + i * 7919).slice(-8)}`, ref: i * 37 }));
  /** Every message the network sent or is sending: { tag, id, from, text, pdus, partsStored, ackedAt }. */
  const messages = [];
  const byPdu = new Map();
  let pending = [];
  let seq = 0;
  const deletes = { parts: 0, unread: 0, unknown: 0 };
  /** Which box is running (boxStarted, boxKilled): what happens to a part names it and how long after its spawn. */
  const current = { box: 0, since: Date.now(), killed: false };
  const when = () => `box ${current.box}${current.killed ? ' (killed)' : ''} +${Date.now() - current.since} ms`;
  modem.onDelete = (index, pdu, read) => {
    const m = byPdu.get(pdu);
    if (!m) {
      deletes.unknown++;
      return;
    }
    deletes.parts++;
    m.deletedParts++;
    // deleted without the modem ever handing it over: the last AT commands, to see how
    const log = m.partLog[m.pdus.indexOf(pdu)];
    log.deleted = `${when()} (SIM ${index}${read ? '' : ', never read'})`;
    if (!read) {
      deletes.unread++;
      log.commands = modem.commands.slice(-16);
    }
    if (m.ackedAt !== null) return;
    m.ackedAt = Date.now();
    m.deleted = when();
    pending.push({ kind: 'smsIn', id: m.id, tag: m.tag, deleted: m.deleted });
  };

  /** One message: its PDUs (parts) and the id the box's decoder gives it. */
  const compose = () => {
    const s = pick(senders);
    const tag = `#c${++seq}#`;
    const zh = Math.random() < 0.7;
    const long = Math.random() < 0.3;
    const text = `${tag} ${zh ? (long ? LONG_ZH : pick(SHORT_ZH)) : long ? LONG_EN : pick(SHORT_EN)}`;
    const alphabet = zh ? 'ucs2' : 'gsm7';
    const single = zh ? text.length <= 70 : text.length <= 160;
    const at = scts(Date.now());
    let pdus;
    if (single) pdus = [rig.deliverPdu({ from: s.from, text, alphabet, scts: at })];
    else {
      s.ref = (s.ref + 1) & 0xff;
      const parts = chunks(text, zh ? 67 : 153);
      pdus = parts.map((p, k) =>
        rig.deliverPdu({ from: s.from, text: p, alphabet, scts: at, concat: { ref: s.ref, total: parts.length, seq: k + 1, refBits: 8 } }),
      );
    }
    const asm = new rig.SmsAssembler();
    let whole = null;
    for (const p of pdus) whole = asm.add(rig.decodeDeliver(p), 0) ?? whole;
    if (!whole || whole.text !== text) throw new Error(`the box's decoder reads ${tag} as ${JSON.stringify(whole?.text)}`);
    const m = {
      tag,
      id: whole.id,
      from: s.from,
      text,
      pdus,
      partsStored: 0,
      deletedParts: 0,
      ackedAt: null,
      deleted: null,
      partLog: pdus.map(() => ({})),
    };
    for (const p of pdus) byPdu.set(p, m);
    messages.push(m);
    return m;
  };

  /** Stores a part on the SIM (+CMTI); a full SIM makes the network try again a little later. */
  const deliverPart = async (m, k) => {
    while (!modem.receiveSms(m.pdus[k])) await sleep(200);
    m.partsStored++;
    m.partLog[k].stored = when();
  };

  let stopped = false;
  const inFlight = new Set();
  /** Customers text the shop until stop(); a long message's parts come 50-800 ms apart, all of them even after stop. */
  const inbound = (async () => {
    while (!stopped) {
      const m = compose();
      const job = (async () => {
        for (let k = 0; k < m.pdus.length; k++) {
          if (k > 0) await sleep(rand(50, 800));
          await deliverPart(m, k);
        }
      })();
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
      await sleep(rand(150, 600));
    }
    await Promise.all(inFlight);
  })();

  return {
    boxPath: pty.boxPath,
    modem,
    messages,
    deletes,
    /** A box process is being spawned (the harness calls it before each start). */
    boxStarted() {
      current.box++;
      current.since = Date.now();
      current.killed = false;
    },
    boxKilled() {
      current.killed = true;
    },
    /** The parts still on the SIM: { index, tag, part, parts, log } (the history of every part of its message). */
    leftOnSim() {
      return modem.storedSms().map(({ index, pdu }) => {
        const m = byPdu.get(pdu);
        return m ? { index, tag: m.tag, id: m.id, part: m.pdus.indexOf(pdu) + 1, parts: m.pdus.length, log: m.partLog } : { index, pdu };
      });
    },
    /** The inbound messages acknowledged (a part deleted from the SIM) since the last call. */
    takeAcks() {
      const out = pending;
      pending = [];
      return out;
    },
    /** Stops the customers (every part of a message begun is still delivered). */
    async stopInbound() {
      stopped = true;
      await inbound;
    },
    /** How many texts the modem sent (SMS-SUBMIT parts) carry `tag`: each part of one message holds it once at most. */
    sentCount(tag) {
      const hex = [...tag].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()).join('');
      return modem.sentPdus.filter((p) => p.toUpperCase().includes(hex)).length;
    },
    async close() {
      stopped = true;
      await modem.close();
      await pty.dispose();
    },
  };
}

/** POST /api/v1/sms until stop(): Chinese texts to customers, some long (2-3 parts); each 202 is acknowledged as { kind: 'smsOut', id, tag }. */
export function runSmsOut(box, acked, counter) {
  let stopped = false;
  const one = async () => {
    const tag = `#o${++counter.n}#`;
    const text =
      Math.random() < 0.3
        ? `${tag} 您好，您的退换货申请已受理，快递员明天上午会上门取件，请把破损的那盒茶连同外包装一起交给快递员，新的一盒会在收到退货后两天内寄出，有问题请回复本短信。`
        : `${tag} 您的订单已发货，顺丰单号 SF${rand(1_000_000_000, 9_999_999_999)}`;
    try {
      const r = await fetch(`${box.url}/api/v1/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${box.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: `1${rand(30, 89)}${String(rand(0, 99_999_999)).padStart(8, '0')}`, text }),
      });
      const body = await r.text();
      if (r.status === 202) acked.push({ kind: 'smsOut', id: JSON.parse(body).id, tag });
    } catch {
      // killed mid-request: not acknowledged
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await one();
      await sleep(rand(150, 500));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}
