/**
 * The events a KPI range needs, read from the event log (table `events`) in the order computeKpis
 * expects:
 *
 * 1. state at `from`: the last agent.state before `from` of every agent (one seek per agent in the
 *    index events_agent_state, agent → seq), and the earlier events of the calls still in progress
 *    at `from` (their first ring at most LOOKBACK before it: the LOOKBACK before `from` is read
 *    through events_ts, and only the open calls' rows are kept), so busy lines and a call's
 *    earlier queues are known — without reading the history before that;
 * 2. the range: every KPI event with from ≤ ts < to, in seq order, streamed (not loaded at once);
 * 3. what closes the range: agent.state, queue.enter and call.ended events in the LOOKAHEAD after
 *    `to`, so a call completed before `to` gets its whole wrap-up and a timeout its overflow.
 *
 * Reads go through the log's hour directory (store/event-window.ts): the range's seq window comes
 * from its hours, then the rows are read by primary key in seq order (no sort). The log's ts never decreases along seq (one
 * clock, appended in order), so "before `from`" is "seq below the first seq at `from`". Rows whose
 * data does not have the shape the catalog promises are skipped.
 */
import type { Statement } from 'better-sqlite3';
import type { EventType, TypedEvent } from '../events/catalog.js';
import type { Database } from '../store/db.js';
import { EVENT_COLUMNS, typeIn } from '../store/event-log.js';
import { EventWindow } from '../store/event-window.js';

/** The event types the KPIs use; others are not read. */
export const KPI_EVENT_TYPES: readonly string[] = [
  'call.ringing',
  'call.ended',
  'call.transferred',
  'agent.state',
  'queue.enter',
  'queue.connect',
  'queue.abandon',
  'queue.exitTimeout',
  'queue.complete',
  'queue.ringNoAnswer',
  'queue.resume',
  'survey.score',
  'call.disposition',
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

const COLS = EVENT_COLUMNS;
const TYPES = typeIn(KPI_EVENT_TYPES);
const AGENT_STATE = typeIn(['agent.state']);
const CLOSING = typeIn(['agent.state', 'queue.enter', 'call.ended']);

/** The next agent (by id) with any agent.state row: one seek of events_agent_state (a skip scan). */
export const NEXT_AGENT_SQL = `SELECT json_extract(data, '$.agent') AS agent FROM event_log
       WHERE ${AGENT_STATE} AND json_extract(data, '$.agent') > ? ORDER BY json_extract(data, '$.agent') LIMIT 1`;
/** An agent's last agent.state before a seq: one seek of events_agent_state. */
export const LAST_STATE_SQL = `SELECT ${COLS} FROM event_log WHERE seq = (
           SELECT MAX(seq) FROM event_log WHERE ${AGENT_STATE} AND json_extract(data, '$.agent') = ? AND seq < ?)`;

export class KpiEventSource {
  private readonly window: EventWindow;
  private readonly range: Statement<[number, number, number, number], RawRow>;
  private readonly lastSeq: Statement<[], { seq: number | null }>;
  private readonly nextAgent: Statement<[string], { agent: string }>;
  private readonly lastState: Statement<[string, number], RawRow>;
  private readonly after: Statement<[number, number, number, number], Row>;

  constructor(db: Database) {
    this.window = new EventWindow(db);
    this.range = db
      .prepare<[number, number, number, number], RawRow>(
        `SELECT ${COLS} FROM event_log WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND ${TYPES} ORDER BY seq`,
      )
      .raw();
    this.lastSeq = db.prepare('SELECT MAX(seq) AS seq FROM event_log');
    this.nextAgent = db.prepare(NEXT_AGENT_SQL);
    this.lastState = db.prepare<[string, number], RawRow>(LAST_STATE_SQL).raw();
    this.after = db.prepare(
      `SELECT ${COLS} FROM event_log WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ?
         AND ${CLOSING} ORDER BY seq`,
    );
  }

  /** The events computeKpis / staffingAdvice need for [from, to), streamed. */
  *events(q: { from: number; to: number }): Generator<TypedEvent> {
    const { from, to } = q;
    for (const r of this.seed(from)) {
      const e = toEvent(r);
      if (e) yield e;
    }
    const w = this.window.seqs(from, to);
    if (w) {
      for (const r of this.range.iterate(w[0], w[1], from, to)) {
        const e = toEvent(r);
        if (e) yield e;
      }
    }
    const a = this.window.seqs(to, to + LOOKAHEAD_MS);
    for (const r of a ? this.after.all(a[0], a[1], to, to + LOOKAHEAD_MS) : []) {
      const e = toEvent(r);
      if (e) yield e;
    }
  }

  /** The state at `from`: each agent's last agent.state and the open calls' earlier events, in seq order. */
  private seed(from: number): RawRow[] {
    const bound = this.window.firstAt(from) ?? (this.lastSeq.get()?.seq ?? 0) + 1;
    const rows = new Map<number, RawRow>();
    for (let a = this.nextAgent.get(''); a !== undefined; a = this.nextAgent.get(a.agent)) {
      const r = this.lastState.get(a.agent, bound);
      if (r && r[1] < from) rows.set(r[0], r);
    }
    // Calls that first rang in the LOOKBACK before `from` and had not ended by then: their rows.
    const w = this.window.seqs(from - LOOKBACK_MS, from);
    if (w) {
      const open = new Map<string, RawRow[]>();
      const ended = new Set<string>();
      for (const r of this.range.iterate(w[0], w[1], from - LOOKBACK_MS, from)) {
        const id = r[3];
        if (id === null) continue;
        if (r[2] === 'call.ringing' && !ended.has(id)) open.set(id, open.get(id) ?? []);
        else if (r[2] === 'call.ended') ended.add(id);
        open.get(id)?.push(r);
      }
      for (const [id, rs] of open) if (!ended.has(id)) for (const r of rs) rows.set(r[0], r);
    }
    return [...rows.values()].sort((x, y) => x[0] - y[0]);
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
  'call.transferred': (o) => str(o.to) && (o.agent === null || str(o.agent)) && (o.target === undefined || str(o.target)),
  'agent.state': (o) => str(o.agent) && STATES.has(o.state) && STATES.has(o.prev),
  'queue.enter': (o) => str(o.queue),
  'queue.connect': (o) => str(o.queue) && str(o.agent) && ms(o.waitMs),
  'queue.abandon': (o) => str(o.queue) && ms(o.waitMs),
  'queue.exitTimeout': (o) => str(o.queue) && ms(o.waitMs),
  'queue.complete': (o) => str(o.queue) && str(o.agent) && ms(o.talkMs),
  'queue.ringNoAnswer': (o) => str(o.queue) && str(o.agent) && str(o.why),
  'queue.resume': (o) => str(o.queue),
  'survey.score': (o) => typeof o.score === 'number' && (o.queue === null || str(o.queue)),
  'call.disposition': (o) => str(o.code) && (o.queue === null || str(o.queue)),
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
