// Disk full (issue 11's fault suite): the production bundle's data dir on a small tmpfs (we run as
// root; unmounted whatever happens). A file fills the disk down to less than recording.minFreeMB
// while calls go on: recordings stop with the RECORDING_FAILED alarm (cause ENOSPC) and /healthz
// degraded, calls are still answered, end and are saved (the reserve is the database's room), the
// box stays up; the space comes back: the next call is recorded again and the alarm clears; the
// database passes PRAGMA integrity_check and holds every call.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type RunningBox, startBox } from '../helpers/process.js';
import { health, signIn, sleep, waitFor } from '../integration/fixtures/shop-work.js';

/** Two lines, two staffed extensions answering at once, a short greeting: calls are bridged (and recorded) in ~1 s. */
function quickConfig(dir: string): void {
  const agents = [1, 2].map((i) => ({ id: `a${i}`, name: `坐席${i}`, extension: `fxs${i}` }));
  const config = {
    version: 1,
    shop: { name: '磁盘测试', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: { driver: 'sim', sim: { fxo: 2, fxs: 2, gsm: 0, agentAnswerAfterS: 0.3, agentTalkS: 600 } },
    lines: [1, 2].map((i) => ({ channel: `fxo${i}`, name: `Line ${i}`, ivr: 'main', answerAfterRings: 1 })),
    agents,
    queues: [{ id: 'main', name: '人工服务', strategy: 'longestIdle', members: ['a1', 'a2'], ringTimeoutS: 20, maxWaitS: 300, wrapUpS: 0 }],
    recording: { enabled: true, format: 'pcm16', channels: 'mixed', retentionDays: 180, quotaMB: 100, compress: 'none', minFreeMB: 16 },
    ivr: {
      menus: {
        main: {
          prompt: 'num-1',
          timeoutS: 1,
          repeats: 1,
          options: { 1: { action: 'queue', queue: 'main' } },
          onTimeout: { action: 'queue', queue: 'main' },
          onInvalid: { action: 'menu', menu: 'main' },
        },
      },
    },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
}

/** Write zeros to `file` until the filesystem refuses (ENOSPC); returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  let n = 0;
  try {
    for (;;) n += writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  // the last partial block
  const fd2 = openSync(file, 'a');
  try {
    for (;;) n += writeSync(fd2, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
  return n;
}

async function call(box: RunningBox, auth: Record<string, string>, channel: string, i: number): Promise<string> {
  const r = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ channel, callerId: `1380013${String(i).padStart(4, '0')}`, digits: '1', hangupAfterS: 4 }),
  });
  if (r.status !== 201) throw new Error(`call ${i}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { callId: string }).callId;
}

async function ended(box: RunningBox, auth: Record<string, string>, id: string): Promise<{ state: string; outcome: string | null }> {
  let last = { state: 'unknown', outcome: null as string | null };
  await waitFor(async () => {
    const r = await fetch(`${box.url}/api/v1/calls/${id}`, { headers: auth });
    if (r.status !== 200) return false;
    last = (await r.json()) as typeof last;
    return last.state === 'ended';
  }, 30_000);
  return last;
}

async function recordingOf(box: RunningBox, auth: Record<string, string>, callId: string) {
  const r = await fetch(`${box.url}/api/v1/recordings?callId=${callId}`, { headers: auth });
  const body = (await r.json()) as { recordings?: { callId: string; state: string; durationMs: number }[] };
  return (body.recordings ?? []).find((x) => x.callId === callId) ?? null;
}

t.test('disk full: recordings stop with an alarm, calls go on, no corruption, recovery when space returns', async (t) => {
  const mnt = mkdtempSync(join(tmpdir(), 'callbox-diskfull-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt]);
  let box: RunningBox | null = null;
  t.teardown(async () => {
    await box?.stop().catch(() => undefined);
    execFileSync('umount', ['-l', mnt]);
    rmdirSync(mnt);
  });
  quickConfig(mnt);
  box = await startBox(mnt);
  const auth = await signIn(box);

  const before = await call(box, auth, 'fxo1', 1);
  t.match(await ended(box, auth, before), { state: 'ended', outcome: 'answered' }, 'a call with room on the disk');
  t.ok(await waitFor(async () => (await recordingOf(box as RunningBox, auth, before))?.state === 'complete', 10_000), 'and its recording');

  const filler = join(mnt, 'filler.bin');
  const filled = fill(filler);
  t.ok(filled > 1e6, `disk filled (${(filled / 1048576).toFixed(1)} MiB)`);
  truncateSync(filler, filled - 6 * 1048576); // 6 MiB free: under the 16 MiB reserve, room for the database

  const during = [await call(box, auth, 'fxo1', 2), await call(box, auth, 'fxo2', 3)];
  t.ok(
    await waitFor(async () => (await health(box as RunningBox)).alarms.some((a) => a.code === 'RECORDING_FAILED'), 20_000),
    'RECORDING_FAILED shown while the disk is full',
  );
  const h = await health(box);
  t.equal(h.status, 'degraded');
  t.match(
    h.alarms.find((a) => a.code === 'RECORDING_FAILED'),
    { severity: 'error', subject: 'recordings', cause: 'ENOSPC', message: /minFreeMB/ },
  );
  t.same(
    h.alarms.filter((a) => a.code !== 'RECORDING_FAILED'),
    [],
    'no other alarm: the database still writes',
  );
  for (const id of during)
    t.match(await ended(box, auth, id), { state: 'ended', outcome: 'answered' }, `call ${id} answered and ended on a full disk`);
  t.equal(box.proc.exitCode, null, 'the box is still running');

  rmSync(filler);
  await sleep(500);
  const after = await call(box, auth, 'fxo1', 4);
  t.match(await ended(box, auth, after), { state: 'ended', outcome: 'answered' }, 'a call after the space came back');
  t.ok(await waitFor(async () => (await recordingOf(box as RunningBox, auth, after))?.state === 'complete', 10_000), 'recorded again');
  t.ok(
    await waitFor(async () => !(await health(box as RunningBox)).alarms.some((a) => a.code === 'RECORDING_FAILED'), 10_000),
    'the alarm cleared',
  );
  t.equal((await health(box)).status, 'ok');

  t.equal(await box.stop(), 0, 'clean stop');
  box = null;
  const db = new Database(join(mnt, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  t.same(db.pragma('integrity_check'), [{ integrity_check: 'ok' }], 'PRAGMA integrity_check: ok');
  const rows = db.prepare('SELECT id, state FROM calls').all() as { id: string; state: string }[];
  for (const id of [before, ...during, after])
    t.ok(
      rows.some((r) => r.id === id && r.state === 'ended'),
      `call ${id} is in the database, ended`,
    );
});
