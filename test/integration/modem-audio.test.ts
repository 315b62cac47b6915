// USB-serial PCM audio (Quectel AT+QPCMV=1,0): a second pty pair carries raw 8 kHz S16LE both
// ways. Bytes written in odd-sized chunks arrive as whole 20 ms frames at the call's sink, DTMF in
// that audio is found by the in-band detector (and +QTONEDET is then not counted twice), and each
// received frame is answered with one frame of what the box plays.
import t from 'tap';
import { FRAME_SAMPLES } from '../../hal/src/audio.js';
import { SystemClock } from '../../hal/src/clock.js';
import { AtModemDriver } from '../../hal/src/drivers/atmodem/modem-driver.js';
import { nodeSerial } from '../../hal/src/serial-node.js';
import { DtmfGenerator } from '../../hal/src/dsp/dtmf-gen.js';
import { sleep, until } from '../helpers/wait.js';
import { FakeModem } from './fixtures/fake-modem.js';
import { SocatPair } from './fixtures/socat-pty.js';

t.test('PCM over a USB serial port: frames in, DTMF in-band, frames out', async (t) => {
  const at = new SocatPair();
  const pcm = new SocatPair();
  await at.start();
  await pcm.start();
  const modem = new FakeModem({ model: 'EC25' });
  await modem.open(at.modemPath);
  const audioEnd = await nodeSerial.open({ path: pcm.modemPath, baudRate: 115200 });
  const heard: number[] = [];
  audioEnd.onData((c) => heard.push(c.length));
  const driver = new AtModemDriver({
    path: at.boxPath,
    audioPath: pcm.boxPath,
    baudRate: 115200,
    clock: new SystemClock(),
    serial: nodeSerial,
    checkMs: 60_000,
  });
  t.teardown(async () => {
    await driver.stop();
    await modem.close();
    await audioEnd.close();
    await at.dispose();
    await pcm.dispose();
  });
  await driver.start();
  await until('ready', () => driver.status().state === 'ready');
  t.ok(modem.commands.includes('AT+QPCMV=1,0'), 'USB audio switched on');

  const frames: Int16Array[] = [];
  const digits: { digit: string; source: string }[] = [];
  driver.channel.setFrameSink((f) => frames.push(Int16Array.from(f)));
  driver.channel.events.on('digit', (d) => digits.push(d));
  modem.incomingCall('+8613512345678');
  await until('ringing', () => driver.channel.state === 'ringing');
  await driver.channel.answer();

  // 10 frames of DTMF "5" and silence, as S16LE bytes, written in chunks of 77 bytes
  const gen = new DtmfGenerator('5', { onMs: 100, offMs: 100 });
  const pcmOut = new Int16Array(FRAME_SAMPLES * 10);
  const f = new Int16Array(FRAME_SAMPLES);
  for (let k = 0; k < 10 && gen.read(f); k++) pcmOut.set(f, k * FRAME_SAMPLES);
  const bytes = new Uint8Array(pcmOut.buffer);
  modem.pressDigit('5'); // the +QTONEDET the modem also sends: not counted while PCM carries the tone
  for (let i = 0; i < bytes.length; i += 77) await audioEnd.write(bytes.subarray(i, i + 77));
  await until('10 frames', () => frames.length === 10);
  t.same(Array.from(frames[0]?.subarray(0, 8) ?? []), Array.from(pcmOut.subarray(0, 8)), 'samples intact');
  t.same(Array.from(frames[9] ?? []), Array.from(pcmOut.subarray(9 * FRAME_SAMPLES)), 'last frame intact');
  await until('digit', () => digits.length > 0);
  await sleep(100);
  t.same(
    digits.map((d) => [d.digit, d.source]),
    [['5', 'inband']],
    'one digit, from the audio',
  );
  await until('10 frames back', () => heard.reduce((a, b) => a + b, 0) === 10 * FRAME_SAMPLES * 2);
  t.pass('one frame back per frame received');
  await driver.channel.hangup();
});
