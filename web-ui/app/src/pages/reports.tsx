/**
 * 报表 / Reports (`/reports`, reports.read: owner, supervisor): the day, week or month report of
 * the box with its key figures, charts (hourly call volume, service-level trend, ad channels,
 * sales and margin, agent performance) and the CSV / XLSX / printable exports of the API. The
 * charts (uPlot) load on demand from report-charts.tsx; the figures and tables show at once.
 * Period and date live in the address (`/reports?period=week&date=2026-11-26`).
 */
import 'uplot/dist/uPlot.min.css';
import './reports.css';
import type { FunctionComponent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MarginsReport, Person, Report, ReportPeriod } from '../../../../firmware/src/service/types.js';
import type { Session } from '../api.js';
import { ApiError, api } from '../api.js';
import { fmtDuration, fmtInt, fmtMoney, fmtPercent, t } from '../i18n.js';
import { QaSection } from './report-qa.js';
import { AdsSection, AgentsTable, TopProducts } from './report-tables.js';
import {
  addDays,
  adChannels,
  agentChart,
  agentPerformance,
  type ChartSpec,
  exportHref,
  hasData,
  hourlyVolume,
  localToday,
  salesAndMargin,
  salesRange,
  serviceLevelTrend,
} from './report-data.js';

const PERIODS: ReportPeriod[] = ['day', 'week', 'month'];
type ChartComponent = FunctionComponent<{ id: string; title: string; spec: ChartSpec }>;
let chartModule: Promise<ChartComponent> | null = null;
/** uPlot and the chart component, fetched once, the first time a report is shown. */
const loadChart = () => {
  chartModule ??= import('./report-charts.js').then((m) => m.Chart);
  return chartModule;
};

function initial(): { period: ReportPeriod; date: string } {
  const q = new URLSearchParams(location.search);
  const p = q.get('period');
  const d = q.get('date');
  return {
    period: PERIODS.includes(p as ReportPeriod) ? (p as ReportPeriod) : 'day',
    date: d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : localToday(),
  };
}

/** The date one period before (-1) or after (+1). */
function step(period: ReportPeriod, date: string, dir: -1 | 1): string {
  if (period === 'day') return addDays(date, dir);
  if (period === 'week') return addDays(date, 7 * dir);
  const [y = 1970, m = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + dir, 1)).toISOString().slice(0, 10);
}

function Tile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="tile">
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      {hint ? <div class="tile-hint">{hint}</div> : null}
    </div>
  );
}

function ChartCard({
  id,
  title,
  spec,
  Chart,
  wide = false,
  children,
}: {
  id: string;
  title: string;
  spec: ChartSpec;
  Chart: ChartComponent | null;
  /** The whole row (a wide table under the chart). */
  wide?: boolean;
  children?: unknown;
}) {
  return (
    <section class={wide ? 'card report-card wide' : 'card report-card'} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {!hasData(spec) ? (
        <p class="muted" id={`${id}-empty`}>
          {t('reports.noData')}
        </p>
      ) : Chart ? (
        <Chart id={id} title={title} spec={spec} />
      ) : (
        <p class="muted">{t('reports.chartLoading')}</p>
      )}
      {children as preact.ComponentChildren}
    </section>
  );
}

