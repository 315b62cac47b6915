/**
 * The customers tables (schema step 7): rows, phones, tags, the record as the API returns it, and
 * search. Plain statements; transactions, outbox and audit are the service's.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';
import type { Consent, Customer, CustomerPhone, CustomerSource } from './types.js';

export interface CustomerRow {
  id: string;
  name: string | null;
  notes: string;
  consent: string;
  do_not_call: number;
  source: CustomerSource;
  created_at: number;
  updated_at: number;
  version: number;
  erased_at: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `text` taken literally in a LIKE pattern (ESCAPE '\'). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%` for LIKE … ESCAPE '\'. */
export function likePattern(text: string): string {
  return `%${likeLiteral(text)}%`;
}

export class CustomerStore {
  private readonly byId: Statement<[string], CustomerRow>;
  private readonly phonesOf: Statement<[string], { phone: string; label: string | null }>;
  private readonly tagsOf: Statement<[string], { tag: string }>;
  private readonly insertRow: Statement<[string, string | null, string, string, number, string, number, number]>;
  private readonly updateRow: Statement<[string | null, string, string, number, number, string]>;
  private readonly insertPhone: Statement<[string, string, string | null, number]>;
  private readonly deletePhone: Statement<[string, string]>;
  private readonly relabel: Statement<[string | null, string, string]>;
  private readonly insertTag: Statement<[string, string]>;
  private readonly clearTags: Statement<[string]>;
  private readonly ownerStmts = new Map<number, Statement<string[], { phone: string; customer_id: string }>>();

