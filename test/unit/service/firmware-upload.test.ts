// FirmwareUploads with the box's real OTA job runner in a temp folder: an upload without a
// Content-Length (chunked) that grows past the limit is cut off with 413 PAYLOAD_TOO_LARGE while it
// streams, its partial file removed, no job recorded, the refusal audited; one within the limit is
// read whole (size and sha256) before its check. A good bundle while an install waits for its
// confirmation is refused by the installer's own check (409 CONFLICT, reason BUSY, its message).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { OtaJobs } from '../../../firmware/src/cloud/ota-jobs.js';
import { CallboxError } from '../../../firmware/src/errors.js';
import { FirmwareUploads, receiveToFile } from '../../../firmware/src/service/firmware-upload.js';
import { confirmBoot } from '../../../firmware/src/ota/boot.js';
import { OtaLayout } from '../../../firmware/src/ota/layout.js';
import { bundleOf, keys, makeRelease, tempDir } from '../ota/fixtures/releases.js';

async function* chunks(n: number, size: number) {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setImmediate(r));
    yield Buffer.alloc(size, i);
  }
}

function jobsIn(dir: string, root: string): OtaJobs {
  return new OtaJobs({
    dataDir: dir,
    settings: {
      root,
      publicKeyFile: join(dir, 'pub.pem'),
      restartCmd: 'true',
      healthUrl: 'http://127.0.0.1:1',
      healthDeadlineS: 1,
      installer: ['true'],
    },
    log: pino({ level: 'silent' }),
    now: () => Date.now(),
    publish: () => false,
  });
}

t.test('a chunked upload past the limit: 413 while streaming, nothing kept, audited', async (t) => {
  const dir = tempDir('fw-unit-');
  const root = join(dir, 'root');
  mkdirSync(root);
  const jobs = jobsIn(dir, root);
  const audit: { action: string; detail: unknown }[] = [];
  const up = new FirmwareUploads({
    jobs,
    otaRoot: root,
    audit: (_a, action, _e, _i, detail) => audit.push({ action, detail }),
    maxBytes: 1000,
  });
  let read = 0;
  const body = (async function* () {
    for await (const c of chunks(10, 300)) {
      read++;
      yield c;
    }
  })();
  const err = await up.upload('owner', body, null).catch((e: unknown) => e);
  t.ok(err instanceof CallboxError);
  t.match(err, { code: 'PAYLOAD_TOO_LARGE', status: 413, details: { limit: 1000 } });
  t.equal(read, 4, 'reading stopped at the chunk that crossed the limit');
  t.same(readdirSync(join(dir, 'ota-jobs')), [], 'the partial file is removed');
  t.same(jobs.recent(), []);
  t.match(audit, [{ action: 'firmware.upload.refused', detail: { code: 'PAYLOAD_TOO_LARGE' } }]);
  const declared = await up.upload('owner', chunks(1, 10), 5000).catch((e: unknown) => e);
  t.match(declared, { code: 'PAYLOAD_TOO_LARGE' }, 'a declared length over the limit: refused before reading');
});

t.test("an install waits for its confirmation: the installer's BUSY check answers, 409 CONFLICT", async (t) => {
  const dir = tempDir('fw-unit-');
  const root = join(dir, 'root');
  const k = keys();
  const layout = new OtaLayout(root);
  cpSync(makeRelease('1.0.0'), layout.releaseDir('1.0.0'), { recursive: true });
  layout.switchCurrent('1.0.0');
  confirmBoot(root);
  writeFileSync(join(dir, 'pub.pem'), k.publicPem);
  layout.writeState({
    ...layout.readState(),
    pending: { version: '1.1.0', previous: '1.0.0', jobId: 'cloud-1', startedAt: new Date().toISOString() },
  });
  const jobs = jobsIn(dir, root);
  const audit: { action: string; detail: unknown }[] = [];
  const up = new FirmwareUploads({ jobs, otaRoot: root, audit: (_a, action, _e, _i, detail) => audit.push({ action, detail }) });
  const bundle = bundleOf(makeRelease('1.2.0'), '1.2.0', k.priv);
  const err = await up
    .upload(
      'owner',
      (async function* () {
        yield bundle;
      })(),
      bundle.length,
    )
    .catch((e: unknown) => e);
  t.ok(err instanceof CallboxError);
  t.match(err, {
    code: 'CONFLICT',
    status: 409,
    message: 'an install of 1.1.0 is pending; confirm or roll it back first',
    details: { reason: 'BUSY' },
  });
  t.same(jobs.recent(), [], 'no job');
  t.same(readdirSync(join(dir, 'ota-jobs')), [], 'the bundle is not kept');
  t.match(audit, [{ action: 'firmware.upload.refused', detail: { code: 'CONFLICT', otaCode: 'BUSY' } }]);
});

t.test('receiveToFile: the whole body, its size and sha256', async (t) => {
  const file = join(tempDir('fw-unit-'), 'b.bundle');
  const r = await receiveToFile(chunks(3, 100), file, 300);
  const want = createHash('sha256');
  for (let i = 0; i < 3; i++) want.update(Buffer.alloc(100, i));
  t.same(r, { size: 300, sha256: want.digest('hex') });
  t.ok(existsSync(file));
});
