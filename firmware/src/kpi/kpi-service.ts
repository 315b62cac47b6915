/**
 * The KPI part of the service API: reports and staffing advice computed on request from the event
 * log in SQLite. Synchronous (better-sqlite3): a year of a small shop's events takes a fraction of a
 * second; a worker thread with its own read-only connection is the next step if that ever shows in
 * the event-loop lag.
 */
import type { TypedEvent } from '../events/catalog.js';
import type { KpiService } from '../service/types.js';
import type { Database } from '../store/db.js';
import { CallbacksPending } from './callbacks-pending.js';
import { computeKpis } from './compute.js';
import { staffingAdvice } from './erlang.js';
import { type IvrStats, IvrStatsSource } from './ivr-stats.js';
import { KpiEventSource } from './source.js';
import type { KpiQuery, KpiReport, StaffingAdvice, StaffingQuery } from './types.js';

export interface KpiServiceDeps {
  db: Database;
  /** Number of shop lines (config.lines.length). */
  lines: () => number;
  /** The present, ms (the box's clock); time after it is not counted. Default Date.now. */
  now?: () => number;
  /** IANA zone for the hours of the week (config.shop.timezone). Default "UTC". */
  timeZone?: () => string;
}

export class KpiServiceImpl implements KpiService {
  private source: KpiEventSource | null = null;
  private ivrSource: IvrStatsSource | null = null;
  private pending: CallbacksPending | null = null;

  constructor(private readonly d: KpiServiceDeps) {}

  report(q: KpiQuery): KpiReport {
    const report = computeKpis(this.events(q), q, { lines: this.d.lines(), now: this.now() });
    this.pending ??= new CallbacksPending(this.d.db);
    // Open at the end of the range (or now, for a range reaching into the future).
    report.callbacksPending = this.pending.at(Math.min(q.to, this.now()), q.queue);
    return report;
  }

  staffing(q: StaffingQuery): StaffingAdvice {
    return staffingAdvice(this.events(q), q, { lines: this.d.lines(), now: this.now(), timeZone: this.d.timeZone?.() ?? 'UTC' });
  }

  ivr(q: { from: number; to: number }): IvrStats {
    this.ivrSource ??= new IvrStatsSource(this.d.db);
    return this.ivrSource.stats(q.from, q.to);
  }

  private events(q: KpiQuery): Iterable<TypedEvent> {
    this.source ??= new KpiEventSource(this.d.db);
    return this.source.events(q);
  }

  private now(): number {
    return this.d.now ? this.d.now() : Date.now();
  }
}
