/**
 * IVR analytics (语音导航分析) from the event log: per menu node, how many callers entered it, which
 * keys they pressed, how they left it (to a queue, a submenu, a hang-up, by timeout or invalid
 * keys), for self-service lookup nodes (`lookup:orderStatus`, …) how number entry ended and what
 * the lookups found, and how many dropped off there (hung up while in that menu). A call counts in the range of
 * the event that counts it (entries by `ivr.menu`, drop-offs by `call.ended`).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/db.js';
import { typeIn } from '../store/event-log.js';
import { EventWindow } from '../store/event-window.js';

export interface IvrNodeStats {
  menu: string;
  entries: number;
  /** Accepted keys: digit → presses. */
  keys: Record<string, number>;
  /** How callers left the IVR from this menu: "queue:main", "hangup:timeout", ... → count. */
  exits: Record<string, number>;
  /** Callers who hung up while in this menu. */
  dropOffs: number;
  /** dropOffs ÷ entries, null without entries. */
  dropOffRate: number | null;
  /** Lookup nodes only: tries at collecting a number by how they ended (terminator, max, interDigitTimeout, timeout, invalid). */
  collects?: Record<string, number>;
  /** Lookup nodes only: outcomes (found:shipped, notFound, genuine, repeat, unknown, message, …). */
  lookups?: Record<string, number>;
}

export interface IvrStats {
  from: string;
  to: string;
  calls: number;
  nodes: IvrNodeStats[];
}

interface Row {
  ts: number;
  type: string;
  call_id: string | null;
  data: string;
}

const TYPES = typeIn(['ivr.menu', 'ivr.key', 'ivr.done', 'ivr.collect', 'ivr.lookup', 'call.ended']);

export class IvrStatsSource {
  private readonly stmt: Statement<[number, number, number, number], Row>;
  private readonly window: EventWindow;

  constructor(db: Database) {
    this.window = new EventWindow(db);
    this.stmt = db.prepare(
      `SELECT ts, (SELECT name FROM event_types WHERE id = type_id) AS type, call_id, json(data) AS data FROM event_log
       WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND ${TYPES} ORDER BY seq`,
    );
  }

  stats(from: number, to: number): IvrStats {
    const w = this.window.seqs(from, to);
    return computeIvrStats(w ? this.stmt.iterate(w[0], w[1], from, to) : [], from, to);
  }
}

export function computeIvrStats(rows: Iterable<Row>, from: number, to: number): IvrStats {
  const nodes = new Map<string, IvrNodeStats>();
  const node = (menu: string): IvrNodeStats => {
    let n = nodes.get(menu);
    if (!n) {
      n = { menu, entries: 0, keys: {}, exits: {}, dropOffs: 0, dropOffRate: null };
      nodes.set(menu, n);
    }
    return n;
  };
  /** Per call: the menu it is in, while still in the IVR. */
  const current = new Map<string, string>();
  const calls = new Set<string>();
  for (const r of rows) {
    if (!r.call_id) continue;
    const data = JSON.parse(r.data) as Record<string, unknown>;
    switch (r.type) {
      case 'ivr.menu': {
        const menu = String(data.menu);
        node(menu).entries++;
        current.set(r.call_id, menu);
        calls.add(r.call_id);
        break;
      }
      case 'ivr.key': {
        const n = node(String(data.menu));
        const d = String(data.digit);
        n.keys[d] = (n.keys[d] ?? 0) + 1;
        break;
      }
      case 'ivr.collect': {
        const n = node(String(data.menu));
        const k = String(data.result);
        n.collects ??= {};
        n.collects[k] = (n.collects[k] ?? 0) + 1;
        break;
      }
      case 'ivr.lookup': {
        const n = node(String(data.menu));
        const k = String(data.outcome);
        n.lookups ??= {};
        n.lookups[k] = (n.lookups[k] ?? 0) + 1;
        break;
      }
      case 'ivr.done': {
        const n = node(String(data.menu || current.get(r.call_id) || '?'));
        const exit = data.target ? `${data.action}:${data.target}` : `${data.action}:${data.reason}`;
        n.exits[exit] = (n.exits[exit] ?? 0) + 1;
        current.delete(r.call_id);
        break;
      }
      case 'call.ended': {
        const menu = current.get(r.call_id);
        if (menu !== undefined && data.reason === 'callerHangup') node(menu).dropOffs++;
        current.delete(r.call_id);
        break;
      }
    }
  }
  const list = [...nodes.values()].sort((a, b) => b.entries - a.entries || a.menu.localeCompare(b.menu));
  for (const n of list) n.dropOffRate = n.entries > 0 ? n.dropOffs / n.entries : null;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), calls: calls.size, nodes: list };
}
