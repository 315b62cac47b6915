// RTP: packet round trips, the jitter buffer (reordering, loss concealment, late packets),
// RFC 4733 events (end-bit redundancy, lost ends), RTCP loss/jitter, and two real sessions over
// loopback UDP carrying G.711 audio and digits, with symmetric RTP latching.
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { SystemClock } from '../../../hal/src/clock.js';
import { rms } from '../../../hal/src/dsp/level.js';
import { JitterBuffer } from '../../../hal/src/drivers/sip/jitter-buffer.js';
import { RtpPortAllocator } from '../../../hal/src/drivers/sip/port-range.js';
import { ReceptionStats, packReceiverReport, parseRtcp } from '../../../hal/src/drivers/sip/rtcp.js';
import { packRtp, parseRtp, seqDiff } from '../../../hal/src/drivers/sip/rtp-packet.js';
import { RtpSession } from '../../../hal/src/drivers/sip/rtp-session.js';
import { EventReceiver, eventPackets, packEvent, parseEvent } from '../../../hal/src/drivers/sip/telephone-event.js';

function frame(v: number): Int16Array {
  return new Int16Array(FRAME_SAMPLES).fill(v);
}

t.test('RTP header round trip, padding and CSRC skipped, garbage rejected', (t) => {
  const p = packRtp({
    payloadType: 8,
    marker: true,
    sequence: 65535,
    timestamp: 0xfffffff0,
    ssrc: 0xdeadbeef,
    payload: new Uint8Array([1, 2, 3]),
  });
  const q = parseRtp(p);
  t.same(q && { ...q, payload: [...q.payload] }, {
    payloadType: 8,
    marker: true,
    sequence: 65535,
    timestamp: 0xfffffff0,
    ssrc: 0xdeadbeef,
    payload: [1, 2, 3],
  });
  const padded = Buffer.concat([p, Buffer.from([0, 0, 3])]);
  padded[0] = 0xa0;
  t.same([...(parseRtp(padded)?.payload ?? [])], [1, 2, 3]);
  const csrc = Buffer.concat([p.subarray(0, 12), Buffer.alloc(4), p.subarray(12)]);
  csrc[0] = 0x81;
  t.same([...(parseRtp(csrc)?.payload ?? [])], [1, 2, 3]);
  t.equal(parseRtp(Buffer.from('hello world!!')), null);
  t.equal(parseRtp(Buffer.alloc(5)), null);
  t.equal(seqDiff(2, 65534), 4);
  t.equal(seqDiff(65534, 2), -4);
  t.end();
});

t.test('jitter buffer: reorders, conceals a loss by repeat then fade, drops late packets', (t) => {
  const jb = new JitterBuffer(3);
  const out = new Int16Array(FRAME_SAMPLES);
  jb.push(65534, frame(1000));
  jb.push(0, frame(3000)); // arrives before 65535 (wraps)
  t.equal(jb.pull(out), 'silence', 'prefilling');
  jb.push(65535, frame(2000));
  t.equal(jb.pull(out), 'audio');
  t.equal(out[0], 1000);
  t.equal(jb.pull(out), 'audio');
  t.equal(out[0], 2000, 'reordered packet played in order');
  t.equal(jb.pull(out), 'audio');
  t.equal(out[0], 3000);
  jb.push(4, frame(5000)); // 1, 2, 3 lost
  t.equal(jb.pull(out), 'concealed');
  t.equal(out[0], 3000, 'first loss repeats the last frame');
  t.equal(jb.pull(out), 'concealed');
  t.equal(out[0], 1500, 'then fades');
  jb.push(2, frame(9999)); // late: its slot has passed
  t.equal(jb.stats.late, 1);
  t.equal(jb.pull(out), 'concealed');
  t.equal(out[0], 750);
  t.equal(jb.pull(out), 'audio');
  t.equal(out[0], 5000);
  for (let i = 0; i < 3; i++) jb.pull(out);
  t.equal(jb.pull(out), 'silence', 'underrun: silent, prefilling again');
  for (let s = 10; s < 13; s++) jb.push(s, frame(s));
  t.equal(jb.pull(out), 'audio', 'plays again once prefilled');
  t.equal(out[0], 10);
  t.end();
});