  constructor(readonly db: Database) {
    this.byId = db.prepare('SELECT * FROM customers WHERE id = ?');
    this.phonesOf = db.prepare('SELECT phone, label FROM customer_phones WHERE customer_id = ? ORDER BY added_at, phone');
    this.tagsOf = db.prepare('SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag');
    this.insertRow = db.prepare(
      `INSERT INTO customers (id, name, notes, consent, do_not_call, source, created_at, updated_at, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    this.updateRow = db.prepare(
      'UPDATE customers SET name = ?, notes = ?, consent = ?, do_not_call = ?, updated_at = ?, version = version + 1 WHERE id = ?',
    );
    this.insertPhone = db.prepare('INSERT INTO customer_phones (phone, customer_id, label, added_at) VALUES (?, ?, ?, ?)');
    this.deletePhone = db.prepare('DELETE FROM customer_phones WHERE phone = ? AND customer_id = ?');
    this.relabel = db.prepare('UPDATE customer_phones SET label = ? WHERE phone = ? AND customer_id = ?');
    this.insertTag = db.prepare('INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)');
    this.clearTags = db.prepare('DELETE FROM customer_tags WHERE customer_id = ?');
  }

  row(id: string): CustomerRow | undefined {
    return this.byId.get(id);
  }

  phones(id: string): CustomerPhone[] {
    return this.phonesOf.all(id).map((p) => ({ phone: p.phone, label: p.label }));
  }

  tags(id: string): string[] {
    return this.tagsOf.all(id).map((t) => t.tag);
  }

  /** The full record (numbers not masked). */
  record(row: CustomerRow): Customer {
    return {
      id: row.id,
      name: row.name,
      phones: this.phones(row.id),
      tags: this.tags(row.id),
      notes: row.notes,
      consent: JSON.parse(row.consent) as Consent,
      doNotCall: row.do_not_call === 1,
      source: row.source,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      version: row.version,
      erasedAt: row.erased_at === null ? null : iso(row.erased_at),
    };
  }

  get(id: string): Customer | null {
    const row = this.row(id);
    return row ? this.record(row) : null;
  }

  /** Stored numbers among `keys` (every form of one or more phones) with their customer. */
  owners(keys: readonly string[]): Array<{ phone: string; customer_id: string }> {
    if (keys.length === 0) return [];
    let stmt = this.ownerStmts.get(keys.length);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT phone, customer_id FROM customer_phones WHERE phone IN (${keys.map(() => '?').join(', ')})`);
      this.ownerStmts.set(keys.length, stmt);
    }
    return stmt.all(...keys);
  }

  insert(c: {
    id: string;
    name: string | null;
    notes: string;
    consent: Consent;
    doNotCall: boolean;
    source: CustomerSource;
    now: number;
  }): void {
    this.insertRow.run(c.id, c.name, c.notes, JSON.stringify(c.consent), c.doNotCall ? 1 : 0, c.source, c.now, c.now);
  }

  update(id: string, c: { name: string | null; notes: string; consent: Consent; doNotCall: boolean; now: number }): void {
    this.updateRow.run(c.name, c.notes, JSON.stringify(c.consent), c.doNotCall ? 1 : 0, c.now, id);
  }

  /** Make the customer's phones exactly `phones` (numbers kept keep their added_at). */
  setPhones(id: string, phones: ReadonlyArray<{ phone: string; label: string | null }>, now: number): void {
    const current = this.phones(id);
    for (const p of current) if (!phones.some((x) => x.phone === p.phone)) this.deletePhone.run(p.phone, id);
    phones.forEach((p, i) => {
      const had = current.find((x) => x.phone === p.phone);
      if (!had)
        this.insertPhone.run(p.phone, id, p.label, now + i); // + i ms: the first number stays first
      else if (had.label !== p.label) this.relabel.run(p.label, p.phone, id);
    });
  }

  setTags(id: string, tags: readonly string[]): void {
    this.clearTags.run(id);
    for (const t of tags) this.insertTag.run(id, t);
  }

  /**
   * Ids of customers not erased matching the filters, newest change first, and the total.
   * `text` matches name, notes or a tag (LIKE '%text%'); `digits` a phone number's digits
   * anywhere, or only at its end with `digitsAtEnd`; `keys` a whole number in any stored form.
   * A text of 3 characters or more takes its candidates from the trigram index customer_search
   * (schema step 22) and checks each with the same LIKE rules; a shorter one scans.
   */
  search(q: { text?: string; digits?: string; digitsAtEnd?: boolean; keys?: string[]; tag?: string; limit: number; offset: number }): {
    ids: string[];
    total: number;
  } {
    const where: string[] = ['c.erased_at IS NULL'];
    const params: Record<string, unknown> = {};
    if (q.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = @tag COLLATE NOCASE)');
      params.tag = q.tag;
    }
    if (q.text !== undefined) {
      const any = [
        "c.name LIKE @pat ESCAPE '\\'",
        "c.notes LIKE @pat ESCAPE '\\'",
        "EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag LIKE @pat ESCAPE '\\')",
      ];
      params.pat = likePattern(q.text);
      if (q.digits) {
        any.push("EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id AND p.phone LIKE @digits ESCAPE '\\')");
        params.digits = q.digitsAtEnd ? `%${likeLiteral(q.digits)}` : likePattern(q.digits);
      }
      let keys = '';
      if (q.keys?.length) {
        keys = q.keys
          .map((k, i) => {
            params[`k${i}`] = k;
            return `@k${i}`;
          })
          .join(', ');
        any.push(`c.id IN (SELECT customer_id FROM customer_phones WHERE phone IN (${keys}))`);
      }
      where.push(`(${any.join(' OR ')})`);
      // (a NUL would end the FTS5 query string early: such a text scans)
      if ([...q.text].length >= 3 && !q.text.includes('\0')) {
        // every LIKE match above contains the text (or the digits) as a substring of its document
        const phrases = [q.text, ...(q.digits ? [q.digits] : [])].map((p) => `"${p.replace(/"/g, '""')}"`);
        params.match = phrases.join(' OR ');
        const byKey = keys
          ? ` UNION ALL SELECT k.rowid FROM customer_phones p JOIN customers k ON k.id = p.customer_id WHERE p.phone IN (${keys})`
          : '';
        where.push(`c.rowid IN (SELECT rowid FROM customer_search WHERE customer_search MATCH @match${byKey})`);
      }
    }
    const w = `WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM customers c ${w}`).get(params) as { n: number }).n;
    const ids = (
      this.db
        .prepare(`SELECT c.id FROM customers c ${w} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: q.limit, offset: q.offset }) as {
        id: string;
      }[]
    ).map((r) => r.id);
    return { ids, total };
  }
}
