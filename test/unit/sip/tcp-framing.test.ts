// SIP over TCP is a byte stream: messages are cut by the blank line and Content-Length (RFC 3261
// §18.3); CRLF keep-alives are skipped; a message that cannot be framed within 16 kB is 'bad'.
import t from 'tap';
import { MAX_TCP_MESSAGE, nextMessage } from '../../../hal/src/drivers/sip/tcp-listener.js';

const msg = (body: string) =>
  `INVITE sip:1@x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

t.test('messages are cut by Content-Length, across and within chunks', async (t) => {
  const a = msg('v=0\r\n');
  const b = msg('');
  const stream = Buffer.from(a + b);
  const first = nextMessage(stream);
  if (!first || first === 'bad') throw new Error('no first message');
  t.equal(first.message.toString(), a, 'the first message with its body');
  const second = nextMessage(stream.subarray(first.length));
  if (!second || second === 'bad') throw new Error('no second message');
  t.equal(second.message.toString(), b);
  t.equal(nextMessage(Buffer.from(a.slice(0, a.length - 2))), null, 'body not complete yet: wait');
  t.equal(nextMessage(Buffer.from(a.slice(0, 20))), null, 'head not complete yet: wait');
});

t.test('keep-alives, a missing Content-Length, garbage', async (t) => {
  const ka = nextMessage(Buffer.from(`\r\n\r\n${msg('')}`));
  t.same(ka !== 'bad' && ka ? [ka.message.length, ka.length] : null, [0, 4], 'CRLF keep-alives are skipped');
  const noLen = nextMessage(Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\nrest'));
  t.equal(
    noLen !== 'bad' && noLen ? noLen.message.toString() : null,
    'OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n',
    'no Content-Length: no body',
  );
  t.equal(nextMessage(Buffer.alloc(MAX_TCP_MESSAGE + 1, 0x41)), 'bad', 'no message end within 16 kB');
  t.equal(nextMessage(Buffer.from(msg('').replace('Content-Length: 0', 'Content-Length: 999999'))), 'bad', 'a body too large');
});
