import t, { type Test } from 'tap';
import { escapeLabelValue, formatValue, renderExposition } from '../../../web-ui/server/prometheus.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

interface Parsed {
  types: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;

function unescapeLabel(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** A strict little parser for text format 0.0.4: every sample must follow its family's TYPE. */
function parse(t: Test, text: string): Parsed {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Parsed['samples'] = [];
  t.ok(text.endsWith('\n'), 'ends with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') helps.add(name);
      else {
        t.notOk(types.has(name), `one TYPE line for ${name}`);
        t.match(rest, /^(counter|gauge|summary|histogram|untyped)$/);
        types.set(name, rest);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) {
      t.fail(`unparseable line: ${JSON.stringify(line)}`);
      continue;
    }
    const [, name = '', labelText = '', valueText = ''] = m;
    t.ok(types.has(name), `${name} has a TYPE before its samples`);
    t.ok(helps.has(name), `${name} has a HELP`);
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const l = LABEL.exec(labelText);
      if (!l) {
        t.fail(`bad labels: ${labelText}`);
        break;
      }
      labels[l[1] ?? ''] = unescapeLabel(l[2] ?? '');
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    t.notOk(Number.isNaN(value) && valueText !== 'NaN', `numeric value on ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

t.test('metrics: text format 0.0.4 with every family typed, values from the service', async (t) => {
  const s = await startTestServer(t);
  const res = await s.call('/metrics');
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const { types, samples } = parse(t, await res.text());
  t.same(Object.fromEntries(types), {
    callbox_calls_active: 'gauge',
    callbox_calls_total: 'counter',
    callbox_calls_by_outcome_total: 'counter',
    callbox_event_loop_lag_seconds: 'gauge',
    callbox_process_resident_memory_bytes: 'gauge',
    callbox_heap_used_bytes: 'gauge',
    callbox_uptime_seconds: 'gauge',
    callbox_alarms_active: 'gauge',
    callbox_alarm_active: 'gauge',
  });
  const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
    samples.find((x) => x.name === name && JSON.stringify(x.labels) === JSON.stringify(labels))?.value;
  t.equal(value('callbox_calls_active'), 2);
  t.equal(value('callbox_calls_total'), 42);
  t.equal(value('callbox_calls_by_outcome_total', { outcome: 'answered' }), 30);
  t.equal(value('callbox_calls_by_outcome_total', { outcome: 'noAgent' }), 0, 'unseen outcomes are 0');
  t.equal(value('callbox_calls_by_outcome_total', { outcome: 'odd "label"\\\nvalue' }), 1, 'escaped label round-trips');
  t.equal(value('callbox_event_loop_lag_seconds', { quantile: '0.5' }), 0.0012);
  t.equal(value('callbox_event_loop_lag_seconds', { quantile: '0.99' }), 0.015);
  t.equal(value('callbox_event_loop_lag_seconds', { quantile: '1' }), 0.2);
  t.equal(value('callbox_process_resident_memory_bytes'), 80_000_000);
  t.equal(value('callbox_heap_used_bytes'), 30_000_000);
  t.equal(value('callbox_uptime_seconds'), 3600.5);
  t.equal(value('callbox_alarms_active'), 0, 'no alarm: the count is there, 0');
  t.same(
    samples.filter((x) => x.name === 'callbox_alarm_active'),
    [],
    'no alarm: no series',
  );
});

t.test('metrics: an alarm raised shows as a series, a cleared one goes', async (t) => {
  const s = await startTestServer(t);
  const scrape = async () => parse(t, await (await s.call('/metrics')).text()).samples;
  const alarms = (samples: Parsed['samples']) => samples.filter((x) => x.name === 'callbox_alarm_active').map((x) => [x.labels, x.value]);
  const count = (samples: Parsed['samples']) => samples.find((x) => x.name === 'callbox_alarms_active')?.value;
  const cardGone = 'audio device usbhat: arecord exit 1: arecord: main:831: audio open error: No such file or directory';
  s.fake.metricsSnapshot.alarms = [
    { code: 'CHANNEL_ERROR', severity: 'error', subject: 'fxo2', message: cardGone },
    { code: 'CHANNEL_ERROR', severity: 'error', subject: 'fxs2', message: cardGone },
    { code: 'CLOUD_OFFLINE', severity: 'warning', subject: 'cloud', message: 'getaddrinfo ENOTFOUND x', since: '2026-11-27T20:00:00.000Z' },
  ];
  let samples = await scrape();
  t.equal(count(samples), 3);
  t.same(alarms(samples), [
    [{ code: 'CHANNEL_ERROR', severity: 'error', subject: 'fxo2' }, 1],
    [{ code: 'CHANNEL_ERROR', severity: 'error', subject: 'fxs2' }, 1],
    [{ code: 'CLOUD_OFFLINE', severity: 'warning', subject: 'cloud' }, 1],
  ]);
  s.fake.metricsSnapshot.alarms = s.fake.metricsSnapshot.alarms.filter((a) => a.subject !== 'fxo2');
  samples = await scrape();
  t.equal(count(samples), 2, 'fxo2 cleared');
  t.same(
    alarms(samples).map(([l]) => l),
    [
      { code: 'CHANNEL_ERROR', severity: 'error', subject: 'fxs2' },
      { code: 'CLOUD_OFFLINE', severity: 'warning', subject: 'cloud' },
    ],
    "fxo2's series is gone",
  );
  // Two alarms alike (never made by the box today) stay one series, the text format allows no twin.
  const twin = { code: 'MODULE_FAILED' as const, severity: 'error' as const, subject: 'acd', message: 'x' };
  s.fake.metricsSnapshot.alarms = [twin, { ...twin, message: 'y' }];
  samples = await scrape();
  t.same(alarms(samples), [[{ code: 'MODULE_FAILED', severity: 'error', subject: 'acd' }, 2]]);
  t.equal(count(samples), 2);
  s.fake.metricsSnapshot.alarms = [];
  samples = await scrape();
  t.same(alarms(samples), [], 'all cleared: no series');
  t.equal(count(samples), 0);
});

t.test('metrics: bearer required only when metricsRequireAuth() is true', async (t) => {
  const s = await startTestServer(t);
  s.fake.requireMetricsAuth = true;
  let res = await s.call('/metrics');
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /^Bearer/);
  t.match(await errorOf(res), { code: 'UNAUTHORIZED' });
  res = await s.call('/metrics', { token: 'forged' });
  t.equal(res.status, 401);
  await res.arrayBuffer();
  res = await s.call('/metrics', { token: await s.login() });
  t.equal(res.status, 200);
  t.match(await res.text(), /^# HELP callbox_calls_active /);
  s.fake.requireMetricsAuth = false;
  res = await s.call('/metrics');
  t.equal(res.status, 200);
  await res.arrayBuffer();
});

t.test('exposition helpers: escaping, special values, validation', async (t) => {
  t.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  t.equal(formatValue(Number.NaN), 'NaN');
  t.equal(formatValue(Infinity), '+Inf');
  t.equal(formatValue(-Infinity), '-Inf');
  t.equal(formatValue(1.5), '1.5');
  const text = renderExposition([
    { name: 'x_total', help: 'line1\nline2 \\ end', type: 'counter', samples: [{ labels: { a: 'b' }, value: 1 }] },
  ]);
  t.equal(text, '# HELP x_total line1\\nline2 \\\\ end\n# TYPE x_total counter\nx_total{a="b"} 1\n');
  t.throws(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }]), /invalid metric name/);
  t.throws(
    () => renderExposition([{ name: 'x', help: '', type: 'gauge', samples: [{ labels: { 'a-b': '1' }, value: 1 }] }]),
    /invalid label name/,
  );
});
