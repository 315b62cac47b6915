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
