// The plain-RTP SessionDescriptionHandler's offer/answer (hal/src/drivers/sip/rtp-sdh.ts): a UA that
// holds with a re-INVITE and resumes with another (a desk phone, the test softphone) must offer its
// own direction each time; the answer to its previous offer is not an offer to answer.
import t from 'tap';
import { SystemClock } from '../../../hal/src/clock.js';
import { RtpPortAllocator } from '../../../hal/src/drivers/sip/port-range.js';
import { RtpSdh } from '../../../hal/src/drivers/sip/rtp-sdh.js';
import { buildSdp, parseSdp } from '../../../hal/src/drivers/sip/sdp.js';
import type { Direction } from '../../../hal/src/drivers/sip/rtp-session.js';

const base = 20000 + (process.pid % 100) * 10; // 20000..20999: below the SIP tests' ranges
const far = (direction: Direction) =>
  buildSdp(
    { sessionId: 7, version: 1, address: '127.0.0.1' },
    { address: '127.0.0.1', port: base + 8, codecs: [0], eventPt: 101, direction, ptime: 20 },
  );

t.test('hold, then resume: each re-INVITE offers our direction; only offers count as the far end holding', async (t) => {
  const held: boolean[] = [];
  const sdh = new RtpSdh({
    clock: new SystemClock(),
    ports: new RtpPortAllocator({ min: base, max: base + 5 }, '127.0.0.1'),
    mediaAddress: '127.0.0.1',
    onDigit: () => {},
    onHold: (h) => held.push(h),
  });
  t.teardown(() => sdh.close());
  // the far end's INVITE offers, we answer
  await sdh.setDescription(far('sendrecv'));
  t.equal(parseSdp((await sdh.getDescription()).body).direction, 'sendrecv', 'our answer');
  // our hold key: a re-INVITE offering sendonly, answered recvonly
  sdh.localDirection = 'sendonly';
  t.equal(parseSdp((await sdh.getDescription()).body).direction, 'sendonly', 'the hold offer');
  await sdh.setDescription(far('recvonly'));
  // our resume key: the offer is sendrecv again (it was answered from the stale recvonly answer: sendonly)
  sdh.localDirection = 'sendrecv';
  t.equal(parseSdp((await sdh.getDescription()).body).direction, 'sendrecv', 'the resume offer');
  await sdh.setDescription(far('sendrecv'));
  t.same(held, [], 'answers to our offers never read as the far end holding');
  // the far end holds: its offer is answered recvonly and reported
  await sdh.setDescription(far('sendonly'));
  t.equal(parseSdp((await sdh.getDescription()).body).direction, 'recvonly', 'our answer to its hold');
  t.same(held, [true]);
});
