// POST /api/v1/firmware/upload on a whole box under a temp OTA root, with the real installer
// process (`dist/callbox.mjs ota install`, detached, started by the box's OTA job runner), a real
// restart command and a /healthz of "the restarted box" (the version current/ points at): auth and
// roles, CSRF with the session cookie, the size limit, a bad, a tampered, a wrongly signed and a
// downgrade bundle refused with their codes (nothing left on disk, audited), then a good bundle
// installed to SUCCEEDED with its progress on GET /api/v1/firmware, one job at a time.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import type { FirmwareInfo } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { keys, tamperTar } from '../unit/ota/fixtures/releases.js';
import { otaRoot } from './fixtures/ota-root.js';

const other = keys();

async function serve(t: { teardown(fn: () => unknown): void }) {
  const ota = await otaRoot(t, 'fw-upload-');
  const vb = await virtualBox({ env: ota.env });
  t.teardown(vb.close);
  await vb.box.service.auth.addUser({ username: 'tech', password: 'tech-password-1', role: 'technician' });
  await vb.box.service.auth.addUser({ username: 'lead', password: 'lead-password-1', role: 'supervisor' });
  const http = await serveApi(t, vb.box.service);
  const api = await apiAs(http.port, {
    owner: ['owner', 'test-password-1'],
    tech: ['tech', 'tech-password-1'],
    lead: ['lead', 'lead-password-1'],
  });
  const upload = async (who: 'owner' | 'tech' | 'lead' | null, body: Buffer, type = 'application/octet-stream') => {
    const res = await fetch(api.url('/api/v1/firmware/upload'), {
      method: 'POST',
      headers: { 'content-type': type, ...(who ? { authorization: `Bearer ${api.tokens[who]}` } : {}) },
      body,
    });
    return {
      status: res.status,
      body: (await res.json()) as { error?: { code: string; message: string; details?: { reason?: string } } } & Record<string, unknown>,
    };
  };
  const info = async () => (await api.call('owner', 'GET', '/api/v1/firmware')).body as unknown as FirmwareInfo;
  return { vb, api, upload, info, ota, bundle: ota.bundle };
}

const jobDir = (dataDir: string) => join(dataDir, 'ota-jobs');

