// Backup and restore round trip on a whole box (service/backup.ts, routes/backup.ts): the owner
// downloads a backup (a callbox-backup/1 tar.gz: manifest, a consistent SQLite snapshot, the config,
// the shop's own prompts; audited), the box changes (a new customer, a prompt reverted, another shop
// name), the backup is checked (step 1) and confirmed (step 2: the box asks to restart), and the
// box opened again on the same data folder holds the backup's data again, with the restore in its
// audit trail. Refused: other roles, not a tar.gz, another format, a newer schema, an unknown token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import type { StagedRestore } from '../../firmware/src/service/types.js';
import { readTarGz, writeTarGz } from '../../firmware/src/ota/tar.js';
import { startHttpServer } from '../../web-ui/server/app.js';
import { virtualBox } from '../helpers/box.js';
import { loginToken } from '../helpers/http-api.js';

const OWNER = { username: 'owner', role: 'owner' } as const;

t.test('backup, change, restore: the box is as it was', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-backup-test-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const restarts: string[] = [];
  const vb = await virtualBox({ dataDir, requestRestart: (r) => restarts.push(r) });
  const http = await startHttpServer({ service: vb.box.service, log: pino({ level: 'silent' }), port: 0 });
  const url = (p: string) => `http://127.0.0.1:${http.port}${p}`;
  const tokenOf = (username: string, password: string) => loginToken(http.port, username, password);
  const owner = { authorization: `Bearer ${await tokenOf('owner', 'test-password-1')}` };
  await vb.box.service.auth.addUser({ username: 'tech', password: 'tech-password-1', role: 'technician' });
  const tech = { authorization: `Bearer ${await tokenOf('tech', 'tech-password-1')}` };
  const svc = vb.box.service;

  const lilei = svc.customers.create(OWNER, { name: '李雷', phones: [{ phone: '13800001111' }] });
  await svc.prompts.tts(OWNER, 'zh-CN', 'closed', '本店已下班。');

  // step 0: the download
  t.equal((await fetch(url('/api/v1/backup'), { headers: tech })).status, 403, 'a technician may not');
  t.equal((await fetch(url('/api/v1/backup'))).status, 401);
  const res = await fetch(url('/api/v1/backup'), { headers: owner });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-disposition'), /attachment; filename="callbox-backup-.*\.tar\.gz"/);
  const backup = Buffer.from(await res.arrayBuffer());
  const entries = readTarGz(backup);
  const manifest = JSON.parse(entries.find((e) => e.path === 'manifest.json')?.data.toString() ?? '{}');
  t.match(manifest, { format: 'callbox-backup/1', firmwareVersion: 'test' });
  t.ok(manifest.schemaVersion > 10, `schema version ${manifest.schemaVersion}`);
  t.same(entries.map((e) => e.path).sort(), ['callbox.db', 'config.json', 'manifest.json', 'prompts/zh-CN/closed.wav']);
  t.equal(svc.audit.list({ action: 'backup.download', limit: 5 }).length, 1, 'the download is audited');

  // the box changes
  const hanmeimei = svc.customers.create(OWNER, { name: '韩梅梅', phones: [{ phone: '13900002222' }] });
  svc.prompts.revert(OWNER, 'zh-CN', 'closed');
  const snap = svc.config.get();
  await svc.config.replace(
    { ...structuredClone(snap.config), shop: { ...snap.config.shop, name: '改过的店名' } },
    { actor: 'owner', source: 'api', ifMatch: snap.version },
  );

  // refused archives
  const stage = (body: Buffer, headers: Record<string, string> = owner) =>
    fetch(url('/api/v1/backup/restore'), { method: 'POST', headers: { ...headers, 'content-type': 'application/gzip' }, body });
  const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; details?: { field?: string } } }).error;
  t.equal((await stage(backup, tech)).status, 403);
  let r = await stage(Buffer.from('not a tar.gz'));
  t.match(await errorOf(r), { code: 'VALIDATION_FAILED', details: { field: 'file' } }, 'not an archive');
  const remake = (m: object) =>
    writeTarGz([
      { path: 'manifest.json', type: 'file', mode: 0o644, data: Buffer.from(JSON.stringify(m)) },
      ...entries.filter((e) => e.path !== 'manifest.json'),
    ]);
  r = await stage(remake({ ...manifest, format: 'other/9' }));
  t.match(await errorOf(r), { details: { field: 'format' } }, 'another format');
  r = await stage(remake({ ...manifest, schemaVersion: manifest.schemaVersion + 1 }));
  t.match(await errorOf(r), { code: 'VALIDATION_FAILED', details: { field: 'schemaVersion' } }, 'a newer schema than the box');
  r = await stage(writeTarGz(entries.filter((e) => e.path !== 'callbox.db')));
  t.match(await errorOf(r), { details: { field: 'file' } }, 'no database');
  r = await fetch(url(`/api/v1/backup/restore/${'0'.repeat(32)}/confirm`), { method: 'POST', headers: owner });
  t.equal(r.status, 404, 'an unknown token');
  t.same(restarts, [], 'nothing restarted so far');

  // step 1: the check; step 2: confirm
  r = await stage(backup);
  t.equal(r.status, 200);
  const staged = (await r.json()) as StagedRestore;
  t.match(staged, { manifest: { createdAt: manifest.createdAt }, summary: { prompts: 1 } });
  t.ok(staged.summary.databaseBytes > 10_000);
  r = await fetch(url(`/api/v1/backup/restore/${staged.token}/confirm`), { method: 'POST', headers: owner });
  t.equal(r.status, 202);
  t.same(restarts, ['restore from a backup'], 'the box asked to restart');
  t.equal(
    (await fetch(url(`/api/v1/backup/restore/${staged.token}/confirm`), { method: 'POST', headers: owner })).status,
    404,
    'a token is used once',
  );
  await http.close();
  await vb.close();

  // the restart: the same data folder, opened again
  const again = await virtualBox({ dataDir });
  t.teardown(again.close);
  const s2 = again.box.service;
  t.ok(s2.customers.get(OWNER, lilei.id), 'the customer of the backup is there');
  t.equal(s2.customers.get(OWNER, hanmeimei.id), null, 'the one made after the backup is not');
  t.not(s2.config.get().config.shop.name, '改过的店名', "the backup's config");
  t.match(
    s2.prompts.list().find((p) => p.language === 'zh-CN' && p.name === 'closed'),
    { custom: true },
    "the shop's own prompt is back",
  );
  t.match(
    s2.audit.list({ action: 'backup.restore', limit: 5 })[0],
    { actor: 'owner', entity: 'backup' },
    'the restore is in the restored audit trail',
  );
});
