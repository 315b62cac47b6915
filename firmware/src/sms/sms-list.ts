/**
 * The list of text messages of both directions: sent ones (`sms_messages`) and received ones
 * (`sms_received`), newest first by their ULIDs, one page (`limit`, `offset`) with the count of
 * every match. Filters: direction, status (sent ones), unread (received ones), customer, ticket.
 */
import type { Database } from 'better-sqlite3';
import { CallboxError } from '../errors.js';
import type { SmsQuery } from './types.js';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed'];

export interface SmsListPage {
  rows: { id: string; dir: 'in' | 'out' }[];
  total: number;
}

const bad = (field: string, msg: string) => new CallboxError('VALIDATION_FAILED', `${field} ${msg}`, { field });

/** The page of ids (with their direction) matching `q`; VALIDATION_FAILED naming the field. */
export function smsListPage(db: Database, q: SmsQuery): SmsListPage {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw bad('limit', 'must be 1..500');
  if (!Number.isInteger(offset) || offset < 0) throw bad('offset', 'must be a whole number ≥ 0');
  if (q.direction !== undefined && q.direction !== 'in' && q.direction !== 'out') throw bad('direction', 'must be in or out');
  if (q.status !== undefined && !STATUSES.includes(q.status)) {
    throw bad('status', 'must be queued, sending, sent, delivered or failed');
  }
  if (q.status !== undefined && q.direction === 'in') throw bad('status', 'is about sent messages (direction out)');
  if (q.unread !== undefined && (q.direction === 'out' || q.status !== undefined)) {
    throw bad('unread', 'is about received messages (direction in), not with status');
  }
  const out = q.direction !== 'in' && q.unread === undefined;
  const inn = q.direction !== 'out' && q.status === undefined;
  const parts: string[] = [];
  const args: (string | number)[] = [];
  const common = (where: string[]) => {
    if (q.customerId) {
      where.push('customer_id = ?');
      args.push(q.customerId);
    }
    if (q.ticketId) {
      where.push('ticket_id = ?');
      args.push(q.ticketId);
    }
    return where.length ? ` WHERE ${where.join(' AND ')}` : '';
  };
  if (out) {
    const where: string[] = [];
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    parts.push(`SELECT id, 'out' AS dir FROM sms_messages${common(where)}`);
  }
  if (inn) {
    const where: string[] = [];
    if (q.unread !== undefined) where.push(q.unread ? 'read_at IS NULL' : 'read_at IS NOT NULL');
    parts.push(`SELECT id, 'in' AS dir FROM sms_received${common(where)}`);
  }
  const union = parts.join(' UNION ALL ');
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${union})`).get(...args) as { n: number }).n;
  const rows = db.prepare(`${union} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as SmsListPage['rows'];
  return { rows, total };
}
