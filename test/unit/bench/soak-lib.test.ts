import { readFileSync } from 'node:fs';
import t from 'tap';
import { classifySmaps, fitSlope, parseLagP99, parseRssSplit, unitEnvironment } from '../../../bench/soak-lib.mjs';

t.test('fitSlope: the least-squares slope, 0 without two distinct x', async (t) => {
  t.equal(fitSlope([]), 0);
  t.equal(fitSlope([[1, 5]]), 0);
  t.equal(
    fitSlope([
      [1, 5],
      [1, 7],
    ]),
    0,
  );
  t.equal(
    fitSlope([
      [0, 1],
      [1, 3],
      [2, 5],
    ]),
    2,
  );
  t.equal(
    fitSlope([
      [0, 10],
      [1, 10],
      [2, 10],
      [3, 10],
    ]),
    0,
    'flat is 0',
  );
  t.ok(
    Math.abs(
      fitSlope([
        [0, 0],
        [1, 1.1],
        [2, 1.9],
        [3, 3],
      ]) - 0.98,
    ) < 1e-9,
  );
});

t.test('parseLagP99 reads the 0.99 quantile of the lag summary', async (t) => {
  const text = ['callbox_event_loop_lag_seconds{quantile="0.5"} 0.002', 'callbox_event_loop_lag_seconds{quantile="0.99"} 0.0312'].join(
    '\n',
  );
  t.equal(parseLagP99(text), 0.0312);
  t.ok(Number.isNaN(parseLagP99('callbox_calls_active 0')));
});

t.test('parseRssSplit: anonymous and file-backed RSS of /proc/<pid>/status in bytes', async (t) => {
  const status = 'Name:\tnode\nVmRSS:\t  101092 kB\nRssAnon:\t   50228 kB\nRssFile:\t   50864 kB\nRssShmem:\t       0 kB\n';
  t.same(parseRssSplit(status), { rssAnonBytes: 50228 * 1024, rssFileBytes: 50864 * 1024 });
  const missing = parseRssSplit('VmRSS:\t 1 kB\n');
  t.ok(Number.isNaN(missing.rssAnonBytes) && Number.isNaN(missing.rssFileBytes));
});

t.test('classifySmaps: anonymous RSS by holder (brk, thread arenas, V8 and the rest), file apart', async (t) => {
  const map = (range: string, perms: string, name: string, rssKb: number) =>
    `${range} ${perms} 00000000 00:00 0 ${name}\nSize: 4 kB\nRss: ${rssKb} kB\nPss: ${rssKb} kB\n`;
  const smaps = [
    map('00400000-00b6f000', 'r--p', '                  /usr/bin/node', 6896),
    map('403ee000-40c4b000', 'rw-p', '                  [heap]', 8368),
    map('7fe714000000-7fe715000000', 'rw-p', '', 16384), // a thread arena: 64 MB aligned
    map('7fe715000000-7fe718000000', '---p', '', 0), // its reserved rest
    map('7fe718000000-7fe718200000', 'rw-p', '', 2048), // another thread arena
    map('7fe723e1f000-7fe723e9f000', 'rw-p', '', 512), // V8 pages: not 64 MB aligned
    map('7ffe7a76a000-7ffe7a78b000', 'rw-p', '                  [stack]', 64),
    map('7fe750ec7000-7fe750ec9000', 'r-xp', '                  [vdso]', 4),
  ].join('');
  t.same(classifySmaps(smaps), {
    brk: 8368 * 1024,
    threadArenas: (16384 + 2048) * 1024,
    arenaCount: 2,
    stacks: 64 * 1024,
    otherAnon: 512 * 1024,
    file: 6896 * 1024,
  });
  t.same(classifySmaps(''), { brk: 0, threadArenas: 0, arenaCount: 0, stacks: 0, otherAnon: 0, file: 0 });
});

t.test('classifySmaps: named anonymous mappings count as anonymous; the kernel pages in no bucket', async (t) => {
  const map = (range: string, perms: string, name: string, rssKb: number) =>
    `${range} ${perms} 00000000 00:00 0 ${name}\nSize: 4 kB\nRss: ${rssKb} kB\n`;
  const smaps = [
    map('7fe714000000-7fe715000000', 'rw-p', '                  [anon: glibc: malloc arena]', 1024),
    map('7fe723e1f000-7fe723e9f000', 'rw-p', '                  [anon: glibc: malloc]', 256),
    map('7fe800000000-7fe801000000', 'rw-p', '                  [anon:v8]', 128), // aligned, but named: not an arena
    map('7fe750ec7000-7fe750ec9000', 'r-xp', '                  [vdso]', 8),
    map('7fe750ec5000-7fe750ec7000', 'r--p', '                  [vvar]', 8),
  ].join('');
  t.same(classifySmaps(smaps), {
    brk: 0,
    threadArenas: 1024 * 1024,
    arenaCount: 1,
    stacks: 0,
    otherAnon: (256 + 128) * 1024,
    file: 0,
  });
});

t.test('unitEnvironment: the Environment= settings of a systemd unit', async (t) => {
  const unit = [
    '[Service]',
    '# Environment=COMMENTED=1',
    'Environment=A=1',
    'Environment="B=two words" C=3',
    'EnvironmentFile=-/etc/default/callbox',
    'ExecStart=/opt/callbox/current/callbox run',
  ].join('\n');
  t.same(unitEnvironment(unit), { A: '1', B: 'two words', C: '3' });
  t.same(unitEnvironment(''), {});
});

t.test('the shipped unit caps glibc malloc arenas (the soak runs the box with it)', async (t) => {
  const text = readFileSync(new URL('../../../images/systemd/callbox.service', import.meta.url), 'utf8');
  t.equal(unitEnvironment(text).MALLOC_ARENA_MAX, '2');
});
