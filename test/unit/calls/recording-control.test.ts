// The agent's *1 / *2 keys pause and resume the call's recording; other keys do nothing.
import t from 'tap';
import { recordingKey } from '../../../firmware/src/calls/recording-control.js';
import type { Ctx } from '../../../firmware/src/calls/engine-types.js';

t.test('*1 pauses, *2 resumes, other sequences are ignored', (t) => {
  const log: string[] = [];
  const ctx = {
    agentDigits: '',
    recording: { pause: (r: string) => log.push(`pause ${r}`), resume: () => log.push('resume') },
  } as unknown as Ctx;
  for (const d of '3*1') recordingKey(ctx, d);
  t.same(log.splice(0), ['pause agent *1']);
  for (const d of '12*2') recordingKey(ctx, d);
  t.same(log.splice(0), ['resume']);
  for (const d of '1*#2') recordingKey(ctx, d);
  t.same(log, [], '"1", "*#", "#2" are not codes');
  t.end();
});
