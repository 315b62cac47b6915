/** The shop's ticket settings: one JSON value in the `settings` table under 'tickets.settings'. */
import type { Database } from '../../store/db.js';
import type { TicketSettings } from './types.js';
import { bool, int, invalid, object } from './validate.js';

const KEY = 'tickets.settings';

export const DEFAULT_SETTINGS: Readonly<TicketSettings> = {
  missedCallTickets: true,
  voicemailTickets: true,
  smsTickets: true,
  returnVisitOnResolve: false,
  returnVisitAfterDays: 3,
};

const BOOLS = ['missedCallTickets', 'voicemailTickets', 'smsTickets', 'returnVisitOnResolve'] as const;

export class SettingsStore {
  constructor(private readonly db: Database) {}

  /** The stored settings over the defaults (a damaged value reads as the defaults). */
  get(): TicketSettings {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return { ...DEFAULT_SETTINGS };
    try {
      const stored = JSON.parse(row.value) as Partial<TicketSettings>;
      return { ...DEFAULT_SETTINGS, ...stored };
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }

  /** Validates `patch` (known fields only) and stores the merged settings. */
  put(patch: unknown): TicketSettings {
    const b = object(patch);
    const next = this.get();
    for (const [k, v] of Object.entries(b)) {
      if ((BOOLS as readonly string[]).includes(k)) next[k as (typeof BOOLS)[number]] = bool(v, k);
      else if (k === 'returnVisitAfterDays') next.returnVisitAfterDays = int(v, k, 1, 90);
      else throw invalid(k, `is not a known setting (expected: ${[...BOOLS, 'returnVisitAfterDays'].join(', ')})`);
    }
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(KEY, JSON.stringify(next));
    return next;
  }
}
