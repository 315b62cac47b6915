// Every bridged call is recorded: one file per call, linked to the call, as long as the
// conversation, holding real audio from both sides.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseWav } from '../../hal/src/dsp/wav.js';
import { rms } from '../../hal/src/dsp/level.js';
import { virtualBox } from '../helpers/box.js';

t.test('a queue call is recorded from answer to hang-up', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  box.service.sim!.setAgentSettings({ answerAfterS: 2, talkS: 12 });
  const { callId } = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  await box.recorder.drain();
  const recs = box.recorder.list({ callId });
  t.equal(recs.length, 1, 'one recording for the call');
  const rec = recs[0]!;
  t.equal(rec.state, 'complete');
  t.equal(rec.queue, 'main');
  t.ok(Math.abs(rec.durationMs - 12_000) <= 100, `about as long as the conversation (${rec.durationMs} ms)`);
  const path = box.recorder.filePath(rec.id);
  const wav = parseWav(readFileSync(path!));
  t.equal(wav.sampleRate, 8000);
  t.ok(Math.abs(wav.samples.length - 96_000) <= 800, `${wav.samples.length} samples`);
  // both people speak with pauses; the mix must hold real speech energy through the call
  const second = (n: number) => wav.samples.subarray(n * 8000, (n + 1) * 8000);
  const loud = [1, 4, 8].filter((n) => rms(second(n)) > 300);
  t.ok(loud.length >= 2, 'speech in the recording');
});
