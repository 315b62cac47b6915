// Voicemail over HTTP: the list by state, one voicemail, its audio with Range, and the owner's task
// states (PATCH); owner and supervisor only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import type { VoicemailInfo } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

function info(id: string, state: VoicemailInfo['state']): VoicemailInfo {
  return {
    id,
    callId: `call-${id}`,
    box: 'shop',
    callerId: '13800000001',
    createdAt: '2026-11-26T08:00:00.000Z',
    durationMs: 1000,
    state,
    handledBy: null,
    handledAt: null,
    note: null,
  };
}

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-vm-http-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const wav = encodeWav16(
    new Int16Array(8000).map((_, i) => Math.round(6000 * Math.sin(i / 5))),
    8000,
  );
  const path = join(dir, 'v1.wav');
  writeFileSync(path, wav);
  s.fake.voicemail.items.set('v1', { info: info('v1', 'new'), path });
  s.fake.voicemail.items.set('v2', { info: info('v2', 'heard'), path: join(dir, 'gone.wav') });
  s.fake.voicemail.items.set('v3', { info: info('v3', 'new'), path: null });
  const token = await s.login();
  const tokenOf = async (role: 'supervisor' | 'agent') => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  return { s, token, wav, tokenOf };
}

t.test('list, by state and limit; bad queries are 400', async (t) => {
  const { s, token } = await server(t);
  const ids = async (q: string) =>
    ((await (await s.call(`/api/v1/voicemail${q}`, { token })).json()) as { voicemails: VoicemailInfo[] }).voicemails.map((v) => v.id);
  t.same(await ids(''), ['v1', 'v2', 'v3']);
  t.same(await ids('?state=new'), ['v1', 'v3']);
  t.same(await ids('?state=heard&limit=1'), ['v2']);
  t.same(await ids('?limit=2'), ['v1', 'v2']);
  const bad = await s.call('/api/v1/voicemail?state=old', { token });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'state' });
  t.equal((await s.call('/api/v1/voicemail?limit=0', { token })).status, 400);
  t.equal((await s.call('/api/v1/voicemail')).status, 401);
});

t.test('one voicemail; unknown is 404', async (t) => {
  const { s, token } = await server(t);
  const res = await s.call('/api/v1/voicemail/v1', { token });
  t.equal(res.status, 200);
  t.same(await res.json(), info('v1', 'new'));
  const missing = await s.call('/api/v1/voicemail/nope', { token });
  t.equal(missing.status, 404);
  t.equal((await errorOf(missing)).code, 'NOT_FOUND');
});

t.test('audio: whole file, a range, an unsatisfiable range, no file', async (t) => {
  const { s, token, wav } = await server(t);
  const whole = await s.call('/api/v1/voicemail/v1/audio', { token });
  t.equal(whole.status, 200);
  t.equal(whole.headers.get('content-type'), 'audio/wav');
  t.equal(whole.headers.get('accept-ranges'), 'bytes');
  t.equal(whole.headers.get('content-length'), String(wav.length));
  t.same(Buffer.from(await whole.arrayBuffer()), wav);
  const part = await s.call('/api/v1/voicemail/v1/audio', { token, headers: { range: 'bytes=44-1043' } });
  t.equal(part.status, 206);
  t.equal(part.headers.get('content-range'), `bytes 44-1043/${wav.length}`);
  t.same(Buffer.from(await part.arrayBuffer()), wav.subarray(44, 1044));
  const tail = await s.call('/api/v1/voicemail/v1/audio', { token, headers: { range: 'bytes=-10' } });
  t.same(Buffer.from(await tail.arrayBuffer()), wav.subarray(-10));
  const bad = await s.call('/api/v1/voicemail/v1/audio', { token, headers: { range: `bytes=${wav.length}-` } });
  t.equal(bad.status, 416);
  t.equal(bad.headers.get('content-range'), `bytes */${wav.length}`);
  await bad.arrayBuffer();
  t.equal((await s.call('/api/v1/voicemail/v2/audio', { token })).status, 404, 'the file is gone');
  t.equal((await s.call('/api/v1/voicemail/v3/audio', { token })).status, 404, 'no file');
  t.equal((await s.call('/api/v1/voicemail/nope/audio', { token })).status, 404);
});

t.test('PATCH moves the task through its states, by the caller of the API', async (t) => {
  const { s, token, tokenOf } = await server(t);
  const patch = (id: string, json: unknown, tk = token) => s.call(`/api/v1/voicemail/${id}`, { method: 'PATCH', token: tk, json });
  const heard = await patch('v1', { state: 'heard' });
  t.equal(heard.status, 200);
  t.match(await heard.json(), { id: 'v1', state: 'heard' });
  const sup = await tokenOf('supervisor');
  const handled = await patch('v1', { state: 'handled', note: '已回电' }, sup);
  t.equal(handled.status, 200);
  t.match(await handled.json(), { state: 'handled', handledBy: 'supervisor', note: '已回电' });
  t.equal((await patch('v1', { state: 'new', note: null })).status, 200);
  t.same(s.fake.voicemail.changes, [
    { id: 'v1', state: 'heard', by: 'owner' },
    { id: 'v1', state: 'handled', by: 'supervisor', note: '已回电' },
    { id: 'v1', state: 'new', by: 'owner', note: null },
  ]);
  const check = async (json: unknown, field: string) => {
    const res = await patch('v1', json);
    t.equal(res.status, 400, JSON.stringify(json));
    t.same((await errorOf(res)).details, { field });
  };
  await check({ state: 'done' }, 'state');
  await check({}, 'state');
  await check({ state: 'heard', note: 5 }, 'note');
  await check({ state: 'heard', note: 'x'.repeat(2001) }, 'note');
  await check({ state: 'heard', by: 'someone' }, 'by');
  t.equal((await patch('nope', { state: 'heard' })).status, 404);
  t.equal(s.fake.voicemail.changes.length, 3, 'refused requests changed nothing');
});

t.test('agents may not list, listen to or handle voicemails', async (t) => {
  const { s, tokenOf } = await server(t);
  const agent = await tokenOf('agent');
  t.equal((await s.call('/api/v1/voicemail', { token: agent })).status, 403);
  t.equal((await s.call('/api/v1/voicemail/v1', { token: agent })).status, 403);
  t.equal((await s.call('/api/v1/voicemail/v1/audio', { token: agent })).status, 403);
  t.equal((await s.call('/api/v1/voicemail/v1', { method: 'PATCH', token: agent, json: { state: 'heard' } })).status, 403);
  t.equal(s.fake.voicemail.changes.length, 0);
});
