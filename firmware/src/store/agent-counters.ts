/** Per-agent calls and talk time since a moment, from the event log's queue.complete events. */
import type { Database } from './db.js';

export function agentCounters(db: Database, since: number): Map<string, { calls: number; talkMs: number }> {
  const rows = db
    .prepare(
      `SELECT json_extract(data, '$.agent') AS agent, count(*) AS calls, sum(json_extract(data, '$.talkMs')) AS talkMs
         FROM events WHERE type = 'queue.complete' AND ts >= ? GROUP BY agent`,
    )
    .all(since) as { agent: string | null; calls: number; talkMs: number | null }[];
  const out = new Map<string, { calls: number; talkMs: number }>();
  for (const r of rows) if (r.agent) out.set(r.agent, { calls: r.calls, talkMs: r.talkMs ?? 0 });
  return out;
}

/** The last `perQueue` handle times (talk ms, oldest first) per queue from queue.complete events. */
export function queueTalkTimes(db: Database, perQueue = 20): Map<string, number[]> {
  const rows = db
    .prepare(
      `SELECT json_extract(data, '$.queue') AS queue, json_extract(data, '$.talkMs') AS talkMs
         FROM events WHERE type = 'queue.complete' ORDER BY seq DESC LIMIT 2000`,
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
