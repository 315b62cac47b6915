// service/backup.ts on its own (the whole round trip over HTTP: test/integration/backup-restore.test.ts):
// the archive holds only the shop's own prompts with a known language and a valid name; a check is
// kept 10 minutes, and a new check replaces the one before (one restore at a time); an archive's
// other prompt paths are left out of the restore.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { readTarGz, writeTarGz } from '../../../firmware/src/ota/tar.js';
import { BoxBackup } from '../../../firmware/src/service/backup.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

const OWNER = { username: 'owner', role: 'owner' } as const;
const WAV = encodeWav16(new Int16Array(800), 8000);

function setUp(t: { teardown(fn: () => unknown): void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-backup-unit-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ shop: { name: '小店' } }));
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  let now = Date.parse('2026-11-27T10:00:00Z');
  const restarts: string[] = [];
  const backup = new BoxBackup({
    db,
    dataDir,
    version: 'test',
    now: () => now,
    audit: () => undefined,
    requestRestart: (r) => restarts.push(r),
  });
  return { dataDir, backup, restarts, later: (ms: number) => (now += ms) };
}

t.test("the archive holds the shop's own prompts with valid names only", async (t) => {
  const { dataDir, backup } = setUp(t);
  for (const [lang, file] of [
    ['en', 'hello.wav'],
    ['zh-CN', 'welcome.wav'],
    ['en', '.hello.wav.tmp'],
    ['en', 'Bad-Name.wav'],
    ['en', 'notes.txt'],
    ['fr', 'bonjour.wav'],
  ] as const) {
    mkdirSync(join(dataDir, 'prompts', lang), { recursive: true });
    writeFileSync(join(dataDir, 'prompts', lang, file), WAV);
  }
  const { data } = await backup.create(OWNER);
  const paths = readTarGz(data).map((e) => e.path);
  t.same(paths.filter((p) => p.startsWith('prompts/')).sort(), ['prompts/en/hello.wav', 'prompts/zh-CN/welcome.wav']);
});

t.test('a check is kept 10 minutes; a new check replaces the one before', async (t) => {
  const { backup, restarts, later } = setUp(t);
  const { data } = await backup.create(OWNER);
  const first = backup.stage(OWNER, data);
  const second = backup.stage(OWNER, data);
  t.not(first.token, second.token);
  t.throws(() => backup.confirm(OWNER, first.token), { code: 'NOT_FOUND' }, 'the first check is gone');
  later(10 * 60_000 + 1);
  t.throws(() => backup.confirm(OWNER, second.token), { code: 'NOT_FOUND' }, 'expired after 10 minutes');
  const third = backup.stage(OWNER, data);
  later(9 * 60_000);
  t.same(backup.confirm(OWNER, third.token), { restarting: true });
  t.same(restarts, ['restore from a backup']);
  t.throws(() => backup.confirm(OWNER, third.token), { code: 'NOT_FOUND' }, 'used once');
});

t.test("an archive's prompts outside prompts/<language>/<name>.wav are not restored", async (t) => {
  const { backup } = setUp(t);
  const entries = readTarGz((await backup.create(OWNER)).data);
  const prompt = (path: string) => ({ path, type: 'file' as const, mode: 0o644, data: WAV });
  const archive = writeTarGz([
    ...entries,
    prompt('prompts/en/thanks.wav'),
    prompt('prompts/zh-CN/closed.wav'),
    prompt('prompts/fr/merci.wav'),
    prompt('prompts/en/Thanks.wav'),
    prompt('prompts/en/sub/thanks.wav'),
    prompt('prompts/en/thanks.mp3'),
    prompt('other/en/thanks.wav'),
  ]);
  t.equal(backup.stage(OWNER, archive).summary.prompts, 2);
});
