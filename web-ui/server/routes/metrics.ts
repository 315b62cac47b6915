/**
 * GET /metrics: Prometheus text format 0.0.4 from service.metrics(). No auth unless
 * service.metricsRequireAuth() says so (asked on each request, so a config change applies at once).
 */
import type { CallOutcome, MetricsSnapshot } from '../../../firmware/src/service/types.js';
import { authenticate } from '../middleware/bearer-auth.js';
import { type MetricFamily, PROMETHEUS_CONTENT_TYPE, renderExposition } from '../prometheus.js';
import type { AppRouter, RouteDeps } from '../state.js';

/**
 * Every outcome is exported (as 0 when unseen) so the series exist from the first scrape. A Record
 * over CallOutcome: the compiler complains here when the firmware adds or renames an outcome.
 */
const KNOWN_OUTCOMES: Record<CallOutcome, true> = {
  answered: true,
  abandoned: true,
  missed: true,
  ivrHangup: true,
  noAgent: true,
  callback: true,
  notAccepted: true,
  voicemail: true,
  failed: true,
};

function byOutcome(m: MetricsSnapshot): MetricFamily['samples'] {
  const counts = new Map<string, number>(Object.keys(KNOWN_OUTCOMES).map((o) => [o, 0]));
  for (const [outcome, n] of Object.entries(m.callsByOutcome)) counts.set(outcome, n);
  return [...counts].map(([outcome, value]) => ({ labels: { outcome }, value }));
}

/** Cloud sync (present only when the cloud is configured). */
function cloudFamilies(m: MetricsSnapshot): MetricFamily[] {
  const c = m.cloud;
  if (!c) return [];
  const gauge = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'gauge', samples: [{ value }] });
  return [
    gauge('callbox_cloud_connected', 'Whether the MQTT session to the cloud is up (1) or not (0).', c.connected ? 1 : 0),
    gauge('callbox_cloud_outbox_depth', 'Records waiting in the outbox for the cloud to ack.', c.outboxDepth),
    gauge('callbox_cloud_outbox_alarm', 'The outbox passed its bound (1): records still queue, none are dropped.', c.outboxAlarm ? 1 : 0),
    gauge(
      'callbox_cloud_last_sync_timestamp_seconds',
      'Unix time of the last rec-ack from the cloud (0: none since start).',
      c.lastSyncAt ? Date.parse(c.lastSyncAt) / 1000 : 0,
    ),
  ];
}

/**
 * The alarms of /healthz (firmware/src/service/alarms.ts): one series per alarm active now, gone
 * when it clears, and their count (always there, 0 when nothing is wrong) to alert on.
 */
function alarmFamilies(m: MetricsSnapshot): MetricFamily[] {
  const series = new Map<string, MetricFamily['samples'][number]>();
  for (const a of m.alarms) {
    const labels = { code: a.code, severity: a.severity, subject: a.subject };
    const key = JSON.stringify(labels);
    // One series per label set (the text format allows no twin): alarms alike are counted in it.
    const s = series.get(key);
    if (s) s.value++;
    else series.set(key, { labels, value: 1 });
  }
  return [
    {
      name: 'callbox_alarms_active',
      help: 'Alarms active now (as /healthz lists them).',
      type: 'gauge',
      samples: [{ value: m.alarms.length }],
    },
    {
      name: 'callbox_alarm_active',
      help: 'An alarm active now (1), by code, severity (error: health degraded) and subject; the series goes when it clears.',
      type: 'gauge',
      samples: [...series.values()],
    },
  ];
}

export function metricFamilies(m: MetricsSnapshot): MetricFamily[] {
  return [
    {
      name: 'callbox_calls_active',
      help: 'Calls in progress (not yet ended).',
      type: 'gauge',
      samples: [{ value: m.callsActive }],
    },
    {
      name: 'callbox_calls_total',
      help: 'Calls the box has handled.',
      type: 'counter',
      samples: [{ value: m.callsTotal }],
    },
    {
      name: 'callbox_calls_by_outcome_total',
      help: 'Ended calls by outcome.',
      type: 'counter',
      samples: byOutcome(m),
    },
    {
      name: 'callbox_event_loop_lag_seconds',
      help: 'Event loop lag quantiles over the recent window (quantile 1 is the maximum).',
      type: 'gauge',
      samples: [
        { labels: { quantile: '0.5' }, value: m.eventLoopLagP50S },
        { labels: { quantile: '0.99' }, value: m.eventLoopLagP99S },
        { labels: { quantile: '1' }, value: m.eventLoopLagMaxS },
      ],
    },
    {
      name: 'callbox_process_resident_memory_bytes',
      help: 'Resident set size of the firmware process.',
      type: 'gauge',
      samples: [{ value: m.rssBytes }],
    },
    {
      name: 'callbox_heap_used_bytes',
      help: 'V8 heap in use.',
      type: 'gauge',
      samples: [{ value: m.heapUsedBytes }],
    },
    {
      name: 'callbox_uptime_seconds',
      help: 'Seconds since the firmware started.',
      type: 'gauge',
      samples: [{ value: m.uptimeS }],
    },
    ...alarmFamilies(m),
    ...cloudFamilies(m),
  ];
}

export function metricsRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/metrics', (ctx) => {
    if (service.metricsRequireAuth()) authenticate(ctx, service);
    ctx.body = renderExposition(metricFamilies(service.metrics()));
    ctx.set('Content-Type', PROMETHEUS_CONTENT_TYPE);
    ctx.set('Cache-Control', 'no-store');
  });
}
