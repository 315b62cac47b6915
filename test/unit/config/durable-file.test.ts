// writeFileDurable (firmware/src/config/durable-file.ts): the target holds the old or the new bytes,
// never a mix or nothing; no temp file is left behind. That the fsyncs reach the storage is what
// the power-loss harness checks (make powerloss).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { writeFileDurable } from '../../../firmware/src/config/durable-file.js';

const dir = (t: { teardown(fn: () => void): void }) => {
  const d = mkdtempSync(join(tmpdir(), 'callbox-durable-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

t.test('replaces the file; nothing else left in the folder; not readable by others', async (t) => {
  const d = dir(t);
  const target = join(d, 'config.json');
  writeFileSync(target, '{"old":true}');
  await writeFileDurable(target, '{"new":true}');
  t.equal(readFileSync(target, 'utf8'), '{"new":true}');
  t.same(readdirSync(d), ['config.json']);
  t.equal(statSync(target).mode & 0o007, 0, 'no access for others (the config holds SIP and cloud secrets)');
  await writeFileDurable(join(d, 'fresh.json'), new Uint8Array([0x7b, 0x7d]));
  t.equal(readFileSync(join(d, 'fresh.json'), 'utf8'), '{}', 'a new file too');
});

t.test('a failed write leaves the old file as it was and throws', async (t) => {
  const d = dir(t);
  const target = join(d, 'config.json');
  writeFileSync(target, '{"old":true}');
  mkdirSync(join(d, `.config.json.${process.pid}.tmp`)); // the temp file cannot be made
  await t.rejects(writeFileDurable(target, '{"new":true}'), { code: 'EISDIR' });
  t.equal(readFileSync(target, 'utf8'), '{"old":true}');
});
