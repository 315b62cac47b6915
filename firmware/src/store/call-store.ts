/**
 * Calls and their legs in SQLite. Every save writes the call, its legs and the event that explains
 * the change in one transaction, so the records and the event log never disagree. Times are
 * integer ms in SQLite and ISO strings in CallRecord.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import { CallboxError } from '../errors.js';
import type { CallDisposition, CallLegRecord, CallListQuery, CallOutcome, CallRecord } from '../service/types.js';
import { callPage, callSearchSql } from './call-search.js';
import type { Database } from './db.js';
import { EventLog } from './event-log.js';

export interface CallEvent {
  type: string;
  /** ms since the epoch. */
  ts: number;
  data?: unknown;
}

interface CallRow {
  id: string;
  direction: string;
  state: string;
  caller_id: string | null;
  caller_name: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  outcome: string | null;
  ivr_path: string;
  queue: string | null;
  agent: string | null;
  /** The call result as JSON (service/disposition-types.ts CallDisposition), or null. */
  disposition: string | null;
  /** Time on hold or parked, ms (schema step 25). */
  hold_ms: number;
}

interface LegRow {
  call_id: string;
  idx: number;
  channel: string;
  kind: string;
  role: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
}

const CALL_COLUMNS =
  'id, direction, state, caller_id, caller_name, started_at, answered_at, ended_at, outcome, ivr_path, queue, agent, disposition, hold_ms';
const LEG_COLUMNS = 'call_id, idx, channel, kind, role, started_at, answered_at, ended_at';
const MAX_LIST = 500;

export class CallStore {
  readonly events: EventLog;
  private readonly upsertCall: Statement<[CallRow]>;
  private readonly upsertLeg: Statement<[LegRow]>;
  private readonly trimLegs: Statement<[string, number]>;
  private readonly selectCall: Statement<[string], CallRow>;
  private readonly selectLegs: Statement<[string], LegRow>;
  private readonly selectRecent: Statement<[number], CallRow>;
  private readonly selectRecentLegs: Statement<[number], LegRow>;
  private readonly selectByOutcome: Statement<[string, number], CallRow>;
  private readonly selectByOutcomeLegs: Statement<[string, number], LegRow>;
  private readonly selectOpen: Statement<[], { id: string; state: string }>;
  private readonly closeCall: Statement<[number, string]>;
  private readonly closeLegs: Statement<[number, string]>;
  private readonly outcomes: Statement<[], { outcome: string; n: number }>;
  private readonly count: Statement<[], { n: number }>;
  /**
   * The cloud outbox, in the save's transaction: rec/calls an ended call, rec/surveys a survey
   * answer (or none) with the event that records it.
   */
  private readonly toOutbox: Statement<['calls' | 'surveys', string, number, string]>;
  private readonly saveTx: Transaction<(call: CallRecord, event: CallEvent) => void>;
  private readonly closeTx: Transaction<(ts: number) => number>;
  private readonly db: Database;
  /** Filtered history statements by their WHERE clause (a handful of filter combinations). */
  private readonly searches = new Map<string, { rows: Statement<unknown[], CallRow>; legs: Statement<[string], LegRow> }>();