t.test('refusals: auth, role, CSRF, type, size, bad / tampered / wrong key / downgrade; nothing kept, audited', async (t) => {
  const s = await serve(t);
  const { bundle } = s;
  const good = bundle('1.1.0');
  t.equal((await s.upload(null, good)).status, 401, 'no credentials');
  t.match(await s.upload('lead', good), { status: 403, body: { error: { code: 'FORBIDDEN' } } }, 'a supervisor may not');
  t.match(await s.upload('owner', good, 'text/plain'), { status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });

  // the browser's way: the session cookie needs the CSRF token on a POST
  const login = await fetch(s.api.url('/api/v1/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tech', password: 'tech-password-1' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const viaCookie = (csrf: string | null, body: Buffer) =>
    fetch(s.api.url('/api/v1/firmware/upload'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/octet-stream', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body,
    });
  const noCsrf = await viaCookie(null, good);
  t.equal(noCsrf.status, 403, 'the session cookie without the CSRF token');
  const garbage = await viaCookie(csrfToken, Buffer.from('this is not a bundle'));
  t.match(await garbage.json(), { error: { code: 'BAD_BUNDLE', details: { reason: 'BAD_BUNDLE' } } });
  t.equal(garbage.status, 400, 'with the token the upload is read (and this one is no bundle)');

  // over the limit: refused on Content-Length before the body is read
  const tooBig = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(s.api.url('/api/v1/firmware/upload'), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.api.tokens.owner}`,
        'content-type': 'application/octet-stream',
        'content-length': String(200 * 1024 * 1024),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(1024));
  });
  t.equal(tooBig.status, 413);
  t.match(JSON.parse(tooBig.body), { error: { code: 'PAYLOAD_TOO_LARGE', details: { limit: 128 * 1024 * 1024 } } });

  const tampered = await s.upload('owner', tamperTar(good, 'callbox 1.1.0'));
  t.match(tampered, { status: 400, body: { error: { code: 'BAD_BUNDLE', details: { reason: 'HASH_MISMATCH' } } } }, 'a tampered file');
  const wrongKey = await s.upload('owner', bundle('1.1.0', { priv: other.priv }));
  t.match(
    wrongKey,
    { status: 400, body: { error: { code: 'BAD_BUNDLE', details: { reason: 'BAD_SIGNATURE' } } } },
    'signed with another key',
  );
  const same = await s.upload('tech', bundle('1.0.0'));
  t.match(
    same,
    { status: 409, body: { error: { code: 'DOWNGRADE', details: { running: '1.0.0' } } } },
    'not newer than the running release',
  );
  t.match(await s.upload('owner', bundle('0.9.0')), { status: 409, body: { error: { code: 'DOWNGRADE' } } }, 'older');
  const needs = await s.upload('owner', bundle('1.3.0', { minVersion: '1.2.0' }));
  t.match(needs, { status: 409, body: { error: { code: 'DOWNGRADE' } } }, 'needs 1.2.0 running first');
  t.match(needs.body.error?.message, /needs at least 1\.2\.0/);

  t.same(readdirSync(jobDir(s.vb.dataDir)), [], 'no refused bundle is kept, no job recorded');
  t.same((await s.info()).jobs, []);
  t.equal(s.ota.layout.currentVersion(), '1.0.0');
  const audit = (await s.api.call('owner', 'GET', '/api/v1/audit?entity=firmware')).body as {
    items: { action: string; actor: string; detail: Record<string, unknown> }[];
  };
  const refused = audit.items.filter((i) => i.action === 'firmware.upload.refused');
  t.equal(refused.length, 6, 'every refused upload read past the checks is audited');
  t.ok(refused.some((i) => i.actor === 'tech' && i.detail.code === 'DOWNGRADE'));
  t.ok(refused.some((i) => i.detail.otaCode === 'HASH_MISMATCH'));
});

t.test('a good bundle: 202, the installer runs, progress on GET /api/v1/firmware, SUCCEEDED; one job at a time', async (t) => {
  const s = await serve(t);
  const { bundle } = s;
  const before = await s.info();
  t.match(before, { version: 'test', upload: { available: true, maxBytes: 128 * 1024 * 1024, reason: null }, ota: { current: '1.0.0' } });
  const good = bundle('1.1.0');
  const r = await s.upload('tech', good);
  t.equal(r.status, 202, JSON.stringify(r.body));
  t.match(r.body, { status: 'QUEUED', version: '1.1.0', bytes: good.length, sha256: /^[0-9a-f]{64}$/ });
  const jobId = r.body.jobId as string;
  t.match(jobId, /^upload-/);
  const second = await s.upload('owner', bundle('1.2.0'));
  t.match(second, { status: 409, body: { error: { code: 'CONFLICT', details: { jobId } } } }, 'a second upload while the first runs');

  const seen = new Set<string>();
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const job = (await s.info()).jobs[0];
    if (job) seen.add(job.status === 'IN_PROGRESS' ? `${job.status}:${job.step}` : job.status);
    if (job?.status === 'SUCCEEDED' || job?.status === 'FAILED') break;
  }
  const after = await s.info();
  t.match(after.jobs[0], { jobId, source: 'upload', status: 'SUCCEEDED', percent: 100, version: '1.1.0' });
  t.ok(seen.has('QUEUED') || [...seen].some((x) => x.startsWith('IN_PROGRESS')), `progress seen: ${[...seen].join(', ')}`);
  t.match(after.ota, { current: '1.1.0', confirmed: '1.1.0', pending: null });
  t.equal(readFileSync(s.ota.marker, 'utf8'), 'x\n', 'the installer restarted the box once');
  t.notOk(
    readdirSync(jobDir(s.vb.dataDir)).some((f) => f.endsWith('.bundle')),
    'the bundle is removed once the job ended',
  );
  const audit = (await s.api.call('owner', 'GET', '/api/v1/audit?action=firmware.upload')).body as {
    items: { actor: string; entityId: string; detail: Record<string, unknown> }[];
  };
  t.match(audit.items, [{ actor: 'tech', entityId: jobId, detail: { version: '1.1.0', bytes: good.length } }]);
  // 1.1.0 now runs: the same bundle again is a downgrade
  t.match(await s.upload('owner', good), { status: 409, body: { error: { code: 'DOWNGRADE' } } });
});
