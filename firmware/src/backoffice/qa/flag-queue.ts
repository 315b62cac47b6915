/**
 * The review queue (待质检): ended agent calls of a time range that earn a flag (flags.ts), newest
 * first, without those already reviewed or dismissed (unless asked for all). Reads the contract
 * tables `calls` (hold_ms, schema step 25), `call_legs` (talk time from the agent leg's answer), `event_log` (call.held / call.unheld / call.transferred /
 * survey.score / call.ended, through the event_hours window) and `recordings`; recordings not yet
 * measured are measured here, at most MEASURE_PER_READ a read (the next read takes the rest).
 */
import { defaultQaConfig } from '../../config/schema-qa.js';
import type { Database } from '../../store/db.js';
import { typeIn } from '../../store/event-log.js';
import { EventWindow } from '../../store/event-window.js';
import type { CallAudio } from './call-audio.js';
import { type CallEvent, factsFromEvents, flagsOf } from './flags.js';
import type { FlaggedCall, FlagQuery } from './types.js';
import type { QaConfig } from '../../config/schema-qa.js';

export const MEASURE_PER_READ = 20;
const DAY_MS = 86_400_000;
/** The flag-relevant event types, as a test on `event_log.type_id` (store/event-log.ts). */
const EVENT_TYPES = typeIn(['call.held', 'call.unheld', 'call.transferred', 'survey.score', 'call.ended']);

interface CallRow {
  id: string;
  started_at: number;
  answered_at: number | null;
  /** When the first agent leg answered (talk time starts there, not at the IVR's answer). */
  agent_answered_at: number | null;
  ended_at: number | null;
  agent: string | null;
  queue: string | null;
  hold_ms: number;
  done: number;
}

export class FlagQueue {
  private readonly window: EventWindow;

  constructor(
    private readonly db: Database,
    private readonly audio: CallAudio,
    private readonly config: () => QaConfig | undefined,
    private readonly now: () => number,
  ) {
    this.window = new EventWindow(db);
  }

  async list(q: FlagQuery): Promise<FlaggedCall[]> {
    const cfg = this.config() ?? defaultQaConfig();
    const to = q.to ?? this.now();
    const from = q.from ?? to - 7 * DAY_MS;
    const limit = Math.min(500, Math.max(1, q.limit ?? 100));
    const calls = this.db
      .prepare<[number, number], CallRow>(
        `SELECT c.id, c.started_at, c.answered_at, c.ended_at, c.agent, c.queue, c.hold_ms,
           (SELECT MIN(l.answered_at) FROM call_legs l WHERE l.call_id = c.id AND l.role = 'agent') AS agent_answered_at,
           EXISTS (SELECT 1 FROM qa_reviews r WHERE r.call_id = c.id) OR EXISTS (SELECT 1 FROM qa_dismissed d WHERE d.call_id = c.id) AS done
         FROM calls c WHERE c.started_at >= ? AND c.started_at < ? AND c.state = 'ended' AND c.agent IS NOT NULL
         ORDER BY c.started_at DESC, c.id DESC`,
      )
      .all(from, to)
      .filter((c) => (q.all || c.done === 0) && (q.agent === undefined || c.agent === q.agent));
    if (calls.length === 0) return [];
    const events = this.eventsOf(
      new Set(calls.map((c) => c.id)),
      Math.min(...calls.map((c) => c.started_at)),
      Math.max(...calls.map((c) => c.ended_at ?? c.started_at)) + 1,
    );
    const out: FlaggedCall[] = [];
    let measured = 0;
    for (const c of calls) {
      const end = c.ended_at ?? c.started_at;
      const talkFrom = c.agent_answered_at ?? c.answered_at;
      const talkS = talkFrom === null ? null : Math.round((end - talkFrom) / 1000);
      const ev = factsFromEvents(events.get(c.id) ?? [], end);
      let audio = this.audio.get(c.id);
      const rec = this.audio.recording(c.id);
      if (!audio && rec && cfg.flags.longSilenceS > 0 && measured < MEASURE_PER_READ) {
        measured++;
        audio = await this.audio.measure(c.id, rec, cfg.silenceDbm0 ?? -45);
      }
      const flags = flagsOf(
        {
          talkS,
          holdS: Math.max(ev.holdS, Math.round(c.hold_ms / 1000)),
          transfers: ev.transfers,
          csat: ev.csat,
          longestSilenceS: audio ? Math.round(audio.longestSilenceMs / 1000) : null,
        },
        cfg.flags,
      );
      if (flags.length === 0) continue;
      out.push({
        callId: c.id,
        startedAt: new Date(c.started_at).toISOString(),
        agent: c.agent,
        queue: c.queue,
        talkS: talkS ?? 0,
        flags,
        hasRecording: rec !== null,
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The flag-relevant events of the given calls, by call, in log order. */
  private eventsOf(ids: Set<string>, from: number, to: number): Map<string, CallEvent[]> {
    const byCall = new Map<string, CallEvent[]>();
    const seqs = this.window.seqs(from, to);
    if (!seqs) return byCall;
    const rows = this.db
      .prepare<[number, number, number, number], { ts: number; type: string; call_id: string; data: string }>(
        `SELECT ts, (SELECT name FROM event_types WHERE id = type_id) AS type, call_id, json(data) AS data FROM event_log
         WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND call_id IS NOT NULL AND ${EVENT_TYPES} ORDER BY seq`,
      )
      .all(seqs[0], seqs[1], from, to);
    for (const r of rows) {
      if (!ids.has(r.call_id)) continue;
      const list = byCall.get(r.call_id) ?? [];
      list.push({ ts: r.ts, type: r.type, data: JSON.parse(r.data) as Record<string, unknown> });
      byCall.set(r.call_id, list);
    }
    return byCall;
  }
}
