/**
 * The call history's filters as SQL (the dashboard's 通话记录 page): start time range, queue, agent,
 * outcomes and digits of the caller ID (anywhere, or at its end), newest first, with offset paging. Only the filters given
 * go into the WHERE clause; the values are always bound parameters, never spliced into the SQL.
 */
import type { CallListQuery } from '../service/types.js';

export const MAX_CALL_PAGE = 500;

export interface CallSearchSql {
  /** `WHERE …` or '' — over the table `calls`. */
  where: string;
  params: (string | number)[];
  /** A key for the statement cache: the same filters in use give the same SQL. */
  key: string;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern (ESCAPE '\'). */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function callSearchSql(q: CallListQuery): CallSearchSql {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (q.from !== undefined) {
    clauses.push('started_at >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    clauses.push('started_at < ?');
    params.push(q.to);
  }
  if (q.queue !== undefined) {
    clauses.push('queue = ?');
    params.push(q.queue);
  }
  if (q.agent !== undefined) {
    clauses.push('agent = ?');
    params.push(q.agent);
  }
  if (q.outcomes !== undefined) {
    clauses.push('outcome IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.outcomes));
  }
  if (q.number !== undefined) {
    // A rare pattern (4 digits or more: a number's tail, a whole number) is found by scanning the
    // small covering index calls_caller (~2.5x faster than the table at a year of calls); a short
    // one matches most calls, so the newest-first scan of the table stops after a page instead.
    clauses.push(
      q.number.length >= 4 ? "rowid IN (SELECT rowid FROM calls WHERE caller_id LIKE ? ESCAPE '\\')" : "caller_id LIKE ? ESCAPE '\\'",
    );
    params.push(q.numberAtEnd ? `%${likeLiteral(q.number)}` : `%${likeLiteral(q.number)}%`);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  return { where, params, key: where };
}

/** The limit clamped to 1..500 and the offset to 0.. (whole numbers). */
export function callPage(q: CallListQuery): { limit: number; offset: number } {
  const n = Math.trunc(q.limit);
  const limit = n >= 1 ? Math.min(n, MAX_CALL_PAGE) : 1;
  const offset = Math.max(0, Math.trunc(q.offset ?? 0));
  return { limit, offset };
}
