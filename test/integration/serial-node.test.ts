// The real serial port (hal/src/serial-node.ts, serialport 13) on a socat pty pair: a write larger
// than the tty's buffer waits for 'writable' after EAGAIN; when the read loop then waits for
// 'readable' again (what serialport's unixRead does after a read that found nothing), the write must
// still end once the other end drains. serialport's own poller re-armed only the event just asked
// for, so the write hung until the other end sent something (the provisioning agent's file.read
// answers lost now and then: test/integration/provision-faults, provision-cli).
import { closeSync, constants, openSync, readSync } from 'node:fs';
import t from 'tap';
import { nodeSerial } from '../../hal/src/serial-node.js';
import { sleep, until } from '../helpers/wait.js';
import { SocatPair } from './fixtures/socat-pty.js';

interface Poller {
  once(event: string, fn: (err: Error | null) => void): unknown;
  listenerCount(event: string): number;
}

t.test('a write waiting for writable ends after the read loop re-polls readable', async (t) => {
  const pty = new SocatPair({ prefix: 'callbox-serial-node-' });
  await pty.start();
  const port = await nodeSerial.open({ path: pty.boxPath, baudRate: 115200 });
  const far = openSync(pty.modemPath, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
  t.teardown(async () => {
    closeSync(far);
    await port.close();
    await pty.dispose();
  });
  port.onData(() => {});
  const poller = (port as unknown as { port: { port: { poller: Poller } } }).port.port.poller;
  const size = 256 * 1024;
  let written = false;
  const writing = port.write(Buffer.alloc(size, 0x41)).then(() => {
    written = true;
  });
  writing.catch(() => {}); // before the fix: cancelled when the port closes at the end
  await until('the write to wait for writable (the pty is full)', () => poller.listenerCount('writable') > 0, 3000);
  t.notOk(written, 'the write waits: the far end reads nothing yet');
  poller.once('readable', () => {}); // the read loop after a read that found nothing
  const buf = Buffer.alloc(65536);
  let got = 0;
  const end = Date.now() + 5000;
  while (!written && Date.now() < end) {
    try {
      got += readSync(far, buf, 0, buf.length, null);
    } catch {
      // EAGAIN: nothing to read yet
    }
    await sleep(5);
  }
  t.ok(written, `the write ended once the far end drained (read ${got} of ${size} bytes)`);
  if (written) await writing;
  for (let i = 0; i < 20 && got < size; i++, await sleep(10)) {
    try {
      got += readSync(far, buf, 0, buf.length, null);
    } catch {
      // EAGAIN
    }
  }
  t.equal(got, size, 'every byte arrived');
});
