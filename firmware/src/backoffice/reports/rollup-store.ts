/**
 * The hourly roll-ups in SQLite (schema step 19) and the job that fills them: closed hours only
 * (a day after they end, when the KPI lookahead has seen every event that can touch them), in
 * order, a batch of hours per transaction together with the watermark `done_to`, so a restart
 * goes on where the last committed batch ended. Events appended late (trigger events_rollup_late)
 * set `redo_from`: the next step deletes the rows from there and computes them again.
 * The config's number of lines is part of the figures (all lines busy): when it changes, the
 * roll-ups start over.
 */
import type { Statement } from 'better-sqlite3';
import { KpiEventSource, LOOKAHEAD_MS } from '../../kpi/source.js';
import type { Database } from '../../store/db.js';
import { HOUR_MS } from '../../store/event-window.js';
import { type AgentHourRow, type HourRow, hourRows } from './hour-rows.js';

/** Hours computed per step (one transaction). */
export const BATCH_HOURS = 24;

interface State {
  done_to: number;
  redo_from: number | null;
  lines: number;
}

const HOUR_COLS = [
  'hour',
  'offered',
  'answered',
  'abandoned',
  'short_abandoned',
  'timed_out',
  'overflowed',
  'within_sl',
  'wait_ms',
  'longest_wait_ms',
  'handled',
  'talk_ms',
  'wrap_ms',
  'entries',
  'all_busy_ms',
  'csat_sum',
  'csat_n',
] as const;
const AGENT_COLS = [
  'hour',
  'agent',
  'answered',
  'handled',
  'missed',
  'talk_ms',
  'wrap_ms',
  'logged_in_ms',
  'paused_ms',
  'on_call_ms',
  'wrap_up_ms',
  'csat_sum',
  'csat_n',
  'presence',
] as const;

type Raw = Array<number | string | null>;

export class RollupStore {
  private readonly getState: Statement<[], State>;
  private readonly putState: Statement<[number, number | null, number]>;
  private readonly firstHour: Statement<[], { hour: number | null }>;
  private readonly insHour: Statement<Raw>;
  private readonly insAgent: Statement<Raw>;
  private readonly delHours: Statement<[number]>;
  private readonly delAgents: Statement<[number]>;
  private readonly selHours: Statement<[number, number], Raw>;
  private readonly selAgents: Statement<[number, number], Raw>;
  private source: KpiEventSource | null = null;

  constructor(private readonly db: Database) {
    this.getState = db.prepare('SELECT done_to, redo_from, lines FROM report_rollup_state WHERE id = 1');
    this.putState = db.prepare(
      `INSERT INTO report_rollup_state (id, done_to, redo_from, lines) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET done_to = excluded.done_to, redo_from = excluded.redo_from, lines = excluded.lines`,
    );
    this.firstHour = db.prepare('SELECT MIN(hour) AS hour FROM event_hours');
    this.insHour = db.prepare<Raw>(`INSERT INTO report_hours (${HOUR_COLS.join(', ')}) VALUES (${HOUR_COLS.map(() => '?').join(', ')})`);
    this.insAgent = db.prepare<Raw>(
      `INSERT INTO report_agent_hours (${AGENT_COLS.join(', ')}) VALUES (${AGENT_COLS.map(() => '?').join(', ')})`,
    );
    this.delHours = db.prepare('DELETE FROM report_hours WHERE hour >= ?');
    this.delAgents = db.prepare('DELETE FROM report_agent_hours WHERE hour >= ?');
    this.selHours = db
      .prepare<[number, number], Raw>(`SELECT ${HOUR_COLS.join(', ')} FROM report_hours WHERE hour >= ? AND hour < ? ORDER BY hour`)
      .raw();
    this.selAgents = db
      .prepare<[number, number], Raw>(
        `SELECT ${AGENT_COLS.join(', ')} FROM report_agent_hours WHERE hour >= ? AND hour < ? ORDER BY hour, agent`,
      )
      .raw();
  }

  /** The first hour (UTC hour number) not rolled up for `lines`: rows below it are exact (or the hour had nothing). */
  coveredTo(lines: number): number {
    const s = this.getState.get();
    if (!s || s.lines !== lines) return Number.NEGATIVE_INFINITY;
    const done = s.done_to / HOUR_MS;
    return s.redo_from === null ? done : Math.min(done, Math.floor(s.redo_from / HOUR_MS));
  }

