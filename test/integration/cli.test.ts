// The CLI as an operator meets it: version, usage errors, and a bad config refused at start with a
// message naming the field, the file left exactly as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { runCli } from '../helpers/process.js';

t.test('version and help', async (t) => {
  const v = await runCli(['version']);
  t.equal(v.code, 0);
  t.match(v.stdout, /^\d+\.\d+\.\d+\S*\n$/, 'exactly the version, one line');
  t.equal(v.stderr, '');
  const verbose = await runCli(['version', '--verbose']);
  t.match(verbose.stdout, /^callbox \d+\.\d+\.\d+\S* \(node v20/);
  const bad = await runCli(['frobnicate']);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /unknown command "frobnicate"/);
  const badPort = await runCli(['run', '--sim', '--port', 'eighty']);
  t.equal(badPort.code, 64);
  t.match(badPort.stderr, /port must be 0-65535/);
});

const cases: { name: string; text: string; expect: RegExp }[] = [
  { name: 'broken JSON', text: '{ "version": 1, "shop": ', expect: /config\.json.*(line|position|column)/i },
  {
    name: 'wrong type',
    text: JSON.stringify({ ...defaultConfig(), queues: [{ ...defaultConfig().queues[0], ringTimeoutS: 'twenty' }] }),
    expect: /\/queues\/0\/ringTimeoutS/,
  },
  { name: 'unknown field', text: JSON.stringify({ ...defaultConfig(), colour: 'red' }), expect: /colour/ },
];

for (const c of cases) {
  t.test(`bad config at start (${c.name}) is refused and left untouched`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'callbox-cli-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'config.json');
    writeFileSync(path, c.text);
    const r = await runCli(['run', '--sim', '--port', '0', '--data-dir', dir], { CALLBOX_ADMIN_PASSWORD: 'x-password-1' });
    t.equal(r.code, 78, 'exit code 78 (EX_CONFIG)');
    t.match(r.stderr, c.expect);
    t.equal(readFileSync(path, 'utf8'), c.text, 'the file is byte-identical');
  });
}
