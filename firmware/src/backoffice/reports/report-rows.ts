/** Rows of a report's call sections: figures of a range, sums of adjacent ranges, the local hours of a period. */
import type { KpiBucket } from '../../kpi/compute.js';
import type { CallKpis } from '../../kpi/types.js';
import type { LocalCalendar, PeriodRange } from './period.js';
import type { ReportCallFigures, ReportCallRow } from './types.js';

export function figures(k: CallKpis): ReportCallFigures {
  return {
    offered: k.offered,
    answered: k.answered,
    abandoned: k.abandoned,
    shortAbandoned: k.shortAbandoned,
    answeredWithinThreshold: k.answeredWithinThreshold,
    serviceLevel: k.serviceLevel,
    answerRate: k.answerRate,
    abandonRate: k.abandonRate,
    asaS: k.asaS,
    handled: k.handled,
    ahtS: k.ahtS,
  };
}

/** Sums of rows of adjacent ranges, means re-weighted by their populations. */
export class RowSum {
  offered = 0;
  answered = 0;
  abandoned = 0;
  shortAbandoned = 0;
  within = 0;
  handled = 0;
  waitS = 0;
  handleS = 0;

  add(k: CallKpis): void {
    this.offered += k.offered;
    this.answered += k.answered;
    this.abandoned += k.abandoned;
    this.shortAbandoned += k.shortAbandoned;
    this.within += k.answeredWithinThreshold;
    this.handled += k.handled;
    this.waitS += (k.asaS ?? 0) * k.answered;
    this.handleS += (k.ahtS ?? 0) * k.handled;
  }

  row(label: string): ReportCallRow {
    const div = (a: number, b: number): number | null => (b > 0 ? a / b : null);
    return {
      label,
      offered: this.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      shortAbandoned: this.shortAbandoned,
      answeredWithinThreshold: this.within,
      serviceLevel: div(this.within, this.answered),
      answerRate: div(this.answered, this.offered),
      abandonRate: div(this.abandoned, this.offered),
      asaS: div(this.waitS, this.answered),
      handled: this.handled,
      ahtS: div(this.handleS, this.handled),
    };
  }
}

/** Every local hour of the period as a bucket (a repeated local hour when clocks go back joins the one before), with its day index and hour. */
export function hourBuckets(range: PeriodRange, cal: LocalCalendar): { buckets: KpiBucket[]; slots: { day: number; hour: number }[] } {
  const buckets: KpiBucket[] = [];
  const slots: { day: number; hour: number }[] = [];
  for (const [i, day] of range.days.entries()) {
    const dayFrom = cal.instant(day);
    const dayTo = cal.instant(day + 1);
    for (let h = 0; h < 24; h++) {
      // Never before the previous bucket's end (a repeated local hour when clocks go back).
      const a = Math.max(dayFrom, cal.instant(day, h * 60), buckets[buckets.length - 1]?.to ?? range.from);
      const b = h === 23 ? dayTo : Math.min(dayTo, cal.instant(day, (h + 1) * 60));
      if (b <= a) continue;
      buckets.push({ from: a, to: b });
      slots.push({ day: i, hour: h });
    }
  }
  return { buckets, slots };
}
