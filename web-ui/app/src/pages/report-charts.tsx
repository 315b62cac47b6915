/**
 * The reports page's charts, drawn with uPlot on a canvas. This module is loaded with a dynamic
 * import() by reports.tsx, so uPlot (~20 KB gzipped) stays out of the other pages' code path
 * (scripts/build-app.mjs splits it into its own chunk). Categories along x (hours, days, media,
 * agents), bars or lines per series, one or two y axes (counts, ¥, %), numbers localized.
 * uPlot's stylesheet is imported by reports.tsx (CSS of a lazy chunk would not be linked).
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { lang, t, type Key } from '../i18n.js';
import { type ChartSpec, pointCount, type ValueKind } from './report-data.js';

const HEIGHT = 240;
/** Steps of a count axis: whole numbers only (no "0.5 calls"). */
const INT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

function formatter(kind: ValueKind): (v: number) => string {
  const l = lang();
  if (kind === 'money') {
    const f = new Intl.NumberFormat(l, {
      style: 'currency',
      currency: 'CNY',
      currencyDisplay: 'narrowSymbol',
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    return (cents) => f.format(cents / 100);
  }
  if (kind === 'percent') {
    const f = new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 });
    return (x) => f.format(x);
  }
  const f = new Intl.NumberFormat(l, { maximumFractionDigits: 1 });
  return (n) => f.format(n);
}

/** x positions to label: every category when they fit, else every n-th (about 48 px each). */
function xSplits(n: number, width: number): number[] {
  const step = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width / 48))));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}

function options(spec: ChartSpec, width: number): uPlot.Options {
  const n = spec.labels.length;
  const bars = spec.series.filter((s) => s.kind === 'bar');
  const barPaths = bars.map((_, i) =>
    uPlot.paths.bars?.({
      size: [bars.length > 1 ? 0.4 : 0.7, 48],
      align: bars.length > 1 ? (i === 0 ? -1 : 1) : 0,
    }),
  );
  const fmts = spec.units.map((u) => formatter(u ?? 'int'));
  const scaleOf = (axis: 0 | 1) => (axis === 0 ? 'y' : 'y2');
  const axes: uPlot.Axis[] = [
    {
      splits: () => xSplits(n, width),
      values: (_u, splits) => splits.map((i) => spec.labels[i] ?? ''),
      grid: { show: false },
    },
    {
      scale: 'y',
      values: (_u, splits) => splits.map((v) => (fmts[0] ?? String)(v)),
      size: 64,
      ...(spec.units[0] === 'int' ? { incrs: INT_STEPS } : {}),
    },
  ];
  if (spec.units[1])
    axes.push({ scale: 'y2', side: 1, values: (_u, splits) => splits.map((v) => (fmts[1] ?? String)(v)), size: 64, grid: { show: false } });
  return {
    width,
    height: HEIGHT,
    // the legend names the series (colour and line or bar); the values are in the hidden table
    legend: { show: true, live: false },
    cursor: { points: { show: false } },
    scales: {
      x: { time: false, range: () => [-0.6, n - 0.4] },
      y: { range: (_u, _min, max) => [0, spec.units[0] === 'percent' ? 1 : Math.max(1, max * 1.1)] },
      y2: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes,
    series: [
      { label: '', value: (_u, i) => (i === null ? '' : (spec.labels[i] ?? '')) },
      ...spec.series.map((s): uPlot.Series => {
        const bar = s.kind === 'bar' ? barPaths[bars.indexOf(s)] : undefined;
        const fmt = fmts[s.axis] ?? String;
        return {
          label: t(s.label as Key),
          scale: scaleOf(s.axis),
          stroke: s.color,
          width: s.kind === 'bar' ? 1 : 2,
          ...(bar ? { paths: bar, fill: `${s.color}cc` } : {}),
          // points on lines with few categories (days of a week, a lone hour of data), not on 24 hours
          points: { show: s.kind === 'line' && (n <= 12 || s.values.filter((v) => v !== null).length <= 1), size: 5, fill: s.color },
          spanGaps: false,
          value: (_u, v) => (v === null || v === undefined ? '—' : fmt(v)),
        };
      }),
    ],
  };
}

/** One chart in a card: a heading, the canvas (with its data as a table for screen readers). */
export function Chart({ id, title, spec }: { id: string; title: string; spec: ChartSpec }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(260, Math.floor(el.clientWidth));
    const xs = spec.labels.map((_, i) => i);
    const data = [xs, ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
    let plot = new uPlot(options(spec, width()), data, el);
    let last = width();
    const ro = new ResizeObserver(() => {
      const w = width();
      if (Math.abs(w - last) < 8) return;
      last = w;
      plot.destroy();
      plot = new uPlot(options(spec, w), data, el);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
    // a new spec or language draws again (legend and axis labels are in the language)
  }, [spec, lang()]);
  const fmts = spec.units.map((u) => formatter(u ?? 'int'));
  return (
    <figure class="chart" id={id} data-points={pointCount(spec)} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div class="chart-canvas" ref={box} aria-hidden="true" />
      <table class="visually-hidden">
        <thead>
          <tr>
            <th scope="col">{title}</th>
            {spec.series.map((s) => (
              <th scope="col" key={s.label}>
                {t(s.label as Key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {spec.labels.map((l, i) => (
            <tr key={`${i}-${l}`}>
              <th scope="row">{l}</th>
              {spec.series.map((s) => {
                const v = s.values[i];
                return <td key={s.label}>{v === null || v === undefined ? '—' : (fmts[s.axis] ?? String)(v)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
