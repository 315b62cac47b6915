/**
 * The KPI events of a report period, for computeKpis / staffingAdvice (which accept any superset
 * of a range's events: earlier ones only set up state, later ones only close what the range
 * opened). Same rows and checks as the KPI module's KpiEventSource (its `toEvent`, its event
 * types), with a cheaper seed: instead of every agent's last state before `from` over the whole
 * log (a scan of every earlier event, ~1 s on a year of a busy shop), it reads the KPI events of
 * the SEED_MS before `from` (agents' states, the calls still on a line) and, only for the config's
 * agents with no event in them, their last state in the FALLBACK_MS before that. An agent silent
 * for longer is taken as logged out at `from`.
 */
import type { Statement } from 'better-sqlite3';
import type { TypedEvent } from '../../events/catalog.js';
import { KPI_EVENT_TYPES, LOOKAHEAD_MS, toEvent } from '../../kpi/source.js';
import type { Database } from '../../store/db.js';
import { EVENT_COLUMNS, typeIn } from '../../store/event-log.js';
import { EventWindow } from '../../store/event-window.js';

/** The window before `from` read in full: longer than any call, so calls in progress are whole. */
export const SEED_MS = 26 * 3_600_000;
/** How far back an agent's last state is looked for when the seed window has none. */
export const FALLBACK_MS = 31 * 86_400_000;

type RawRow = [number, number, string, string | null, string];

const COLS = EVENT_COLUMNS;
const TYPES = typeIn(KPI_EVENT_TYPES);

export class ReportEventSource {
  private readonly window: EventWindow;
  private readonly range: Statement<[number, number, number, number], RawRow>;
  private readonly lastState: Statement<[number, number, string], RawRow>;
  private readonly after: Statement<[number, number, number, number], RawRow>;

  constructor(db: Database) {
    this.window = new EventWindow(db);
    this.range = db
      .prepare<[number, number, number, number], RawRow>(
        `SELECT ${COLS} FROM event_log WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND ${TYPES} ORDER BY seq`,
      )
      .raw();
    this.lastState = db
      .prepare<[number, number, string], RawRow>(
        `SELECT ${COLS} FROM event_log WHERE ts >= ? AND ts < ? AND ${typeIn(['agent.state'])} AND json_extract(data, '$.agent') = ?
         ORDER BY ts DESC, seq DESC LIMIT 1`,
      )
      .raw();
    this.after = db
      .prepare<[number, number, number, number], RawRow>(
        `SELECT ${COLS} FROM event_log WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ?
         AND ${typeIn(['agent.state', 'queue.enter', 'call.ended'])} ORDER BY seq`,
      )
      .raw();
  }

  /** The events of [from, to) with their seed and what closes them, in seq order (seed first). */
  read(q: { from: number; to: number }, agents: readonly string[]): TypedEvent[] {
    const { from, to } = q;
    const seed = this.rows(from - SEED_MS, from);
    const seen = new Set<string>();
    for (const e of seed) if (e.type === 'agent.state') seen.add((e.data as { agent: string }).agent);
    const older: TypedEvent[] = [];
    for (const agent of agents) {
      if (seen.has(agent)) continue;
      const r = this.lastState.get(from - SEED_MS - FALLBACK_MS, from - SEED_MS, agent);
      const e = r ? toEvent(r) : null;
      if (e) older.push(e);
    }
    older.sort((a, b) => a.seq - b.seq);
    const out = [...older, ...seed, ...this.rows(from, to)];
    const a = this.window.seqs(to, to + LOOKAHEAD_MS);
    for (const r of a ? this.after.all(a[0], a[1], to, to + LOOKAHEAD_MS) : []) {
      const e = toEvent(r);
      if (e) out.push(e);
    }
    return out;
  }

  private rows(from: number, to: number): TypedEvent[] {
    const out: TypedEvent[] = [];
    const w = this.window.seqs(from, to);
    if (!w) return out;
    for (const r of this.range.all(w[0], w[1], from, to)) {
      const e = toEvent(r);
      if (e) out.push(e);
    }
    return out;
  }
}
