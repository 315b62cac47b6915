/**
 * The tickets section of a report, from the `tickets` contract table (schema step 8): volume,
 * resolution and first-response times, by source and category, and first-contact resolution.
 *
 * First-contact resolution (一次解决率, FCR): of the tickets created in the period from a call
 * (source 'call' with a call_id), the share that were resolved (resolved_at set when the report is
 * made) without ever being reopened (reopen_count 0), and after whose call the same customer did
 * not call again within FCR_WINDOW_DAYS days. "The same customer": an inbound call from the
 * original call's caller ID or any phone of the ticket's customer (all stored forms, phoneKeys).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';
import { normalizePhone, phoneKeys } from '../common/phone.js';
import type { ReportTickets } from './types.js';

export const FCR_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

interface FcrRow {
  id: string;
  call_id: string;
  created_at: number;
  resolved_at: number | null;
  reopen_count: number;
  customer_id: string | null;
  phone: string | null;
  call_started: number | null;
  caller_id: string | null;
}

type Range = [number, number];

export class TicketFigures {
  private readonly summary: Statement<Range, { created: number; first_response_ms: number | null }>;
  private readonly resolved: Statement<Range, { n: number; ms: number | null }>;
  private readonly open: Statement<[number, number, number], { n: number }>;
  private readonly bySource: Statement<Range, { source: string; n: number }>;
  private readonly byCategory: Statement<
    [number, number, number, number, number, number, number, number],
    { id: string; name: string; created: number; resolved: number }
  >;
  private readonly fcr: Statement<Range, FcrRow>;
  private readonly phones: Statement<[string], { phone: string }>;
  private readonly inboundCalls: Statement<[string, number, number], { caller_id: string; started_at: number; id: string }>;

  constructor(db: Database) {
    this.summary = db.prepare(
      `SELECT COUNT(*) AS created, AVG(first_response_at - created_at) AS first_response_ms
       FROM tickets WHERE created_at >= ? AND created_at < ?`,
    );
    this.resolved = db.prepare(
      'SELECT COUNT(*) AS n, AVG(resolved_at - created_at) AS ms FROM tickets WHERE resolved_at >= ? AND resolved_at < ?',
    );
    this.open = db.prepare(
      `SELECT COUNT(*) AS n FROM tickets WHERE created_at < ?
         AND (resolved_at IS NULL OR resolved_at >= ?) AND (closed_at IS NULL OR closed_at >= ?)`,
    );
    this.bySource = db.prepare(
      'SELECT source, COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? GROUP BY source ORDER BY source',
    );
    // One pass over the period's tickets grouped by category (not two correlated counts per
    // category: 50 ms on a year of 20 000 tickets).
    this.byCategory = db.prepare(
      `SELECT c.id, c.name_zh || ' / ' || c.name_en AS name, t.created, t.resolved
       FROM ticket_categories c JOIN (
         SELECT category,
           COUNT(CASE WHEN created_at >= ? AND created_at < ? THEN 1 END) AS created,
           COUNT(CASE WHEN resolved_at >= ? AND resolved_at < ? THEN 1 END) AS resolved
         FROM tickets WHERE (created_at >= ? AND created_at < ?) OR (resolved_at >= ? AND resolved_at < ?)
         GROUP BY category) t ON t.category = c.id
       ORDER BY c.sort, c.id`,
    );
    this.fcr = db.prepare(
      `SELECT t.id, t.call_id, t.created_at, t.resolved_at, t.reopen_count, t.customer_id, t.phone,
         c.started_at AS call_started, c.caller_id
       FROM tickets t LEFT JOIN calls c ON c.id = t.call_id
       WHERE t.created_at >= ? AND t.created_at < ? AND t.source = 'call' AND t.call_id IS NOT NULL`,
    );
    this.phones = db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ?');
    // The inbound calls from the tickets' numbers over the FCR windows, read once per report (not one query per ticket and phone form).
    this.inboundCalls = db.prepare(
      `SELECT caller_id, started_at, id FROM calls
       WHERE caller_id IN (SELECT value FROM json_each(?)) AND started_at > ? AND started_at <= ? AND direction = 'inbound'
       ORDER BY caller_id, started_at`,
    );
  }

  compute(from: number, to: number, country: 'CN' | 'US' | 'EU'): ReportTickets {
    const s = this.summary.get(from, to) ?? { created: 0, first_response_ms: null };
    const r = this.resolved.get(from, to) ?? { n: 0, ms: null };
    const bySource: Record<string, number> = {};
    for (const row of this.bySource.all(from, to)) bySource[row.source] = row.n;
    const byCategory = this.byCategory
      .all(from, to, from, to, from, to, from, to)
      .map((c) => ({ category: c.id, name: c.name, created: c.created, resolved: c.resolved }));
    let resolved = 0;
    const keyCache = new Map<string, string[]>();
    const tickets = this.fcr.all(from, to);
    const candidates = tickets.filter((t) => t.resolved_at !== null && t.reopen_count === 0);
    const keysOf = candidates.map((t) => this.keysOf(t, country, keyCache));
    const calls = this.callsByCaller(candidates, keysOf);
    const eligible = tickets.length;
    for (const [i, t] of candidates.entries()) if (!calledAgain(t, keysOf[i] as Set<string>, calls)) resolved++;
    return {
      created: s.created,
      resolved: r.n,
      openAtEnd: this.open.get(to, to, to)?.n ?? 0,
      meanResolutionH: r.ms === null ? null : r.ms / 3_600_000,
      meanFirstResponseMin: s.first_response_ms === null ? null : s.first_response_ms / 60_000,
      bySource,
      byCategory,
      fcrEligible: eligible,
      fcrResolved: resolved,
      fcrRate: eligible > 0 ? resolved / eligible : null,
      fcrWindowDays: FCR_WINDOW_DAYS,
    };
  }

  /** Every stored form of every number of the ticket's customer: its call's caller ID, its phone, the customer's phones. */
  private keysOf(t: FcrRow, country: 'CN' | 'US' | 'EU', cache: Map<string, string[]>): Set<string> {
    const raw = new Set<string>();
    if (t.caller_id) raw.add(t.caller_id);
    if (t.phone) raw.add(t.phone);
    if (t.customer_id) for (const p of this.phones.all(t.customer_id)) raw.add(p.phone);
    const keys = new Set<string>();
    for (const p of raw) {
      let forms = cache.get(p);
      if (!forms) {
        try {
          forms = [p, ...phoneKeys(normalizePhone(p), country)];
        } catch {
          forms = [p]; // not a phone number (withheld caller ID): only the raw form
        }
        cache.set(p, forms);
      }
      for (const k of forms) keys.add(k);
    }
    return keys;
  }

  /** The inbound calls from these numbers over the tickets' windows, by caller ID, in time order (one query, by index). */
  private callsByCaller(tickets: readonly FcrRow[], keys: readonly Set<string>[]): Map<string, Array<[number, string]>> {
    const out = new Map<string, Array<[number, string]>>();
    if (tickets.length === 0) return out;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const t of tickets) {
      const start = t.call_started ?? t.created_at;
      lo = Math.min(lo, start);
      hi = Math.max(hi, start + FCR_WINDOW_DAYS * DAY_MS);
    }
    const all = new Set<string>();
    for (const k of keys) for (const x of k) all.add(x);
    for (const c of this.inboundCalls.all(JSON.stringify([...all]), lo, hi)) {
      const list = out.get(c.caller_id) ?? [];
      list.push([c.started_at, c.id]);
      out.set(c.caller_id, list);
    }
    return out;
  }
}

/** Did the ticket's customer call in again within the window after the ticket's call? (lists in time order) */
function calledAgain(t: FcrRow, keys: Set<string>, calls: Map<string, Array<[number, string]>>): boolean {
  const start = t.call_started ?? t.created_at;
  const until = start + FCR_WINDOW_DAYS * DAY_MS;
  for (const k of keys) {
    const list = calls.get(k);
    if (!list) continue;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as [number, string])[0] <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length; i++) {
      const [at, id] = list[i] as [number, string];
      if (at > until) break;
      if (id !== t.call_id) return true;
    }
  }
  return false;
}
