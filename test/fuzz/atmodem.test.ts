// Fuzz: the GSM modem's byte stream → lines (AtLineSplitter), lines → URCs (parseUrc), SMS-DELIVER
// PDUs (decodeDeliver), SMS-STATUS-REPORT PDUs (decodeStatusReport) and the GSM 7-bit septet codec. Random and mutated input never crashes or
// hangs; a PDU either decodes or is refused with a plain Error naming what is wrong; round trips
// (fixture-built DELIVER → decoder, septet pack → unpack) hold as properties.
import fc from 'fast-check';
import t from 'tap';
import { AtLineSplitter, MAX_LINE } from '../../hal/src/drivers/atmodem/at-lines.js';
import { parseUrc } from '../../hal/src/drivers/atmodem/at-urc.js';
import { fromSeptets, packSeptets, toSeptets, unpackSeptets } from '../../hal/src/drivers/atmodem/gsm7.js';
import { bytesToHex, decodeDeliver, hexToBytes } from '../../hal/src/drivers/atmodem/pdu.js';
import { decodeStatusReport } from '../../hal/src/drivers/atmodem/sms-report.js';
import { deliverPdu } from '../unit/atmodem/fixtures/deliver.js';
import { statusReportPdu } from '../unit/atmodem/fixtures/status-report.js';
import { bounded, holds, mutationLoop, runs } from './fixtures/fuzz.js';

const enc = new TextEncoder();
const URC_SAMPLES = [
  'RING',
  '+CLIP: "13800138000",129,"",0,"",0',
  '+CMTI: "SM",3',
  '+CMT: ,24',
  '+CDS: 25',
  '+CDSI: "SR",2',
  '+CREG: 1,5',
  '+CEREG: 2,1,"1A2B","01C2D3E4",7',
  '+CPIN: READY',
  '+QTONEDET: 49',
  '+DTMF: 5',
  '+CLCC: 1,1,4,0,0,"13800138000",129',
  'NO CARRIER',
  '^SYSSTART',
  '> ',
];

function splitAll(chunks: Uint8Array[]): string[] {
  const s = new AtLineSplitter();
  const out: string[] = [];
  for (const c of chunks) for (const tok of s.push(c)) out.push(tok.kind === 'line' ? `L:${tok.text}` : 'P');
  return out;
}

t.test('line splitter: any bytes in any chunking give the same lines, none with CR/LF or over MAX_LINE', (t) => {
  holds(
    t,
    'splitter chunking',
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 8 }), (bytes, cuts) => {
      const whole = bounded('AtLineSplitter', bytes, () => splitAll([bytes]));
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let prev = 0;
      for (const p of [...points, bytes.length]) {
        chunks.push(bytes.subarray(prev, p));
        prev = p;
      }
      const pieces = splitAll(chunks);
      // the splitter buffers bytes (not text), so where the chunks end never matters
      if (JSON.stringify(whole) !== JSON.stringify(pieces)) throw new Error(`chunking changed the lines: ${bytesToHex(bytes)}`);
      for (const line of whole) if (/[\r\n]/.test(line) || enc.encode(line).length > MAX_LINE + 4) throw new Error(`bad line ${line}`);
    }),
    300,
  );
  const long = new Uint8Array(3 * MAX_LINE).fill(0x41);
  t.ok(splitAll([long]).length >= 2, 'an overlong line is cut');
  t.end();
});

t.test('parseUrc: never throws on any line (structured and byte-mutated)', (t) => {
  const line = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .tuple(
        fc.constantFrom(...URC_SAMPLES.map((s) => s.split(':')[0] as string)),
        fc.array(fc.oneof(fc.string(), fc.integer().map(String)), { maxLength: 8 }),
      )
      .map(([head, ps]) => `${head}: ${ps.map((p, i) => (i % 2 ? `"${p}"` : p)).join(',')}`),
  );
  holds(
    t,
    'parseUrc structured',
    fc.property(line, (l) => {
      const u = bounded('parseUrc', l, () => parseUrc(l));
      if (typeof u?.type !== 'string') throw new Error(`no URC type for ${JSON.stringify(l)}`);
    }),
    500,
  );
  mutationLoop(
    t,
    'splitter+parseUrc',
    URC_SAMPLES.map((s) => enc.encode(`${s}\r\n`)),
    runs(1000),
    (bytes) => {
      for (const tok of new AtLineSplitter().push(bytes)) if (tok.kind === 'line') parseUrc(tok.text);
    },
  );
  t.end();
});

const gsmChar = fc.constantFrom(
  ...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€'.split(''),
);
const concat = fc.option(
  fc
    .record({ refBits: fc.constantFrom(8 as const, 16 as const), ref: fc.nat(255), total: fc.integer({ min: 1, max: 255 }), seq: fc.nat() })
    .map((c) => ({
      ...c,
      ref: c.refBits === 16 ? c.ref * 257 : c.ref,
      seq: 1 + (c.seq % c.total),
    })),
  { nil: null },
);
const deliverSpec = fc.oneof(
  fc.record({
    from: fc.oneof(fc.stringMatching(/^\+?[0-9]{1,15}$/), fc.constantFrom('10086', 'Taobao', 'JD')),
    text: fc.array(gsmChar, { maxLength: 140 }).map((a) => a.join('')),
    alphabet: fc.constant('gsm7' as const),
    concat,
  }),
  fc.record({
    from: fc.stringMatching(/^\+?[0-9]{1,15}$/),
    text: fc.string({ unit: fc.constantFrom(...'您好订单查询已发货退款客服谢谢ABC123，。！'.split('')), maxLength: 60 }),
    alphabet: fc.constant('ucs2' as const),
    concat,
  }),
);

