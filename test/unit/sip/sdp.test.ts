// SDP offer/answer for plain RTP: what the box offers, what it accepts from real phones (baresip,
// SIPp, Asterisk-style offers), hold directions and refusals.
import t from 'tap';
import { answerDirection, buildSdp, chooseCodec, parseSdp } from '../../../hal/src/drivers/sip/sdp.js';

t.test('the box offer parses back to itself', (t) => {
  const sdp = buildSdp(
    { sessionId: 1, version: 2, address: '192.0.2.1' },
    { address: '192.0.2.1', port: 10002, codecs: [0, 8], eventPt: 101, direction: 'sendrecv', ptime: 20 },
  );
  t.match(sdp, /m=audio 10002 RTP\/AVP 0 8 101\r\n/);
  t.match(sdp, /a=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-16/);
  t.same(parseSdp(sdp), { address: '192.0.2.1', port: 10002, codecs: [0, 8], eventPt: 101, direction: 'sendrecv', ptime: 20 });
  t.end();
});

t.test('a softphone offer: static types without rtpmap, other codecs skipped, session-level c=, hold', (t) => {
  const offer = [
    'v=0',
    'o=- 123 456 IN IP4 10.0.0.5',
    's=-',
    'c=IN IP4 10.0.0.5',
    't=0 0',
    'm=audio 4000 RTP/AVP 9 8 0 96',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:96 telephone-event/8000',
    'a=sendonly',
    'm=video 5000 RTP/AVP 97',
    'a=inactive',
  ].join('\r\n');
  const m = parseSdp(offer);
  t.same(m, { address: '10.0.0.5', port: 4000, codecs: [8, 0], eventPt: 96, direction: 'sendonly', ptime: 20 });
  t.equal(chooseCodec(m), 8);
  t.equal(answerDirection(m.direction), 'recvonly', 'held by the far end');
  t.equal(answerDirection('inactive'), 'inactive');
  t.equal(answerDirection('sendrecv', 'sendonly'), 'sendonly', 'the box holds');
  t.equal(answerDirection('recvonly'), 'sendonly');
  t.end();
});

t.test('refusals: no audio, SRTP, no address; no common codec', (t) => {
  t.throws(() => parseSdp('v=0\r\nm=video 1 RTP/AVP 0\r\n'), /no audio/);
  t.throws(() => parseSdp('v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 1 RTP/SAVP 0\r\n'), /plain RTP/);
  t.throws(() => parseSdp('v=0\r\nm=audio 1 RTP/AVP 0\r\n'), /connection address/);
  t.throws(() => parseSdp('garbage'), /no audio/);
  t.equal(chooseCodec(parseSdp('c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 18\r\n')), null);
  t.end();
});