  /**
   * Roll up the next closed hours (at most `maxHours`, one transaction). Returns how many hours
   * were rolled up (0: nothing closed is left).
   */
  step(now: number, lines: number, maxHours = BATCH_HOURS): number {
    const closedTo = Math.floor((now - LOOKAHEAD_MS) / HOUR_MS);
    return this.db.transaction((): number => {
      let s = this.getState.get();
      if (!s || s.lines !== lines) {
        const first = this.firstHour.get()?.hour;
        if (first === null || first === undefined) return 0;
        this.delHours.run(Number.MIN_SAFE_INTEGER);
        this.delAgents.run(Number.MIN_SAFE_INTEGER);
        s = { done_to: first * HOUR_MS, redo_from: null, lines };
      }
      if (s.redo_from !== null) {
        const h = Math.floor(s.redo_from / HOUR_MS);
        if (h * HOUR_MS < s.done_to) {
          this.delHours.run(h);
          this.delAgents.run(h);
          s.done_to = h * HOUR_MS;
        }
        s.redo_from = null;
      }
      const a = s.done_to / HOUR_MS;
      const b = Math.min(closedTo, a + maxHours);
      if (b <= a) {
        this.putState.run(s.done_to, s.redo_from, lines);
        return 0;
      }
      const rows = this.compute(a, b, lines, now);
      for (const r of rows.hours) this.insHour.run(...HOUR_COLS.map((c) => hourValue(r, c)));
      for (const r of rows.agents) this.insAgent.run(...agentValues(r));
      this.putState.run(b * HOUR_MS, null, lines);
      return b - a;
    })();
  }

  /** Steps until every closed hour is rolled up; returns the hours rolled up. */
  catchUp(now: number, lines: number): number {
    let total = 0;
    for (let n = this.step(now, lines); n > 0; n = this.step(now, lines)) total += n;
    return total;
  }

  /** Rows of hours [a, b) computed from the event log now (not stored): the open hours of a report. */
  compute(a: number, b: number, lines: number, now: number): { hours: HourRow[]; agents: AgentHourRow[] } {
    this.source ??= new KpiEventSource(this.db);
    const since = a * HOUR_MS;
    const events = [...this.source.events({ from: since, to: b * HOUR_MS })];
    const hours = Array.from({ length: b - a }, (_, i) => a + i);
    return hourRows(events, hours, { lines, now, since });
  }

  /** Stored rows of hours [a, b). */
  read(a: number, b: number): { hours: HourRow[]; agents: AgentHourRow[] } {
    if (b <= a) return { hours: [], agents: [] };
    const hours = this.selHours.all(a, b).map(toHourRow);
    const agents = this.selAgents.all(a, b).map(toAgentRow);
    return { hours, agents };
  }
}

const CAMEL: Record<string, string> = {
  short_abandoned: 'shortAbandoned',
  timed_out: 'timedOut',
  within_sl: 'withinSl',
  wait_ms: 'waitMs',
  longest_wait_ms: 'longestWaitMs',
  talk_ms: 'talkMs',
  wrap_ms: 'wrapMs',
  all_busy_ms: 'allBusyMs',
  csat_sum: 'csatSum',
  csat_n: 'csatN',
  logged_in_ms: 'loggedInMs',
  paused_ms: 'pausedMs',
  on_call_ms: 'onCallMs',
  wrap_up_ms: 'wrapUpMs',
};
const key = (c: string): string => CAMEL[c] ?? c;

function hourValue(r: HourRow, c: (typeof HOUR_COLS)[number]): number | null {
  return (r as unknown as Record<string, number | null>)[key(c)] ?? null;
}

/** A whole hour logged in is stored as NULL pieces with logged_in_ms = 1 h; other pieces as offsets in the hour. */
function agentValues(r: AgentHourRow): Raw {
  const base = r.hour * HOUR_MS;
  const whole = r.presence.length === 1 && r.presence[0]?.[0] === base && r.presence[0]?.[1] === base + HOUR_MS;
  const pieces = r.presence.length === 0 || whole ? null : JSON.stringify(r.presence.map(([a, b]) => [a - base, b - base]));
  return AGENT_COLS.map((c) => {
    if (c === 'presence') return pieces;
    return (r as unknown as Record<string, number | string>)[key(c)] as number | string;
  });
}

function toHourRow(raw: Raw): HourRow {
  const o: Record<string, unknown> = {};
  HOUR_COLS.forEach((c, i) => {
    o[key(c)] = raw[i];
  });
  return o as unknown as HourRow;
}

function toAgentRow(raw: Raw): AgentHourRow {
  const o: Record<string, unknown> = {};
  AGENT_COLS.forEach((c, i) => {
    o[key(c)] = raw[i];
  });
  const r = o as unknown as AgentHourRow & { presence: unknown };
  const base = r.hour * HOUR_MS;
  const stored = raw[AGENT_COLS.length - 1] as string | null;
  r.presence =
    stored !== null
      ? (JSON.parse(stored) as Array<[number, number]>).map(([a, b]) => [a + base, b + base] as [number, number])
      : r.loggedInMs === HOUR_MS
        ? [[base, base + HOUR_MS]]
        : [];
  return r;
}
