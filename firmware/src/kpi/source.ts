/**
 * The events a KPI range needs, read from the event log (table `events`) in the order computeKpis
 * expects:
 *
 * 1. state at `from`: the last agent.state before `from` of every agent, and the earlier events of
 *    the calls still in progress at `from` (their first ring at most LOOKBACK before it), so busy
 *    lines and a call's earlier queues are known;
 * 2. the range: every KPI event with from ≤ ts < to, in seq order, streamed (not loaded at once);
 * 3. what closes the range: agent.state, queue.enter and call.ended events in the LOOKAHEAD after
 *    `to`, so a call completed before `to` gets its whole wrap-up and a timeout its overflow.
 *
 * Reads go through the index on events(ts): the range's seq window comes from the index, then the
 * rows are read by primary key in seq order (no sort). Rows whose data does not have the shape the
 * catalog promises are skipped.
 */
import type { Statement } from 'better-sqlite3';
import type { EventType, TypedEvent } from '../events/catalog.js';
import type { Database } from '../store/db.js';

/** The event types the KPIs use; others are not read. */
export const KPI_EVENT_TYPES: readonly string[] = [
  'call.ringing',
  'call.ended',
  'agent.state',
  'queue.enter',
  'queue.connect',
  'queue.abandon',
  'queue.exitTimeout',
  'queue.complete',
  'queue.ringNoAnswer',
  'queue.resume',
  'survey.score',
];

/** Calls longer than this before `from` are not seen as occupying a line at `from`. */
export const LOOKBACK_MS = 24 * 3_600_000;
/** A wrap-up ending later than this after `to` is not seen (its call is left out of AHT). */
export const LOOKAHEAD_MS = 24 * 3_600_000;

interface Row {
  seq: number;
  ts: number;
  type: string;
  call_id: string | null;
  data: string;
}

/** A row read in raw mode: [seq, ts, type, call_id, data]. */
type RawRow = [number, number, string, string | null, string];

const COLS = 'seq, ts, type, call_id, data';
const TYPES = KPI_EVENT_TYPES.map((t) => `'${t}'`).join(', ');

export class KpiEventSource {
  private readonly window: Statement<[number, number], { lo: number | null; hi: number | null }>;
  private readonly range: Statement<[number, number, number, number], RawRow>;
  private readonly lastAgentStates: Statement<[number], Row>;
  private readonly openCalls: Statement<[number, number, number, number], Row>;
  private readonly after: Statement<[number, number], Row>;

  constructor(db: Database) {
    this.window = db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM events WHERE ts >= ? AND ts < ?');
    this.range = db
      .prepare<[number, number, number, number], RawRow>(
        `SELECT ${COLS} FROM events WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND type IN (${TYPES}) ORDER BY seq`,
      )
      .raw();
    this.lastAgentStates = db.prepare(
      `SELECT ${COLS} FROM events WHERE seq IN (
         SELECT MAX(seq) FROM events WHERE type = 'agent.state' AND ts < ? GROUP BY json_extract(data, '$.agent'))`,
    );
    this.openCalls = db.prepare(
      `SELECT ${COLS} FROM events WHERE call_id IN (
         SELECT r.call_id FROM events r WHERE r.ts >= ? AND r.ts < ? AND r.type = 'call.ringing' AND r.call_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM events x WHERE x.call_id = r.call_id AND x.type = 'call.ended' AND x.ts < ?))
       AND ts < ? AND type IN (${TYPES})`,
    );
    this.after = db.prepare(
      `SELECT ${COLS} FROM events WHERE ts >= ? AND ts < ? AND type IN ('agent.state', 'queue.enter', 'call.ended') ORDER BY seq`,
    );
  }

  /** The events computeKpis / staffingAdvice need for [from, to), streamed. */
  *events(q: { from: number; to: number }): Generator<TypedEvent> {
    const { from, to } = q;
    const seed = new Map<number, Row>();
    for (const r of this.lastAgentStates.all(from)) seed.set(r.seq, r);
    for (const r of this.openCalls.all(from - LOOKBACK_MS, from, from, from)) seed.set(r.seq, r);
    for (const r of [...seed.values()].sort((a, b) => a.seq - b.seq)) {
      const e = toEvent(r);
      if (e) yield e;
    }
    const w = this.window.get(from, to);
    if (w && w.lo !== null && w.hi !== null) {
      for (const r of this.range.iterate(w.lo, w.hi, from, to)) {
        const e = toEvent(r);
        if (e) yield e;
      }
    }
    for (const r of this.after.all(to, to + LOOKAHEAD_MS)) {
      const e = toEvent(r);
      if (e) yield e;
    }
  }
}

type Check = (o: Record<string, unknown>) => boolean;

const str = (v: unknown): boolean => typeof v === 'string';
const ms = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const STATES = new Set<unknown>(['loggedOut', 'available', 'ringing', 'onCall', 'wrapUp', 'paused']);

/** What each KPI event's data must have (the fields the KPIs read). */
const CHECKS: Partial<Record<string, Check>> = {
  'call.ringing': (o) => str(o.channel) && str(o.kind),
  'call.ended': () => true,
  'agent.state': (o) => str(o.agent) && STATES.has(o.state) && STATES.has(o.prev),
  'queue.enter': (o) => str(o.queue),
  'queue.connect': (o) => str(o.queue) && str(o.agent) && ms(o.waitMs),
  'queue.abandon': (o) => str(o.queue) && ms(o.waitMs),
  'queue.exitTimeout': (o) => str(o.queue) && ms(o.waitMs),
  'queue.complete': (o) => str(o.queue) && str(o.agent) && ms(o.talkMs),
  'queue.ringNoAnswer': (o) => str(o.queue) && str(o.agent) && str(o.why),
  'queue.resume': (o) => str(o.queue),
  'survey.score': (o) => typeof o.score === 'number' && (o.queue === null || str(o.queue)),
};

/** A row (seq, ts, type, call_id, data) as a typed event, or null when its type is not a KPI event or its data is malformed. */
export function toEvent(r: RawRow | Row): TypedEvent | null {
  const [seq, ts, type, callId, json] = Array.isArray(r) ? r : [r.seq, r.ts, r.type, r.call_id, r.data];
  const check = CHECKS[type];
  if (check === undefined) return null;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || !check(data as Record<string, unknown>)) return null;
  return { seq, ts, type: type as EventType, callId, data: data as TypedEvent['data'] };
}
