// A driver throwing (issue 11's fault suite): on the whole box in virtual time, the line's
// answer() rejects, then the agent phones' write() throws in the audio path on every frame. The box
// stays up (no unhandled rejection, the frame loop goes on), the calls end and are saved, the
// other ports keep working, and once the driver behaves again the next call is answered.
// Regression: a write() that threw inside the caller's frame sink escaped the driver's 20 ms tick
// (on a real box: an uncaught exception, the process gone with every call); now BaseChannel
// catches it, drops that frame and reports FRAME_SINK_FAILED.
import t from 'tap';
import { virtualBox } from '../helpers/box.js';

t.test('a driver that throws: calls end and are saved, the box and the other ports go on, then recover', async (t) => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  t.teardown(() => {
    process.off('unhandledRejection', onRejection);
  });
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 1, talkS: 10 });
  const ch = (id: string) => {
    const c = box.channels().find((x) => x.id === id);
    if (!c) throw new Error(`no ${id}`);
    return c;
  };

  // 1. the line's answer() rejects
  const fxo1 = ch('fxo1');
  const answer = fxo1.answer.bind(fxo1);
  fxo1.answer = () => Promise.reject(new Error('driver bug: answer failed'));
  const bad = await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(bad.callId)?.state === 'ended', 120_000);
  t.match(box.service.calls.get(bad.callId), { state: 'ended' }, 'the call whose answer failed ended and is saved');
  const other = await sim.placeCall({ channel: 'fxo2', callerId: '13800138001', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(other.callId)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(other.callId)?.outcome, 'answered', 'fxo2 answers meanwhile');
  fxo1.answer = answer;

  // 2. the agent phones' write() throws on every audio frame while they talk
  const phones = box.channels().filter((c) => c.kind === 'fxs');
  const writes = phones.map((p) => p.write.bind(p));
  let thrown = 0;
  for (const p of phones)
    p.write = () => {
      thrown++;
      throw new Error('driver bug: write failed');
    };
  const reported: { code: string; message: string }[] = [];
  const offError = fxo1.events.on('error', (e) => reported.push(e));
  const talk = await sim.placeCall({ channel: 'fxo1', callerId: '13800138002', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(talk.callId)?.state === 'ended', 120_000);
  t.ok(thrown > 0, `the phone's write threw ${thrown} times`);
  t.match(box.service.calls.get(talk.callId), { state: 'ended' }, 'that call ended and is saved');
  t.match(
    reported[0],
    { code: 'FRAME_SINK_FAILED', message: /fxo1: the audio path failed .*write failed/ },
    'reported as a channel error event',
  );
  offError();
  phones.forEach((p, i) => {
    p.write = writes[i] as typeof p.write;
  });

  const after = await sim.placeCall({ channel: 'fxo1', callerId: '13800138003', digits: '1', hangupAfterS: 30 });
  await clock.runUntil(() => box.service.calls.get(after.callId)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(after.callId)?.outcome, 'answered', 'fxo1 answers again once the driver behaves');
  t.equal(box.engine.activeCount(), 0, 'no call left active');
  await new Promise((r) => setTimeout(r, 50));
  t.same(rejections, [], 'no unhandled rejection');
});