  constructor(db: Database, events: EventLog = new EventLog(db)) {
    this.db = db;
    this.events = events;
    const set = (cols: string, skip: string[]) =>
      cols
        .split(', ')
        .filter((c) => !skip.includes(c))
        .map((c) => `${c} = excluded.${c}`)
        .join(', ');
    const params = (cols: string) =>
      cols
        .split(', ')
        .map((c) => `@${c}`)
        .join(', ');
    this.upsertCall = db.prepare(
      `INSERT INTO calls (${CALL_COLUMNS}) VALUES (${params(CALL_COLUMNS)})
       ON CONFLICT (id) DO UPDATE SET ${set(CALL_COLUMNS, ['id'])}`,
    );
    this.upsertLeg = db.prepare(
      `INSERT INTO call_legs (${LEG_COLUMNS}) VALUES (${params(LEG_COLUMNS)})
       ON CONFLICT (call_id, idx) DO UPDATE SET ${set(LEG_COLUMNS, ['call_id', 'idx'])}`,
    );
    this.trimLegs = db.prepare('DELETE FROM call_legs WHERE call_id = ? AND idx >= ?');
    this.selectCall = db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE id = ?`);
    this.selectLegs = db.prepare(`SELECT ${LEG_COLUMNS} FROM call_legs WHERE call_id = ? ORDER BY idx`);
    const recent = 'SELECT id FROM calls ORDER BY started_at DESC, id DESC LIMIT ?';
    this.selectRecent = db.prepare(`SELECT ${CALL_COLUMNS} FROM calls ORDER BY started_at DESC, id DESC LIMIT ?`);
    this.selectRecentLegs = db.prepare(`SELECT ${LEG_COLUMNS} FROM call_legs WHERE call_id IN (${recent}) ORDER BY call_id, idx`);
    const byOutcome = 'SELECT id FROM calls WHERE outcome IN (SELECT value FROM json_each(?)) ORDER BY started_at DESC, id DESC LIMIT ?';
    this.selectByOutcome = db.prepare(
      `SELECT ${CALL_COLUMNS} FROM calls WHERE outcome IN (SELECT value FROM json_each(?)) ORDER BY started_at DESC, id DESC LIMIT ?`,
    );
    this.selectByOutcomeLegs = db.prepare(`SELECT ${LEG_COLUMNS} FROM call_legs WHERE call_id IN (${byOutcome}) ORDER BY call_id, idx`);
    this.selectOpen = db.prepare("SELECT id, state FROM calls WHERE state <> 'ended' ORDER BY started_at, id");
    this.closeCall = db.prepare("UPDATE calls SET state = 'ended', outcome = 'failed', ended_at = ? WHERE id = ?");
    this.closeLegs = db.prepare('UPDATE call_legs SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL');
    this.outcomes = db.prepare('SELECT outcome, COUNT(*) AS n FROM calls WHERE outcome IS NOT NULL GROUP BY outcome ORDER BY outcome');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM calls');
    this.toOutbox = db.prepare('INSERT INTO outbox (stream, record_id, version, ts, body) VALUES (?, ?, 1, ?, ?)');

    this.saveTx = db.transaction((call: CallRecord, event: CallEvent) => {
      this.upsertCall.run(toCallRow(call));
      call.legs.forEach((leg, idx) => {
        this.upsertLeg.run(toLegRow(call.id, idx, leg));
      });
      this.trimLegs.run(call.id, call.legs.length);
      this.events.append(event.type, call.id, event.data ?? null, event.ts);
      if (call.state === 'ended') this.toOutbox.run('calls', call.id, event.ts, JSON.stringify(call));
      if (event.type === 'survey.score' || event.type === 'survey.noAnswer') {
        // one survey per call; not the call's own id: the cloud keys records by (device, id) across streams
        const d = (event.data ?? {}) as { queue?: string | null; agent?: string | null; score?: number };
        const body = {
          id: `survey:${call.id}`,
          callId: call.id,
          queue: d.queue ?? null,
          agent: d.agent ?? null,
          answered: event.type === 'survey.score',
          score: typeof d.score === 'number' ? d.score : null,
          at: new Date(event.ts).toISOString(),
        };
        this.toOutbox.run('surveys', body.id, event.ts, JSON.stringify(body));
      }
    });
    this.closeTx = db.transaction((ts: number) => {
      const open = this.selectOpen.all();
      for (const { id, state } of open) {
        this.closeCall.run(ts, id);
        this.closeLegs.run(ts, id);
        this.events.append('call.ended', id, { state: 'ended', outcome: 'failed', reason: 'closedAtStartup', previousState: state }, ts);
        const closed = this.getCall(id);
        if (closed) this.toOutbox.run('calls', id, ts, JSON.stringify(closed));
      }
      return open.length;
    });
  }

  /** Upsert the call and its legs and append `event` to the event log, in one transaction. */
  saveCall(call: CallRecord, event: CallEvent): void {
    this.saveTx(call, event);
  }

  getCall(id: string): CallRecord | null {
    const row = this.selectCall.get(id);
    return row ? toRecord(row, this.selectLegs.all(id)) : null;
  }

  /**
   * The newest calls first (by start time); `limit` is clamped to 1..500. With `outcomes`, only
   * calls that ended so (e.g. the missed and abandoned calls the owner calls back).
   */
  listCalls(limit: number, outcomes?: readonly CallOutcome[]): CallRecord[] {
    const n = Math.trunc(limit);
    const clamped = n >= 1 ? Math.min(n, MAX_LIST) : 1;
    const filter = outcomes ? JSON.stringify(outcomes) : null;
    const legRows = filter === null ? this.selectRecentLegs.all(clamped) : this.selectByOutcomeLegs.all(filter, clamped);
    const legs = new Map<string, LegRow[]>();
    for (const leg of legRows) {
      const list = legs.get(leg.call_id);
      if (list) list.push(leg);
      else legs.set(leg.call_id, [leg]);
    }
    const rows = filter === null ? this.selectRecent.all(clamped) : this.selectByOutcome.all(filter, clamped);
    return rows.map((row) => toRecord(row, legs.get(row.id) ?? []));
  }

  /**
   * The call history with filters (CallListQuery): newest first, `limit` clamped to 1..500, from
   * `offset`. Without filters other than `outcomes` it is listCalls.
   */
  searchCalls(q: CallListQuery): CallRecord[] {
    const { limit, offset } = callPage(q);
    const sql = callSearchSql(q);
    let st = this.searches.get(sql.key);
    if (!st) {
      st = {
        rows: this.db.prepare(`SELECT ${CALL_COLUMNS} FROM calls ${sql.where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`),
        legs: this.db.prepare(
          `SELECT ${LEG_COLUMNS} FROM call_legs WHERE call_id IN (SELECT value FROM json_each(?)) ORDER BY call_id, idx`,
        ),
      };
      this.searches.set(sql.key, st);
    }
    const rows = st.rows.all(...sql.params, limit, offset);
    const legs = new Map<string, LegRow[]>();
    for (const leg of st.legs.all(JSON.stringify(rows.map((r) => r.id)))) {
      const list = legs.get(leg.call_id);
      if (list) list.push(leg);
      else legs.set(leg.call_id, [leg]);
    }
    return rows.map((row) => toRecord(row, legs.get(row.id) ?? []));
  }

  /**
   * After a crash: end every call not in state 'ended' with outcome 'failed' at `ts`, ending its
   * open legs too, with a 'call.ended' event each. Returns how many calls were closed.
   */
  closeDanglingCalls(ts: number): number {
    return this.closeTx(ts);
  }

  /** Ended (or otherwise decided) calls per outcome. */
  countByOutcome(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { outcome, n } of this.outcomes.all()) out[outcome] = n;
    return out;
  }

  countCalls(): number {
    return this.count.get()?.n ?? 0;
  }
}

function ms(iso: string, what: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new CallboxError('VALIDATION_FAILED', `${what} is not a valid time: ${JSON.stringify(iso)}`);
  return t;
}

function msOrNull(iso: string | null, what: string): number | null {
  return iso === null ? null : ms(iso, what);
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function isoOrNull(t: number | null): string | null {
  return t === null ? null : iso(t);
}

function toCallRow(c: CallRecord): CallRow {
  const at = (f: string) => `call ${c.id}: ${f}`;
  return {
    id: c.id,
    direction: c.direction,
    state: c.state,
    caller_id: c.callerId,
    caller_name: c.callerName,
    started_at: ms(c.startedAt, at('startedAt')),
    answered_at: msOrNull(c.answeredAt, at('answeredAt')),
    ended_at: msOrNull(c.endedAt, at('endedAt')),
    outcome: c.outcome,
    ivr_path: c.ivrPath,
    queue: c.queue,
    agent: c.agent,
    disposition: c.disposition ? JSON.stringify(c.disposition) : null,
    hold_ms: Math.max(0, Math.round((c.holdSeconds ?? 0) * 1000)),
  };
}

function toLegRow(callId: string, idx: number, l: CallLegRecord): LegRow {
  const at = (f: string) => `call ${callId} leg ${idx}: ${f}`;
  return {
    call_id: callId,
    idx,
    channel: l.channel,
    kind: l.kind,
    role: l.role,
    started_at: ms(l.startedAt, at('startedAt')),
    answered_at: msOrNull(l.answeredAt, at('answeredAt')),
    ended_at: msOrNull(l.endedAt, at('endedAt')),
  };
}

function toRecord(r: CallRow, legs: LegRow[]): CallRecord {
  return {
    id: r.id,
    direction: r.direction as CallRecord['direction'],
    state: r.state as CallRecord['state'],
    callerId: r.caller_id,
    callerName: r.caller_name,
    startedAt: iso(r.started_at),
    answeredAt: isoOrNull(r.answered_at),
    endedAt: isoOrNull(r.ended_at),
    outcome: r.outcome as CallRecord['outcome'],
    ivrPath: r.ivr_path,
    queue: r.queue,
    agent: r.agent,
    disposition: r.disposition ? (JSON.parse(r.disposition) as CallDisposition) : null,
    holdSeconds: r.hold_ms / 1000,
    legs: legs.map((l) => ({
      channel: l.channel,
      kind: l.kind as CallLegRecord['kind'],
      role: l.role as CallLegRecord['role'],
      startedAt: iso(l.started_at),
      answeredAt: isoOrNull(l.answered_at),
      endedAt: isoOrNull(l.ended_at),
    })),
  };
}
