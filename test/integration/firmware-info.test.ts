// GET /api/v1/firmware on a whole box: owners and technicians see the running version; without
// CALLBOX_OTA_ROOT the OTA state is null and an upload is refused (409 OTA_UNAVAILABLE); under an
// OTA root the current and confirmed release, the pending install and the last rollback come from
// ota/state.json (docs/ota.md), and an upload is offered.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { FirmwareInfo } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';
import { loginToken, serveApi } from '../helpers/http-api.js';

async function serve(t: { teardown(fn: () => unknown): void }, env: Record<string, string>) {
  const vb = await virtualBox({ env });
  t.teardown(vb.close);
  const http = await serveApi(t, vb.box.service);
  const url = (p: string) => `http://127.0.0.1:${http.port}${p}`;
  const token = (username: string, password: string) => loginToken(http.port, username, password);
  await vb.box.service.auth.addUser({ username: 'lead', password: 'lead-password-1', role: 'supervisor' });
  const get = async (who: string, password: string) =>
    fetch(url('/api/v1/firmware'), { headers: { authorization: `Bearer ${await token(who, password)}` } });
  const upload = async () =>
    fetch(url('/api/v1/firmware/upload'), {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('owner', 'test-password-1')}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from('a bundle'),
    });
  return { get, url, upload };
}

t.test('no OTA root: the version, ota null, no upload (409 OTA_UNAVAILABLE); roles', async (t) => {
  const s = await serve(t, {});
  const r = await s.get('owner', 'test-password-1');
  t.match(await r.json(), { version: 'test', ota: null, upload: { available: false, reason: /CALLBOX_OTA_ROOT/ }, jobs: [] });
  const up = await s.upload();
  t.equal(up.status, 409);
  t.match(await up.json(), { error: { code: 'OTA_UNAVAILABLE', message: /CALLBOX_OTA_ROOT/ } });
  t.equal((await s.get('lead', 'lead-password-1')).status, 403, 'a supervisor may not');
  t.equal((await fetch(s.url('/api/v1/firmware'))).status, 401);
});

t.test('under an OTA root: current, confirmed, pending, last rollback', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'callbox-ota-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'releases', '1.3.0'), { recursive: true });
  mkdirSync(join(root, 'ota'), { recursive: true });
  symlinkSync(join('releases', '1.3.0'), join(root, 'current'));
  const rollback = { from: '1.4.0', to: '1.3.0', reason: 'HEALTH_FAILED: /healthz degraded', at: '2026-11-27T03:00:00.000Z' };
  writeFileSync(join(root, 'ota', 'state.json'), JSON.stringify({ confirmed: '1.3.0', pending: null, lastRollback: rollback }));
  const s = await serve(t, { CALLBOX_OTA_ROOT: root });
  const info = (await (await s.get('owner', 'test-password-1')).json()) as FirmwareInfo;
  t.same(info, {
    version: 'test',
    ota: { root, current: '1.3.0', confirmed: '1.3.0', pending: null, lastRollback: rollback },
    upload: { available: true, maxBytes: 128 * 1024 * 1024, reason: null },
    jobs: [],
  });
});
