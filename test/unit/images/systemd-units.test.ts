// The units the image ships (images/systemd/) pass `systemd-analyze verify` against a root that
// has the installed executables and systemd's own units (sysinit.target…); the gadget script and
// the rootfs recipes parse (sh -n / bash -n). Skipped only where systemd-analyze is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';

const ROOT = resolve(import.meta.dirname, '../../..');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

t.test('systemd-analyze verify', { skip: hasAnalyze ? false : 'no systemd-analyze here' }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'callbox-units-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  for (const exe of ['opt/callbox/bin/callbox', 'opt/callbox/current/callbox', 'opt/callbox/bin/callbox-gadget.sh']) {
    mkdirSync(join(root, exe, '..'), { recursive: true });
    writeFileSync(join(root, exe), '#!/bin/sh\n');
    chmodSync(join(root, exe), 0o755);
  }
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
  const units = join(root, 'etc/systemd/system');
  mkdirSync(units, { recursive: true });
  for (const u of ['callbox.service', 'callbox-gadget.service']) cpSync(join(ROOT, 'images/systemd', u), join(units, u));
  const r = spawnSync(
    'systemd-analyze',
    ['verify', `--root=${root}`, join(units, 'callbox.service'), join(units, 'callbox-gadget.service')],
    {
      encoding: 'utf8',
    },
  );
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stderr.trim(), '', 'no warnings');
  // and a unit with a typo is caught (the check can fail)
  writeFileSync(join(units, 'broken.service'), '[Service]\nExecStart=/opt/callbox/current/callbox run\nRestart=sometimes\n');
  const broken = spawnSync('systemd-analyze', ['verify', `--root=${root}`, join(units, 'broken.service')], { encoding: 'utf8' });
  t.match(broken.stderr, /restart specifier/, 'a bad value is reported (as a warning: our units must have none)');
  writeFileSync(join(units, 'missing.service'), '[Service]\nExecStart=/opt/callbox/current/nothere run\n');
  const missing = spawnSync('systemd-analyze', ['verify', `--root=${root}`, join(units, 'missing.service')], { encoding: 'utf8' });
  t.not(missing.status, 0, 'a missing executable fails');
});

t.test('scripts parse', async (t) => {
  execFileSync('sh', ['-n', join(ROOT, 'images/gadget/callbox-gadget.sh')]);
  for (const s of ['make-rootfs.sh', 'make-sdcard.sh']) execFileSync('bash', ['-n', join(ROOT, 'images/rootfs', s)]);
  const usage = spawnSync('sh', [join(ROOT, 'images/gadget/callbox-gadget.sh'), 'frobnicate'], { encoding: 'utf8' });
  t.equal(usage.status, 64);
  t.match(usage.stderr, /usage/);
});
