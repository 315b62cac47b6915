// Recordings over HTTP: list, details, audio with Range, legal hold (owner), pause/resume a live call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import type { RecordingInfo } from '../../../firmware/src/service/types.js';
import { parseRange } from '../../../web-ui/server/routes/recordings.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

function info(id: string, callId: string): RecordingInfo {
  return {
    id,
    callId,
    queue: 'main',
    path: `2026/11/26/${id}.wav`,
    format: 'pcm16',
    channels: 1,
    startedAt: '2026-11-26T08:00:00.000Z',
    endedAt: '2026-11-26T08:00:01.000Z',
    durationMs: 1000,
    bytes: 16044,
    state: 'complete',
    legalHold: false,
  };
}

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-rec-http-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const samples = new Int16Array(8000).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
  const wav = encodeWav16(samples, 8000);
  const path = join(dir, 'r1.wav');
  writeFileSync(path, wav);
  s.fake.recordings.items.set('r1', { info: info('r1', 'c1'), path });
  s.fake.recordings.items.set('r2', { info: info('r2', 'c2'), path: null });
  const token = await s.login();
  return { s, token, wav };
}

t.test('list and details', async (t) => {
  const { s, token } = await server(t);
  const list = (await (await s.call('/api/v1/recordings?callId=c1', { token })).json()) as { recordings: RecordingInfo[] };
  t.same(
    list.recordings.map((r) => r.id),
    ['r1'],
  );
  t.equal((await s.call('/api/v1/recordings/r1', { token })).status, 200);
  const missing = await s.call('/api/v1/recordings/nope', { token });
  t.equal(missing.status, 404);
  t.equal((await errorOf(missing)).code, 'NOT_FOUND');
});

t.test('audio: whole file, a range, an unsatisfiable range, a missing file', async (t) => {
  const { s, token, wav } = await server(t);
  const whole = await s.call('/api/v1/recordings/r1/audio', { token });
  t.equal(whole.status, 200);
  t.equal(whole.headers.get('content-type'), 'audio/wav');
  t.equal(whole.headers.get('accept-ranges'), 'bytes');
  t.same(Buffer.from(await whole.arrayBuffer()), wav);
  const part = await s.call('/api/v1/recordings/r1/audio', { token, headers: { range: 'bytes=44-143' } });
  t.equal(part.status, 206);
  t.equal(part.headers.get('content-range'), `bytes 44-143/${wav.length}`);
  t.same(Buffer.from(await part.arrayBuffer()), wav.subarray(44, 144));
  const bad = await s.call('/api/v1/recordings/r1/audio', { token, headers: { range: `bytes=${wav.length + 10}-` } });
  t.equal(bad.status, 416);
  await bad.arrayBuffer();
  t.equal((await s.call('/api/v1/recordings/r2/audio', { token })).status, 404, 'no file: 404');
});

t.test('range parsing', (t) => {
  t.same(parseRange(undefined, 100), null);
  t.same(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  t.same(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  t.same(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  t.same(parseRange('bytes=50-500', 100), { start: 50, end: 99 });
  t.equal(parseRange('bytes=100-', 100), 'invalid');
  t.equal(parseRange('bytes=5-1', 100), 'invalid');
  t.equal(parseRange('items=0-1', 100), 'invalid');
  t.end();
});

t.test('legal hold is the owner’s; agents may not list recordings', async (t) => {
  const { s, token } = await server(t);
  const res = await s.call('/api/v1/recordings/r1/legal-hold', { method: 'PUT', token, json: { on: true } });
  t.equal(res.status, 200);
  t.equal(((await res.json()) as RecordingInfo).legalHold, true);
  const bad = await s.call('/api/v1/recordings/r1/legal-hold', { method: 'PUT', token, json: { on: 'yes' } });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'on' });
  for (const [user, role] of [
    ['sup', 'supervisor'],
    ['li', 'agent'],
  ] as const)
    s.fake.auth.users.set(user, { password: 'pass-word-1', role });
  const tokenOf = async (username: string) =>
    (
      (await (await s.call('/api/v1/auth/token', { method: 'POST', json: { username, password: 'pass-word-1' } })).json()) as {
        token: string;
      }
    ).token;
  const sup = await tokenOf('sup');
  t.equal((await s.call('/api/v1/recordings/r1/legal-hold', { method: 'PUT', token: sup, json: { on: false } })).status, 403);
  t.equal((await s.call('/api/v1/recordings', { token: sup })).status, 200, 'supervisors listen');
  t.equal((await s.call('/api/v1/recordings', { token: await tokenOf('li') })).status, 403);
});

t.test('pause and resume the recording of a live call', async (t) => {
  const { s, token } = await server(t);
  s.fake.recordings.live.set('live1', true);
  s.fake.recordings.live.set('live2', false);
  const post = (id: string, json: unknown) => s.call(`/api/v1/calls/${id}/recording`, { method: 'POST', token, json });
  t.equal((await post('live1', { paused: true })).status, 204);
  t.equal(s.fake.recordings.paused.get('live1'), true);
  t.equal((await post('live2', { paused: true })).status, 409);
  t.equal((await post('gone', { paused: true })).status, 404);
  t.equal((await post('live1', { paused: 1 })).status, 400);
});
