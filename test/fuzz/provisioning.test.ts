// Fuzz: the USB provisioning link — COBS, frames (encode → decode round trip, the streaming decoder
// over mutated and re-chunked wire bytes: never throws, never hands out a damaged frame), the JSON
// request bodies, version negotiation, the scrypt parameters the box announces (whatever parseKdf
// accepts, scrypt must accept) and file names for transfers.
import { scryptSync } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { cobsDecode, cobsEncode } from '../../provisioning/src/protocol/cobs.js';
import { encodeFrame, type Frame, FrameDecoder, frameBytes, MSG, parseFrame } from '../../provisioning/src/protocol/frame.js';
import { asRequest, negotiateVersion, parseJsonObject } from '../../provisioning/src/protocol/messages.js';
import { parseKdf } from '../../provisioning/src/protocol/session.js';
import { safeName } from '../../provisioning/src/protocol/transfer.js';
import { bounded, holds, mutationLoop, runs } from './fixtures/fuzz.js';

const frameArb = fc.record({
  type: fc.constantFrom(...Object.values(MSG)),
  reqId: fc.nat(0xffffffff),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.json().map((j) => new TextEncoder().encode(j)),
  ),
});
const same = (a: Frame, b: Frame) =>
  a.type === b.type && a.reqId === b.reqId && Buffer.compare(Buffer.from(a.payload), Buffer.from(b.payload)) === 0;

t.test('COBS and frames round trip; the decoder reassembles any chunking', (t) => {
  holds(
    t,
    'COBS round trip',
    fc.property(fc.uint8Array({ maxLength: 1200 }), (b) => {
      const enc = cobsEncode(b);
      if (enc.includes(0)) throw new Error('zero in a COBS block');
      const back = cobsDecode(enc);
      if (!back || Buffer.compare(Buffer.from(back), Buffer.from(b)) !== 0) throw new Error('COBS round trip');
    }),
    300,
  );
  holds(
    t,
    'frames through the decoder in random chunks',
    fc.property(fc.array(frameArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(4000), { maxLength: 6 }), (frames, cuts) => {
      const wire = Buffer.concat(frames.map((f) => encodeFrame(f)));
      const d = new FrameDecoder();
      const got: Frame[] = [];
      let prev = 0;
      for (const c of [...cuts.map((x) => x % (wire.length + 1)).sort((a, b) => a - b), wire.length]) {
        got.push(...d.push(wire.subarray(prev, Math.max(prev, c))));
        prev = Math.max(prev, c);
      }
      if (got.length !== frames.length || !got.every((g, i) => same(g, frames[i] as Frame))) throw new Error('frames lost or changed');
      if (d.droppedTotal !== 0) throw new Error('a good frame counted as dropped');
    }),
    200,
  );
  t.end();
});

t.test('decoder: mutated wire bytes give only intact frames, never a throw', (t) => {
  const good = [
    { type: MSG.REQUEST, reqId: 1, payload: new TextEncoder().encode('{"op":"hello","args":{"versions":[1]}}') },
    { type: MSG.SEALED, reqId: 7, payload: Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff) },
    { type: MSG.ERROR, reqId: 0xffffffff, payload: new TextEncoder().encode('{"code":"AUTH_FAILED","message":"x"}') },
  ];
  const samples = good.map((f) => encodeFrame(f));
  mutationLoop(t, 'FrameDecoder', samples, runs(1500), (b) => {
    for (const f of new FrameDecoder().push(b)) {
      // a frame handed out is whole: a known type and exactly the bytes that re-encode to it
      const again = parseFrame(frameBytes(f));
      if (typeof again === 'string' || !same(again, f)) throw new Error('a damaged frame was handed out');
    }
  });
  holds(
    t,
    'parseFrame on any bytes',
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => void bounded('parseFrame', b, () => parseFrame(b))),
    500,
  );
  holds(
    t,
    'cobsDecode on any bytes',
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void bounded('cobsDecode', b, () => cobsDecode(b))),
    500,
  );
  t.end();
});

t.test('messages: any payload bytes → an object or null, a request or null', (t) => {
  holds(
    t,
    'parseJsonObject/asRequest',
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      ),
      (b) =>
        bounded('asRequest', b, () => {
          const r = asRequest(parseJsonObject(b));
          if (r && (typeof r.op !== 'string' || (r.args !== undefined && (typeof r.args !== 'object' || Array.isArray(r.args)))))
            throw new Error(`bad request ${JSON.stringify(r)}`);
        }),
    ),
    500,
  );
  holds(
    t,
    'negotiateVersion',
    fc.property(fc.jsonValue(), (v) => {
      const got = negotiateVersion(v);
      if (got !== null && got !== 1) throw new Error(`version ${got}`);
    }),
    300,
  );
  t.end();
});

t.test('parseKdf: whatever it accepts, scrypt accepts; safeName never lets a path through', (t) => {
  const num = fc.oneof(
    fc.constantFrom('1024', '2048', '1', '16', '17', '4', '1.5', '2.5', '0', '-1', '1e3', ' 2', '0x10', ''),
    fc.integer().map(String),
  );
  const kdf = fc
    .tuple(
      fc.oneof(fc.constantFrom('1024', '16384', '262144'), num),
      num,
      num,
      fc.oneof(fc.uint8Array({ minLength: 8, maxLength: 64 }), fc.uint8Array({ maxLength: 70 })),
      fc.option(fc.uint8Array({ minLength: 31, maxLength: 33 })),
    )
    .map(([N, r, p, salt, hash]) =>
      ['scrypt', N, r, p, Buffer.from(salt).toString('base64'), ...(hash ? [Buffer.from(hash).toString('base64')] : [])].join('$'),
    );
  holds(
    t,
    'parseKdf → scrypt',
    fc.property(fc.oneof(kdf, fc.string({ maxLength: 80 })), (text) => {
      const k = bounded('parseKdf', text, () => parseKdf(text));
      // N is capped at 2^18 by parseKdf; check with the smallest cost the parameters allow
      if (k) scryptSync('123456', k.salt, 32, { N: 1024, r: k.r, p: k.p, maxmem: 256 * 1024 * k.r * 2 });
      if (k && (!Number.isInteger(k.N) || !Number.isInteger(k.r) || !Number.isInteger(k.p))) throw new Error(`non-integer cost ${text}`);
    }),
    500,
  );
  holds(
    t,
    'safeName',
    fc.property(
      fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('../etc/passwd', 'a/../b', '.env', 'a\\b', 'ok.txt', 'x\0y')),
      (n) => {
        const s = safeName(n);
        if (s !== null && (/[/\\\0]/.test(s) || s.startsWith('.') || s.includes('..'))) throw new Error(`unsafe name passed: ${s}`);
      },
    ),
    500,
  );
  t.end();
});
