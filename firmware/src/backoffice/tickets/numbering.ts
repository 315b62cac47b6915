/** Human ticket numbers: "T" + the local day (shop's time zone) + "-" + a 4-digit daily sequence. */
import type { Database } from '../../store/db.js';
import { isKnownZone, localDateString } from '../../tz/zone.js';

/** "20261127" for epoch ms `ms` in the IANA zone `tz` (UTC when the zone is unknown). */
export function localDay(ms: number, tz: string): string {
  return localDateString(ms, isKnownZone(tz) ? tz : 'UTC', '');
}

/** The next free number of the day (call inside the transaction that inserts the ticket). */
export function nextNumber(db: Database, ms: number, tz: string): string {
  const prefix = `T${localDay(ms, tz)}-`;
  const row = db
    .prepare('SELECT MAX(CAST(substr(number, ?) AS INTEGER)) AS n FROM tickets WHERE number LIKE ?')
    .get(prefix.length + 1, `${prefix}%`) as { n: number | null };
  const n = (row.n ?? 0) + 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}
