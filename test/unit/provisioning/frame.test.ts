import { randomBytes } from 'node:crypto';
import t from 'tap';
import { cobsDecode, cobsEncode } from '../../../provisioning/src/protocol/cobs.js';
import { FrameDecoder, MAX_PAYLOAD, MSG, encodeFrame, frameBytes, parseFrame } from '../../../provisioning/src/protocol/frame.js';
import { asRequest, negotiateVersion, parseJsonObject } from '../../../provisioning/src/protocol/messages.js';

t.test('COBS round-trips every length around the 254-byte group edge, zeros and no zeros', (t) => {
  for (const len of [0, 1, 2, 253, 254, 255, 256, 508, 509, 1000]) {
    for (const fill of [0, 1, -1]) {
      const data = fill === -1 ? randomBytes(len) : Buffer.alloc(len, fill);
      const enc = cobsEncode(data);
      t.notOk(enc.includes(0), `len ${len} fill ${fill}: no zero byte`);
      t.same(Buffer.from(cobsDecode(enc) as Uint8Array), data, `len ${len} fill ${fill}`);
    }
  }
  t.equal(cobsDecode(Uint8Array.of(5, 1, 2)), null, 'a code past the end is refused');
  t.equal(cobsDecode(Uint8Array.of(0)), null, 'a zero inside is refused');
  t.end();
});

t.test('frame layout: version, type, request id, length, payload, CRC-32', (t) => {
  const bytes = Buffer.from(frameBytes({ type: MSG.REQUEST, reqId: 0x01020304, payload: Buffer.from('{}') }));
  t.same([...bytes.subarray(0, 10)], [1, 1, 1, 2, 3, 4, 0, 0, 0, 2]);
  t.equal(bytes.length, 16);
  const f = parseFrame(bytes);
  t.same(f, { type: MSG.REQUEST, reqId: 0x01020304, payload: Uint8Array.from(Buffer.from('{}')) });
  for (let i = 0; i < bytes.length; i++) {
    const bad = Buffer.from(bytes);
    bad[i] = (bad[i] as number) ^ 0x40;
    t.type(parseFrame(bad), 'string', `bit flip at byte ${i} is caught`);
  }
  t.equal(parseFrame(bytes.subarray(0, 12)), 'short');
  t.throws(() => frameBytes({ type: MSG.REQUEST, reqId: 1, payload: new Uint8Array(MAX_PAYLOAD + 1) }), RangeError);
  t.end();
});

t.test('decoder: byte by byte, in one chunk, with garbage between, resynchronizes', (t) => {
  const frames = [1, 2, 3].map((n) => ({ type: MSG.RESPONSE, reqId: n, payload: randomBytes(n * 300) }));
  const wire = Buffer.concat([
    randomBytes(50),
    ...frames.flatMap((f) => [Buffer.from(encodeFrame(f)), Buffer.from('garbage\x00\x07\x07')]),
  ]);
  const d1 = new FrameDecoder();
  const got1 = [...wire].flatMap((b) => d1.push(Uint8Array.of(b)));
  t.same(
    got1.map((f) => f.reqId),
    [1, 2, 3],
  );
  t.same(Buffer.from(got1[2]?.payload ?? []), frames[2]?.payload);
  const d2 = new FrameDecoder();
  t.same(
    d2.push(wire).map((f) => f.reqId),
    [1, 2, 3],
  );
  t.ok(d2.droppedTotal >= 2, 'garbage blocks counted');
  t.end();
});

t.test('decoder: a cut frame followed by a whole one yields only the whole one', (t) => {
  const a = Buffer.from(encodeFrame({ type: MSG.REQUEST, reqId: 7, payload: Buffer.from('{"op":"info"}') }));
  const b = Buffer.from(encodeFrame({ type: MSG.REQUEST, reqId: 8, payload: Buffer.from('{"op":"info"}') }));
  const d = new FrameDecoder();
  const got = d.push(Buffer.concat([a.subarray(0, a.length - 6), b]));
  t.same(
    got.map((f) => f.reqId),
    [8],
  );
  t.end();
});

t.test('decoder: an endless block without a delimiter is skipped, not buffered', (t) => {
  const d = new FrameDecoder();
  t.same(d.push(Buffer.alloc(200_000, 0x41)), []);
  t.equal(d.dropped.oversize, 1);
  const ok = encodeFrame({ type: MSG.REQUEST, reqId: 9, payload: Buffer.from('{}') });
  t.same(
    d.push(ok).map((f) => f.reqId),
    [9],
    'the next frame after a delimiter is found',
  );
  t.end();
});

t.test('decoder fuzz: random and mutated input never throws and never yields a frame that fails its CRC', (t) => {
  const d = new FrameDecoder();
  const base = Buffer.from(encodeFrame({ type: MSG.REQUEST, reqId: 42, payload: Buffer.from('{"op":"profile.apply"}') }));
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let delivered = 0;
  for (let i = 0; i < 3000; i++) {
    const m = Buffer.from(base);
    const flips = 1 + rnd(4);
    for (let k = 0; k < flips; k++) m[1 + rnd(m.length - 2)] = rnd(256);
    const chunk = rnd(5) === 0 ? randomBytes(rnd(400)) : m;
    for (const f of d.push(chunk)) {
      delivered++;
      t.equal(parseFrame(frameBytes(f)) !== null, true);
    }
  }
  t.ok(delivered < 30, `mutated frames delivered: ${delivered} (only mutations that leave the frame intact)`);
  t.same(
    d.push(base).map((f) => f.reqId),
    [42],
    'still decodes after the fuzz',
  );
  t.end();
});

t.test('messages: JSON object parsing, request shape, version negotiation', (t) => {
  t.same(parseJsonObject(Buffer.from('{"op":"x"}')), { op: 'x' });
  t.equal(parseJsonObject(Buffer.from('[1]')), null);
  t.equal(parseJsonObject(Buffer.from([0xff, 0xfe])), null);
  t.same(asRequest({ op: 'info' }), { op: 'info' });
  t.equal(asRequest({ op: 3 }), null);
  t.equal(asRequest({ op: 'x', args: [1] }), null);
  t.equal(negotiateVersion([1, 2, 9]), 1);
  t.equal(negotiateVersion([2, 3]), null);
  t.equal(negotiateVersion('1'), null);
  t.equal(negotiateVersion([1, 2], [1, 2]), 2);
  t.end();
});