export function ReportsPage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [sel, setSel] = useState(initial);
  const [form, setForm] = useState(sel);
  const [report, setReport] = useState<Report | null>(null);
  const [margins, setMargins] = useState<MarginsReport | null>(null);
  const [people, setPeople] = useState<Person[] | null>(null);
  const [Chart, setChart] = useState<ChartComponent | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const finance = session.permissions.includes('finance.read');

  useEffect(() => {
    loadChart().then(
      (c) => setChart(() => c),
      (e: unknown) => setError(String(e)),
    );
    if (finance) {
      api.get<{ items: Person[] }>('/api/v1/finance/people?limit=500').then(
        (r) => setPeople(r.items),
        () => setPeople(null),
      );
    }
  }, [finance]);

  useEffect(() => {
    let live = true;
    setBusy(true);
    setError('');
    history.replaceState(null, '', `/reports?period=${sel.period}&date=${sel.date}`);
    (async () => {
      const r = await api.get<Report>(`/api/v1/reports/${sel.period}?date=${sel.date}`);
      if (!live) return;
      setReport(r);
      const range = salesRange(r);
      const m = await api.get<MarginsReport>(`/api/v1/orders/margins?from=${range.from}&to=${range.to}`);
      if (live) setMargins(m);
    })()
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) onAuthLost();
        setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [sel]);

  const rows = useMemo(() => (report ? agentPerformance(report, finance ? people : null) : []), [report, people, finance]);
  // Specs made once per report: a new spec redraws its chart.
  const specs = useMemo(
    () => (report ? { hourly: hourlyVolume(report), sl: serviceLevelTrend(report), ads: adChannels(report.ads) } : null),
    [report],
  );
  const salesSpec = useMemo(() => (margins ? salesAndMargin(margins) : null), [margins]);
  const agentSpec = useMemo(() => agentChart(rows), [rows]);
  const submit = (e: Event) => {
    e.preventDefault();
    setSel({ ...form });
  };
  const go = (dir: -1 | 1) => {
    const next = { period: sel.period, date: step(sel.period, sel.date, dir) };
    setForm(next);
    setSel(next);
  };
  const c = report?.calls;
  const s = report?.sales;
  return (
    <main class="page reports" aria-busy={busy}>
      <h1>{t('reports.title')}</h1>
      <form class="report-controls row" onSubmit={submit}>
        <label for="r-period">{t('reports.period')}</label>
        <select id="r-period" value={form.period} onChange={(e) => setForm({ ...form, period: e.currentTarget.value as ReportPeriod })}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`reports.${p}`)}
            </option>
          ))}
        </select>
        <label for="r-date">{t('reports.date')}</label>
        <input id="r-date" type="date" required value={form.date} onInput={(e) => setForm({ ...form, date: e.currentTarget.value })} />
        <button type="submit">{t('reports.show')}</button>
        <button type="button" class="secondary" onClick={() => go(-1)}>
          {t('reports.prev')}
        </button>
        <button type="button" class="secondary" onClick={() => go(1)}>
          {t('reports.next')}
        </button>
      </form>
      <nav class="exports row" aria-label={t('reports.export')}>
        <span>{t('reports.export')}:</span>
        <a id="export-csv" href={exportHref(sel.period, sel.date, 'csv')} download>
          {t('reports.csv')}
        </a>
        <a id="export-xlsx" href={exportHref(sel.period, sel.date, 'xlsx')} download>
          {t('reports.xlsx')}
        </a>
        <a id="export-html" href={exportHref(sel.period, sel.date, 'html')} target="_blank" rel="noopener">
          {t('reports.print')}
        </a>
      </nav>
      <p class="error" role="alert">
        {error}
      </p>
      {!report || !c || !s || !specs ? (
        <p class="muted">{t('reports.loading')}</p>
      ) : (
        <>
          <p class="muted" id="report-label">
            {t('reports.range', { label: report.label, tz: report.timeZone })}
          </p>
          <div class="tiles" id="report-tiles">
            <Tile label={t('reports.offered')} value={fmtInt(c.offered)} />
            <Tile
              label={t('reports.answered')}
              value={fmtInt(c.answered)}
              hint={`${t('reports.answerRate')} ${fmtPercent(c.answerRate)}`}
            />
            <Tile label={t('reports.abandonRate')} value={fmtPercent(c.abandonRate)} />
            <Tile
              label={t('reports.serviceLevel')}
              value={fmtPercent(c.serviceLevel)}
              hint={t('reports.serviceLevelHint', { s: c.slThresholdS })}
            />
            <Tile label={t('reports.aht')} value={c.ahtS === null ? t('noData') : fmtDuration(c.ahtS)} />
            <Tile label={t('reports.netSales')} value={fmtMoney(s.netCents)} hint={`${t('reports.orders')} ${fmtInt(s.orders)}`} />
            <Tile
              label={t('reports.margin')}
              value={fmtMoney(s.marginCents)}
              hint={`${t('reports.marginRate')} ${fmtPercent(s.marginRate)}`}
            />
          </div>
          <div class="report-grid">
            <ChartCard id="chart-hourly" title={t('reports.hourly')} spec={specs.hourly} Chart={Chart} />
            <ChartCard id="chart-sl" title={t('reports.slTrend')} spec={specs.sl} Chart={Chart} />
            {margins && salesSpec ? (
              <ChartCard id="chart-sales" title={t('reports.sales')} spec={salesSpec} Chart={Chart}>
                <p class="muted">
                  {margins.from} – {margins.to}: {t('reports.netSales')} {fmtMoney(margins.total.totalCents - margins.total.refundCents)},{' '}
                  {t('reports.margin')} {fmtMoney(margins.total.marginCents)}
                </p>
                <TopProducts sales={report.sales} />
              </ChartCard>
            ) : null}
            <ChartCard id="chart-ads" title={t('reports.ads')} spec={specs.ads} Chart={Chart}>
              <AdsSection ads={report.ads} />
            </ChartCard>
            <ChartCard id="chart-agents" title={t('reports.agents')} spec={agentSpec} Chart={Chart} wide>
              <AgentsTable rows={rows} report={report} finance={finance} />
            </ChartCard>
            {report.qa ? <QaSection rows={report.qa} /> : null}
          </div>
        </>
      )}
    </main>
  );
}
