import t from 'tap';
import { fitSlope, parseLagP99, parseRssSplit } from '../../../bench/soak-lib.mjs';

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
