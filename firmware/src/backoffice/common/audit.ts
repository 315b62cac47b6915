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

interface Row {
  seq: number;
  ts: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
}

export class AuditLog {
  private readonly insert: Statement<[number, string, string, string, string | null, string]>;
  private readonly byEntity: Statement<[string, string, number], Row>;
  private readonly recent: Statement<[number], Row>;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT INTO audit (ts, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)');
    this.byEntity = db.prepare('SELECT * FROM audit WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?');
    this.recent = db.prepare('SELECT * FROM audit ORDER BY seq DESC LIMIT ?');
  }

  /** e.g. record('owner', 'customer.erase', 'customer', id, { reason }). */
  record(actor: string, action: string, entity: string, entityId: string | null, detail: unknown = {}): void {
    this.insert.run(this.now(), actor, action, entity, entityId, JSON.stringify(detail));
  }

  /** Newest first. */
  list(q: { entity?: string; entityId?: string; limit: number }): AuditEntry[] {
    const limit = Math.max(1, Math.min(1000, Math.trunc(q.limit)));
    const rows = q.entity && q.entityId ? this.byEntity.all(q.entity, q.entityId, limit) : this.recent.all(limit);
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
