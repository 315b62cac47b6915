// Modem vanished (issue 11's fault suite): the whole box with gsm1 on the real atmodem driver over a
// socat pty to a fake EC25; mid-call the pty is closed (a USB unplug). The call ends and is saved,
// the box stays up, /healthz shows CHANNEL_ERROR on gsm1 (degraded) while the rest keeps taking
// calls; the modem comes back on the same path: gsm1 is idle again, the alarm clears, and the next
// GSM call is answered. Virtual time for the box, real time for the serial line (as modem-box).
import t from 'tap';
import { sleep } from '../helpers/wait.js';
import { openModemBox } from './fixtures/modem-box.js';

t.test('the modem vanishes mid-call and comes back: call saved, alarm shown then cleared, other lines unaffected', async (t) => {
  const { box, clock, modem, pty, pump } = await openModemBox(t, { model: 'EC25' }, { pumpMs: 20_000 });
  const gsm = box.channels().find((c) => c.id === 'gsm1');
  await pump('modem ready', () => gsm?.state === 'idle');
  box.service.sim?.setAgentSettings({ answerAfterS: 1, talkS: 600 });
  const latest = () => box.service.calls.list({ limit: 1 })[0];

  modem.incomingCall('+8613512345678');
  await pump('IVR', () => latest()?.state === 'ivr');
  for (let i = 0; i < 100; i++) await clock.run(20).then(() => sleep(2));
  modem.pressDigit('1');
  await pump('talking', () => latest()?.state === 'talking');
  const gsmCall = latest()?.id as string;

  await modem.close();
  await pty.stop(); // the USB modem is unplugged mid-call
  await pump('call ended', () => box.service.calls.get(gsmCall)?.state === 'ended');
  t.match(box.service.calls.get(gsmCall), { state: 'ended', callerId: '+8613512345678' }, 'the GSM call ended and is saved');
  await pump('gsm1 alarm', () => box.service.health().alarms.some((a) => a.code === 'CHANNEL_ERROR' && a.subject === 'gsm1'));
  t.equal(box.service.health().status, 'degraded', 'health degraded while the modem is gone');
  t.equal(box.engine.activeCount(), 0, 'no call left active');

  // the analog lines still take calls
  const { callId } = await (box.service.sim as NonNullable<typeof box.service.sim>).placeCall({
    channel: 'fxo1',
    callerId: '13800138000',
    digits: '1',
    hangupAfterS: 30,
  });
  // no serial line to pace now: virtual time at full speed
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(callId)?.outcome, 'answered', 'a call on fxo1 is answered while the modem is gone');

  await pty.start();
  await modem.open(pty.modemPath); // plugged back in
  await pump('gsm1 idle again', () => gsm?.state === 'idle', 30_000);
  t.same(
    box.service.health().alarms.filter((a) => a.subject === 'gsm1'),
    [],
    'the alarm cleared',
  );
  t.equal(box.service.health().status, 'ok');
  box.service.sim?.setAgentSettings({ answerAfterS: 1, talkS: 3 });
  modem.incomingCall('+8613599998888');
  await pump('second GSM call in IVR', () => latest()?.callerId === '+8613599998888' && latest()?.state === 'ivr');
  t.pass('the next GSM call is answered');
});
