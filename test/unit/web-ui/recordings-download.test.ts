// Listening vs downloading a recording: recordings.read (owner, supervisor) streams it inline for
// the browser's player; ?download=1 (recordings.download: owner only) sends it as an attachment.
// Agents and technicians get neither; a bad `download` value is 400 naming the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { can } from '../../../firmware/src/service/permissions.js';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('inline for listeners, attachment for the owner only', async (t) => {
  const s = await startTestServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-rec-dl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'r1.wav');
  writeFileSync(path, encodeWav16(new Int16Array(800), 8000));
  s.fake.recordings.items.set('r1', {
    info: {
      id: 'r1',
      callId: 'c1',
      queue: 'main',
      path: 'r1.wav',
      format: 'pcm16',
      channels: 1,
      startedAt: '2026-11-26T08:00:00.000Z',
      endedAt: '2026-11-26T08:00:00.100Z',
      durationMs: 100,
      bytes: 1644,
      state: 'complete',
      legalHold: false,
    },
    path,
  });
  const tokens: Record<string, string> = { owner: await s.login() };
  for (const role of ['supervisor', 'agent', 'technician'] as const) {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    tokens[role] = ((await res.json()) as { token: string }).token;
  }
  const get = (who: string, q = '') => s.call(`/api/v1/recordings/r1/audio${q}`, { token: tokens[who] as string });

  for (const who of ['owner', 'supervisor']) {
    const res = await get(who);
    t.equal(res.status, 200, `${who} listens`);
    t.match(res.headers.get('content-disposition'), /^inline;/);
    await res.arrayBuffer();
  }
  const dl = await get('owner', '?download=1');
  t.equal(dl.status, 200);
  t.match(dl.headers.get('content-disposition'), /^attachment; filename="r1\.wav"/, 'the owner downloads');
  t.equal((await dl.arrayBuffer()).byteLength, 1644);

  const sup = await get('supervisor', '?download=1');
  t.equal(sup.status, 403, 'a supervisor may not download');
  t.match(await errorOf(sup), { code: 'FORBIDDEN', details: { permission: 'recordings.download' } });
  for (const who of ['agent', 'technician']) {
    const res = await get(who);
    t.equal(res.status, 403, `${who} may not listen`);
    t.match(await errorOf(res), { details: { permission: 'recordings.read' } });
  }
  const bad = await get('owner', '?download=yes');
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'download' });

  t.ok(can('owner', 'recordings.download') && !can('supervisor', 'recordings.download'), 'the permission table says so');
  t.ok(can('supervisor', 'recordings.read') && !can('agent', 'recordings.read'));
});