t.test('PDU: a DELIVER built from its parts decodes back to them', (t) => {
  holds(
    t,
    'DELIVER round trip',
    fc.property(deliverSpec, (spec) => {
      const hex = deliverPdu(spec);
      const m = bounded('decodeDeliver', hex, () => decodeDeliver(hex));
      if (m.text !== spec.text || m.alphabet !== spec.alphabet)
        throw new Error(`text/alphabet: ${JSON.stringify(m)} vs ${JSON.stringify(spec)}`);
      if (/^\+?[0-9]+$/.test(spec.from) && m.from !== spec.from) throw new Error(`from ${m.from} vs ${spec.from}`);
      const c = m.concat;
      const want = spec.concat;
      if (want ? !c || c.ref !== want.ref || c.total !== want.total || c.seq !== want.seq || c.refBits !== want.refBits : c !== null)
        throw new Error(`concat ${JSON.stringify(m.concat)}`);
    }),
    300,
  );
  t.end();
});

function decodeOrRefuse(hex: string): void {
  try {
    const m = decodeDeliver(hex);
    if (typeof m.text !== 'string' || typeof m.from !== 'string') throw new TypeError('decoded without text or sender');
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || !e.message) throw e;
  }
}

t.test('PDU: random and mutated PDUs decode or are refused with a plain Error', (t) => {
  holds(
    t,
    'random PDU bytes',
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => bounded('decodeDeliver', b, () => decodeOrRefuse(bytesToHex(b)))),
    500,
  );
  holds(
    t,
    'random PDU text',
    fc.property(fc.string({ maxLength: 80 }), (s) => bounded('decodeDeliver', s, () => decodeOrRefuse(s))),
    200,
  );
  const samples = [
    '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
    deliverPdu({ from: '+8613512345678', text: '订单查询', alphabet: 'ucs2', concat: { ref: 0xa5, total: 3, seq: 2, refBits: 8 } }),
    deliverPdu({ from: '10086', text: 'Balance {low} €5', alphabet: 'gsm7', concat: { ref: 0x1234, total: 2, seq: 1, refBits: 16 } }),
    deliverPdu({ from: 'Taobao', text: 'Your code 1234', alphabet: 'gsm7' }),
  ].map((h) => hexToBytes(h));
  mutationLoop(t, 'decodeDeliver', samples, runs(1000), (b) => decodeOrRefuse(bytesToHex(b)));
  t.end();
});

function reportOrRefuse(hex: string): void {
  try {
    const r = decodeStatusReport(hex);
    const bad = !Number.isInteger(r.ref) || r.ref < 0 || r.ref > 255 || !Number.isFinite(r.at) || !Number.isFinite(r.submittedAt);
    if (bad || !['delivered', 'pending', 'failed'].includes(r.status)) {
      throw new TypeError(`decoded a bad report ${JSON.stringify(r)}`);
    }
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || !e.message) throw e;
  }
}

t.test('status reports: random and mutated SMS-STATUS-REPORT PDUs decode or are refused with a plain Error', (t) => {
  holds(
    t,
    'random report bytes',
    fc.property(fc.uint8Array({ maxLength: 60 }), (b) => bounded('decodeStatusReport', b, () => reportOrRefuse(bytesToHex(b)))),
    500,
  );
  const samples = [
    '0006000B910221815716F2709021510121807090215101718000',
    statusReportPdu({ ref: 42, to: '+8613800138000', st: 0 }),
    statusReportPdu({ ref: 255, to: '10086', st: 0x46 }),
  ].map((h) => hexToBytes(h));
  mutationLoop(t, 'decodeStatusReport', samples, runs(1000), (b) => reportOrRefuse(bytesToHex(b)));
  t.end();
});

t.test('GSM 7-bit: pack → unpack and text → septets → text round trip', (t) => {
  holds(
    t,
    'septet pack round trip',
    fc.property(fc.array(fc.nat(127), { maxLength: 200 }), fc.nat(6), (codes, fill) => {
      const back = unpackSeptets(packSeptets(codes, fill), codes.length, fill);
      if (JSON.stringify(back) !== JSON.stringify(codes)) throw new Error(`septets ${codes} fill ${fill}`);
    }),
    300,
  );
  holds(
    t,
    'GSM text round trip',
    fc.property(fc.array(gsmChar, { maxLength: 160 }), (chars) => {
      const text = chars.join('');
      if (fromSeptets(toSeptets(text)) !== text) throw new Error(`text ${text}`);
    }),
    300,
  );
  t.end();
});
