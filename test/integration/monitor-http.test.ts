// Conferences, supervisor monitoring and browser listen-in over HTTP on the real box in virtual
// time: roles (an agent may not monitor; only the call's leader adds parties; 400 naming the
// field), the supervisor's own extension rung by default, mode switch and end, the listen stream
// (a WAV whose PCM carries the caller's and the agent's tones), and the audit trail.
import t from 'tap';
import type { SimChannel } from '../../hal/src/drivers/sim/sim-channel.js';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { ToneParty, toneDbm0 } from '../helpers/tone-meter.js';
import { talkingCall } from './fixtures/talking-call.js';

t.test('monitor, conference and listen-in over HTTP', async (t) => {
  const { box, clock, callId } = await talkingCall(t, { hangupAfterS: 3600, talkS: 3600 });
  const http = await serveApi(t, box.service);
  const agentExt = box.service.calls.get(callId)!.legs.find((l) => l.role === 'agent')!.channel;
  const agentId = box.engine.acd.agentByExtension(agentExt)!.id;
  const [supExt, otherExt] = ['fxs1', 'fxs2', 'fxs3', 'fxs4'].filter((x) => x !== agentExt) as [string, string];
  const agentOf = (ext: string) => box.engine.acd.agentByExtension(ext)!.id;
  await box.service.auth.addUser({ username: 'banzhang', role: 'supervisor', password: 'supervisor-pass-1', agentId: agentOf(supExt) });
  await box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId });
  await box.service.auth.addUser({ username: 'xiaoli', role: 'agent', password: 'agent-pass-2', agentId: agentOf(otherExt) });
  const { url, tokens, call } = await apiAs(http.port, {
    owner: ['owner', 'test-password-1'],
    sup: ['banzhang', 'supervisor-pass-1'],
    leader: ['xiaowang', 'agent-pass-1'],
    other: ['xiaoli', 'agent-pass-2'],
  });
  const base = `/api/v1/calls/${callId}`;

  // roles and validation
  t.match(await call('leader', 'POST', `${base}/monitor`, { mode: 'listen' }), { status: 403, body: { error: { code: 'FORBIDDEN' } } });
  t.match(await call('other', 'POST', `${base}/conference`, { add: supExt }), { status: 403 }, 'not the leader');
  t.match(await call('sup', 'POST', `${base}/monitor`, { mode: 'spy' }), { status: 400, body: { error: { details: { field: 'mode' } } } });
  t.match(await call('sup', 'POST', `${base}/monitor`, { mode: 'listen', extra: 1 }), {
    status: 400,
    body: { error: { details: { field: 'extra' } } },
  });
  t.match(await call('sup', 'POST', '/api/v1/calls/nope/monitor', { mode: 'listen' }), { status: 404 });
  t.match(
    await call('owner', 'POST', `${base}/monitor`, { mode: 'listen' }),
    { status: 400, body: { error: { details: { field: 'extension' } } } },
    'the owner has no phone: extension required',
  );

  // the supervisor whispers from their own extension (rung; the sim supervisor answers after 2 s)
  const mon = await call('sup', 'POST', `${base}/monitor`, { mode: 'whisper' });
  t.match(mon, { status: 201, body: { channel: supExt, kind: 'monitor', mode: 'whisper', joined: false, by: 'banzhang' } });
  const leg = mon.body!.leg as number;
  await clock.run(3000);
  t.match(await call('sup', 'GET', `${base}/conference`), {
    status: 200,
    body: { conference: { legs: [{ kind: 'agent' }, { kind: 'monitor', joined: true }] } },
  });
  t.match(await call('sup', 'PATCH', `${base}/monitor/${leg}`, { mode: 'barge' }), { status: 200, body: { mode: 'talk' } });
  t.match(await call('sup', 'DELETE', `${base}/monitor/${leg}`), { status: 204 });
  t.match(await call('sup', 'DELETE', `${base}/monitor/${leg}`), { status: 404 }, 'already ended');
  await clock.run(2000);

  // the leader adds an external number, then drops it
  const add = await call('leader', 'POST', `${base}/conference`, { add: '02088886666' });
  t.match(add, { status: 201, body: { kind: 'party', channel: 'fxo2', target: '02088886666' } });
  t.match(await call('leader', 'POST', `${base}/conference`, { add: 'nobody' }), {
    status: 400,
    body: { error: { details: { field: 'add' } } },
  });
  await clock.run(5000); // the sim customer answers after 4 s
  t.match(await call('leader', 'DELETE', `${base}/conference/${add.body!.leg as number}`), { status: 204 });
  await clock.run(1000);
  t.equal(box.hat!.channel('fxo2')?.state, 'idle', 'the dropped line is free');

  // listen in from the browser: caller 440 Hz, agent 1000 Hz
  (box.hat!.channel('fxo1') as SimChannel).party = new ToneParty(440);
  (box.hat!.channel(agentExt) as SimChannel).party = new ToneParty(1000);
  const res = await fetch(url(`${base}/listen`), { headers: { authorization: `Bearer ${tokens.sup}` } });
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-type'), 'audio/wav');
  await clock.run(2000);
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < 44 + 16_000 * 1.5) {
    const { value, done } = await reader.read();
    if (done || !value) break;
    parts.push(value);
    got += value.length;
  }
  const bytes = Buffer.concat(parts);
  t.equal(bytes.subarray(0, 4).toString('ascii'), 'RIFF');
  t.equal(bytes.readUInt32LE(24), 8000, '8 kHz');
  const pcm = new Int16Array(Math.floor((bytes.length - 44) / 2));
  for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(44 + i * 2);
  const tail = pcm.subarray(pcm.length - 8000);
  t.ok(
    toneDbm0(tail, 440) > -25 && toneDbm0(tail, 1000) > -25,
    `the stream carries the caller's and the agent's tones (${toneDbm0(tail, 440).toFixed(1)}, ${toneDbm0(tail, 1000).toFixed(1)} dBm0)`,
  );
  await reader.cancel();
  await clock.run(500);
  t.equal(box.engine.rooms.conference.view(callId), null, 'the listener gone, the call is a plain bridge again');
  t.match(await call('leader', 'GET', `${base}/listen`), { status: 403 }, 'agents may not listen in');

  const audit = await call('owner', 'GET', '/api/v1/audit?limit=50');
  const actions = (audit.body!.items as { actor: string; action: string; entityId: string }[])
    .map((e) => `${e.actor} ${e.action}`)
    .reverse();
  t.same(
    actions.filter((a) => / call\./.test(a)),
    [
      'banzhang call.monitor',
      'banzhang call.monitor.mode',
      'banzhang call.monitor.end',
      'xiaowang call.conference.add',
      'xiaowang call.conference.drop',
      'banzhang call.listen',
    ],
    'every use in the audit trail',
  );
});
