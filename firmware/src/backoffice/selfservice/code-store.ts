/**
 * The authenticity code table (防伪码): import (one transaction per file, existing codes kept),
 * checks (counted and logged in one transaction with the code's counters), the check log and stats.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { decodeCsvBytes } from '../common/csv.js';
import { CODE_PATTERN, codeRows, MAX_CSV_BYTES, normalizeCode } from './code-csv.js';
import type { AuthCode, CodeCheck, CodeCheckResult, CodeImportReport, CodeStats, CodeVerdictKind } from './types.js';

interface CodeRowDb {
  code: string;
  product: string;
  batch: string | null;
  import_id: string;
  check_count: number;
  first_checked_at: number | null;
  last_checked_at: number | null;
  created_at: number;
}

interface CheckRowDb {
  id: string;
  ts: number;
  code: string;
  verdict: CodeVerdictKind;
  caller: string | null;
  call_id: string | null;
  source: 'ivr' | 'api';
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const MAX_ERRORS = 100;

function toCode(r: CodeRowDb): AuthCode {
  return {
    code: r.code,
    product: r.product,
    batch: r.batch,
    checkCount: r.check_count,
    firstCheckedAt: isoOrNull(r.first_checked_at),
    lastCheckedAt: isoOrNull(r.last_checked_at),
    importId: r.import_id,
    createdAt: iso(r.created_at),
  };
}

export function checkableCode(raw: string, field = 'code'): string {
  const code = normalizeCode(raw);
  if (!CODE_PATTERN.test(code)) throw new CallboxError('VALIDATION_FAILED', `${field} must be 4..32 letters, digits or dashes`, { field });
  return code;
}

export class CodeStore {
  constructor(private readonly deps: BackOfficeDeps) {}

  count(): number {
    return (this.deps.db.prepare('SELECT COUNT(*) AS n FROM selfservice_codes').get() as { n: number }).n;
  }

  import(actor: Actor, bytes: Uint8Array): CodeImportReport {
    if (bytes.length === 0) throw new CallboxError('VALIDATION_FAILED', 'body is empty: send the CSV file', { field: 'body' });
    if (bytes.length > MAX_CSV_BYTES) throw new CallboxError('PAYLOAD_TOO_LARGE', `the CSV is larger than ${MAX_CSV_BYTES} bytes`);
    const { text, encoding } = decodeCsvBytes(bytes);
    const { rows, errors } = codeRows(text);
    const db = this.deps.db;
    const now = this.deps.clock.now();
    const id = this.deps.newId();
    const insert = db.prepare(
      `INSERT INTO selfservice_codes (code, product, batch, import_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(code) DO NOTHING`,
    );
    let created = 0;
    db.transaction(() => {
      for (const r of rows) created += insert.run(r.code, r.product, r.batch, id, now, now).changes;
      db.prepare(
        'INSERT INTO selfservice_imports (id, created_by, created_at, created, duplicates, bad, encoding) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(id, actor.username, now, created, rows.length - created, errors.length, encoding);
    })();
    return { id, encoding, created, duplicates: rows.length - created, bad: errors.length, errors: errors.slice(0, MAX_ERRORS) };
  }

  get(code: string): AuthCode | null {
    const row = this.deps.db.prepare('SELECT * FROM selfservice_codes WHERE code = ?').get(checkableCode(code)) as CodeRowDb | undefined;
    return row ? toCode(row) : null;
  }

  check(raw: string, from: { source: 'ivr' | 'api'; caller?: string | null; callId?: string | null }): CodeCheckResult {
    const code = checkableCode(raw);
    const db = this.deps.db;
    const now = this.deps.clock.now();
    return db.transaction((): CodeCheckResult => {
      const row = db.prepare('SELECT * FROM selfservice_codes WHERE code = ?').get(code) as CodeRowDb | undefined;
      let result: CodeCheckResult;
      if (!row) result = { verdict: 'unknown', code, checkedAt: iso(now) };
      else {
        db.prepare(
          `UPDATE selfservice_codes SET check_count = check_count + 1, first_checked_at = COALESCE(first_checked_at, ?),
           last_checked_at = ?, updated_at = ?, version = version + 1 WHERE code = ?`,
        ).run(now, now, now, code);
        result =
          row.check_count === 0 || row.first_checked_at === null
            ? { verdict: 'genuine', code, product: row.product, batch: row.batch, checkedAt: iso(now) }
            : {
                verdict: 'repeat',
                code,
                product: row.product,
                batch: row.batch,
                checkedAt: iso(now),
                previousChecks: row.check_count,
                firstCheckedAt: iso(row.first_checked_at),
              };
      }
      db.prepare('INSERT INTO selfservice_checks (id, ts, code, verdict, caller, call_id, source) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        this.deps.newId(),
        now,
        code,
        result.verdict,
        from.caller ?? null,
        from.callId ?? null,
        from.source,
      );
      return result;
    })();
  }

  checks(q: { code?: string; from?: number; to?: number; limit?: number; offset?: number }): Page<CodeCheck> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.code !== undefined) {
      where.push('code = ?');
      args.push(checkableCode(q.code));
    }
    if (q.from !== undefined) {
      where.push('ts >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('ts < ?');
      args.push(q.to);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const db = this.deps.db;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM selfservice_checks ${w}`).get(...args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT * FROM selfservice_checks ${w} ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? 50, q.offset ?? 0) as CheckRowDb[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        at: iso(r.ts),
        code: r.code,
        verdict: r.verdict,
        caller: r.caller,
        callId: r.call_id,
        source: r.source,
      })),
    };
  }

  stats(q: { from?: number; to?: number }): CodeStats {
    const db = this.deps.db;
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const by = db
      .prepare('SELECT verdict, COUNT(*) AS n FROM selfservice_checks WHERE ts >= ? AND ts < ? GROUP BY verdict')
      .all(from, to) as Array<{ verdict: CodeVerdictKind; n: number }>;
    const n = (v: CodeVerdictKind): number => by.find((r) => r.verdict === v)?.n ?? 0;
    const codes = db.prepare('SELECT COUNT(*) AS n, SUM(check_count > 0) AS c FROM selfservice_codes').get() as {
      n: number;
      c: number | null;
    };
    const suspicious = db
      .prepare(
        'SELECT code, product, check_count, first_checked_at FROM selfservice_codes WHERE check_count > 1 ORDER BY check_count DESC, code LIMIT 20',
      )
      .all() as Array<Pick<CodeRowDb, 'code' | 'product' | 'check_count' | 'first_checked_at'>>;
    return {
      codes: codes.n,
      checkedCodes: codes.c ?? 0,
      checks: n('genuine') + n('repeat') + n('unknown'),
      genuine: n('genuine'),
      repeat: n('repeat'),
      unknown: n('unknown'),
      suspicious: suspicious.map((r) => ({
        code: r.code,
        product: r.product,
        checkCount: r.check_count,
        firstCheckedAt: isoOrNull(r.first_checked_at),
      })),
    };
  }
}
