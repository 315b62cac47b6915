/**
 * Delivery reports (状态报告) on the messages the box sent: the modem hands over the network's
 * report on one part by its TP-MR and recipient; it is matched to the newest message still `sent`
 * (sent within the last 7 days — TP-MR wraps at 256) whose parts include that reference and whose
 * number is the recipient's. Every part delivered → `delivered` with the time the last part reached
 * the phone; any part the network gave up on → `failed` with the reason; a `pending` report (the
 * phone is off, the network keeps trying) only shows on the part. A message about a ticket gets a
 * note either way (so the ticket stream carries it to the cloud). A report that matches nothing
 * yet (a long message's first part can be reported before its last part went out) is kept for
 * 10 minutes and tried again after each send; later duplicates of a settled message are ignored.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../hal/src/clock.js';
import { SYSTEM_ACTOR } from '../backoffice/common/types.js';
import type { TicketsService } from '../backoffice/tickets/types.js';
import type { SmsDeliveryReport } from './types.js';

export const REPORT_MATCH_DAYS = 7;
export const UNMATCHED_KEEP_MS = 10 * 60_000;

/** One part's latest report as stored in `sms_messages.reports`. */
export interface StoredReport {
  ref: number;
  status: SmsDeliveryReport['status'];
  detail: string;
  at: number;
}

interface Row {
  id: string;
  phone: string;
  body: string;
  refs: string | null;
  reports: string | null;
  ticket_id: string | null;
  created_by: string;
}

/** Whether two ways of writing a number are the same phone: the last digits agree (+8613… vs 13…). */
export function samePhone(a: string, b: string): boolean {
  const da = a.replace(/\D/g, '');
  const db = b.replace(/\D/g, '');
  const n = Math.min(da.length, db.length, 11);
  return n >= 5 && da.slice(-n) === db.slice(-n);
}

export class DeliveryReports {
  private unmatched: { r: SmsDeliveryReport; at: number }[] = [];

  constructor(
    private readonly d: {
      db: Database;
      clock: Clock;
      tickets: TicketsService;
      log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
    },
  ) {}

  /** A report from the modem. Never throws (a bad report is logged). */
  report(r: SmsDeliveryReport): void {
    try {
      if (!this.apply(r)) {
        this.unmatched.push({ r, at: this.d.clock.now() });
        this.d.log.info({ ref: r.ref, status: r.status }, 'SMS delivery report matches no message yet');
      }
    } catch (e) {
      this.d.log.warn({ ref: r.ref, error: (e as Error).message }, 'SMS delivery report not applied');
    }
  }

  /** After a send: the reports that came too early get another chance. */
  retry(): void {
    const now = this.d.clock.now();
    const keep = this.unmatched.filter((u) => now - u.at < UNMATCHED_KEEP_MS);
    this.unmatched = [];
    for (const u of keep) if (!this.apply(u.r)) this.unmatched.push(u);
  }

  private apply(r: SmsDeliveryReport): boolean {
    const db = this.d.db;
    const since = this.d.clock.now() - REPORT_MATCH_DAYS * 86_400_000;
    const rows = db
      .prepare(`SELECT * FROM sms_messages WHERE status = 'sent' AND sent_at >= ? ORDER BY sent_at DESC, id DESC`)
      .all(since) as Row[];
    const row = rows.find((x) => (JSON.parse(x.refs ?? '[]') as number[]).includes(r.ref) && samePhone(x.phone, r.to));
    if (!row) return false;
    const refs = JSON.parse(row.refs ?? '[]') as number[];
    const reports = (JSON.parse(row.reports ?? '[]') as StoredReport[]).filter((x) => x.ref !== r.ref);
    const at = Number.isFinite(r.at) && Math.abs(r.at) < 8.64e15 ? r.at : this.d.clock.now();
    reports.push({ ref: r.ref, status: r.status, detail: r.detail, at });
    reports.sort((a, b) => refs.indexOf(a.ref) - refs.indexOf(b.ref));
    const failed = reports.find((x) => x.status === 'failed');
    const allDelivered = refs.every((ref) => reports.some((x) => x.ref === ref && x.status === 'delivered'));
    const json = JSON.stringify(reports);
    db.transaction(() => {
      if (failed) {
        const part = refs.indexOf(failed.ref) + 1;
        const why = `not delivered${refs.length > 1 ? ` (part ${part}/${refs.length})` : ''}: ${failed.detail}`;
        db.prepare(`UPDATE sms_messages SET status = 'failed', reports = ?, last_error = ? WHERE id = ?`).run(json, why, row.id);
        this.note(row, `短信未送达 / SMS not delivered: ${failed.detail}`);
        this.d.log.warn({ id: row.id, detail: failed.detail }, 'SMS not delivered');
      } else if (allDelivered) {
        const at = Math.max(...reports.map((x) => x.at));
        db.prepare(`UPDATE sms_messages SET status = 'delivered', reports = ?, delivered_at = ? WHERE id = ?`).run(json, at, row.id);
        this.note(row, `短信已送达 / SMS delivered (${new Date(at).toISOString()})`);
        this.d.log.info({ id: row.id }, 'SMS delivered');
      } else {
        db.prepare('UPDATE sms_messages SET reports = ? WHERE id = ?').run(json, row.id);
      }
    })();
    return true;
  }

  private note(row: Row, body: string): void {
    if (row.ticket_id) this.d.tickets.addNote(SYSTEM_ACTOR, row.ticket_id, { body, internal: false });
  }
}

/** The API's view of the stored reports: part numbers and ISO times. */
export function partReports(refsJson: string | null, reportsJson: string | null) {
  const refs = JSON.parse(refsJson ?? '[]') as number[];
  return (JSON.parse(reportsJson ?? '[]') as StoredReport[]).map((x) => ({
    part: refs.indexOf(x.ref) + 1,
    status: x.status,
    detail: x.detail,
    at: new Date(x.at).toISOString(),
  }));
}
