/**
 * The audit trail: an append-only table (schema step 6) of who did what to personal and business
 * data. Written in the caller's transaction (call `record` inside `db.transaction`) so an action
 * and its audit row commit together.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';

export interface AuditEntry {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: unknown;
}

/** Filters of `list`, all optional but `limit` (1..1000; anything else falls back to 50). */
export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  /** Only entries older than this seq (paging backwards: pass the last seq of the previous page). */
  beforeSeq?: number;
  limit: number;
}

interface Row {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
}

const FILTERS = [
  ['entity', 'entity = ?'],
  ['entityId', 'entity_id = ?'],
  ['actor', 'actor = ?'],
  ['action', 'action = ?'],
  ['beforeSeq', 'seq < ?'],
] as const;

export class AuditLog {
  private readonly insert: Statement<[number, string, string, string, string | null, string]>;
  private readonly lists = new Map<string, Statement<unknown[], Row>>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT INTO audit (ts, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** e.g. record('owner', 'customer.erase', 'customer', id, { reason }). */
  record(actor: string, action: string, entity: string, entityId: string | null, detail: unknown = {}): void {
    this.insert.run(this.now(), actor, action, entity, entityId, JSON.stringify(detail) ?? '{}');
  }

  /** Newest first, filtered by every field given (entity alone, entity and id, actor, action). */
  list(q: AuditQuery): AuditEntry[] {
    const limit = Number.isFinite(q.limit) ? Math.max(1, Math.min(1000, Math.trunc(q.limit))) : 50;
    const used = FILTERS.filter(([k]) => q[k] !== undefined);
    const key = used.map(([k]) => k).join(',');
    let stmt = this.lists.get(key);
    if (!stmt) {
      const where = used.length ? `WHERE ${used.map(([, sql]) => sql).join(' AND ')}` : '';
      stmt = this.db.prepare<unknown[], Row>(`SELECT * FROM audit ${where} ORDER BY seq DESC LIMIT ?`);
      this.lists.set(key, stmt);
    }
    const rows = stmt.all(...used.map(([k]) => q[k]), limit);
    return rows.map((r) => ({
      seq: r.seq,
      ts: new Date(r.ts).toISOString(),
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      detail: JSON.parse(r.detail) as unknown,
    }));
  }
}