t.test('telephone-event: one digit per event despite updates and 3 redundant ends; a lost end still reports', (t) => {
  const got: string[] = [];
  const r = new EventReceiver((d, ms) => got.push(`${d}:${ms}`));
  const ticks = eventPackets('5', 100);
  t.equal(ticks.length, 6);
  t.ok(ticks[0]?.[0]?.marker);
  t.equal(ticks[5]?.length, 3, 'three end packets');
  for (const tick of ticks) for (const p of tick) r.receive(1000, parseEvent(p.payload) as NonNullable<ReturnType<typeof parseEvent>>);
  t.same(got, ['5:100']);
  // '#' whose end packets are all lost, then '1' at a new timestamp
  r.receive(5000, { event: 11, end: false, volume: 10, duration: 400 });
  r.receive(9000, { event: 1, end: false, volume: 10, duration: 160 });
  r.receive(9000, { event: 1, end: true, volume: 10, duration: 800 });
  r.receive(9000, { event: 1, end: true, volume: 10, duration: 800 });
  t.same(got, ['5:100', '#:50', '1:100']);
  t.same(parseEvent(packEvent({ event: 15, end: true, volume: 63, duration: 65535 })), {
    event: 15,
    end: true,
    volume: 63,
    duration: 65535,
  });
  t.equal(parseEvent(new Uint8Array(2)), null);
  t.throws(() => eventPackets('x'));
  t.end();
});

t.test('RTCP: loss and jitter in the receiver report, parsed back', (t) => {
  const s = new ReceptionStats();
  let arrival = 0;
  for (let seq = 100; seq < 200; seq++) {
    arrival += 160 + (seq % 2 === 0 ? 40 : -40); // ±5 ms arrival jitter
    if (seq % 10 === 3) continue; // 10 % loss
    s.update(seq, seq * 160, arrival);
  }
  const snap = s.snapshot();
  t.equal(snap.expected, 100);
  t.equal(snap.cumulativeLost, 10);
  t.ok(snap.jitterMs > 3 && snap.jitterMs < 20, `jitter ${snap.jitterMs} ms`);
  const rr = parseRtcp(packReceiverReport(42, s.reportBlock(7, 0, 0)));
  t.equal(rr.length, 1);
  t.equal(rr[0]?.type, 'RR');
  t.equal(rr[0]?.blocks[0]?.ssrc, 7);
  t.equal(rr[0]?.blocks[0]?.cumulativeLost, 10);
  t.ok(Math.abs((rr[0]?.blocks[0]?.fractionLost ?? 0) - 0.1) < 0.01);
  t.same(parseRtcp(Buffer.from('garbage!')), []);
  t.end();
});

t.test('two sessions on loopback: PCMA audio, RFC 4733 digits, symmetric latching, RTCP', async (t) => {
  const clock = new SystemClock();
  const ports = new RtpPortAllocator({ min: 41000, max: 41100 }, '127.0.0.1');
  const digits: string[] = [];
  const a = await RtpSession.open(ports, { clock, rtcpIntervalMs: 100 });
  const b = await RtpSession.open(ports, { clock, rtcpIntervalMs: 100, onDigit: (d) => digits.push(d) });
  t.teardown(() => {
    a.close();
    b.close();
  });
  t.not(a.localPort, b.localPort);
  a.payloadType = 8;
  b.payloadType = 8;
  a.setRemote({ address: '127.0.0.1', port: b.localPort });
  // b does not know a's address: it must answer where a's packets come from
  const tone = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) tone[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
  const rxA = new Int16Array(FRAME_SAMPLES);
  const rxB = new Int16Array(FRAME_SAMPLES);
  let heardA = 0;
  let heardB = 0;
  a.sendDigits('19#');
  for (let i = 0; i < 60; i++) {
    a.sendFrame(tone);
    b.sendFrame(tone);
    await new Promise((r) => setTimeout(r, 5));
    if (a.readFrame(rxA) === 'audio' && rms(rxA) > 4000) heardA++;
    if (b.readFrame(rxB) === 'audio' && rms(rxB) > 4000) heardB++;
  }
  t.same(digits, ['1', '9', '#'], 'digits arrive once each');
  t.ok(heardB > 20, `b heard a's tone (${heardB} frames)`);
  t.ok(heardA > 20, `a heard b's tone through symmetric RTP (${heardA} frames)`);
  t.equal(b.remoteEndpoint?.port, a.localPort);
  await new Promise((r) => setTimeout(r, 250));
  t.ok(a.peerReport, 'a got a receiver report about its stream');
  t.equal(a.peerReport?.cumulativeLost, 0);
  t.ok(b.stats().received > 40);
});
