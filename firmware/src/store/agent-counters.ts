/** Per-agent calls and talk time since a moment, from the event log's queue.complete events. */
import type { Database } from './db.js';
import { typeIn } from './event-log.js';
import { hourOf } from './event-window.js';

const COMPLETE = typeIn(['queue.complete']);

export function agentCounters(db: Database, since: number): Map<string, { calls: number; talkMs: number }> {
  // The seq window of the hours from `since` on (store/event-window.ts), then the ts test.
  const lo = (db.prepare('SELECT MIN(lo) AS lo FROM event_hours WHERE hour >= ?').get(hourOf(since)) as { lo: number | null }).lo;
  const rows = db
    .prepare(
      `SELECT json_extract(data, '$.agent') AS agent, count(*) AS calls, sum(json_extract(data, '$.talkMs')) AS talkMs
         FROM event_log WHERE seq >= ? AND ${COMPLETE} AND ts >= ? GROUP BY agent`,
    )
    .all(lo ?? Number.MAX_SAFE_INTEGER, since) as { agent: string | null; calls: number; talkMs: number | null }[];
  const out = new Map<string, { calls: number; talkMs: number }>();
  for (const r of rows) if (r.agent) out.set(r.agent, { calls: r.calls, talkMs: r.talkMs ?? 0 });
  return out;
}

/** The last `perQueue` handle times (talk ms, oldest first) per queue from queue.complete events. */
export function queueTalkTimes(db: Database, perQueue = 20): Map<string, number[]> {
  const rows = db
    .prepare(
      `SELECT json_extract(data, '$.queue') AS queue, json_extract(data, '$.talkMs') AS talkMs
         FROM event_log WHERE ${COMPLETE} ORDER BY seq DESC LIMIT 2000`,
    )
    .all() as { queue: string | null; talkMs: number | null }[];
  const out = new Map<string, number[]>();
  for (const r of rows) {
    if (!r.queue || r.talkMs === null) continue;
    const list = out.get(r.queue) ?? [];
    if (list.length < perQueue) list.unshift(r.talkMs);
    out.set(r.queue, list);
  }
  return out;
}
