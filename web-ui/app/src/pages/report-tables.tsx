/**
 * The reports page's tables under the charts: the ad campaigns of the period (广告渠道: airings,
 * calls, orders, cost, cost per call and per order, conversion) and agent performance (坐席绩效:
 * calls, AHT, talk time, sales, margin, commission). Numbers and ¥ localized.
 */
import type { AdsReport, Report, ReportSales } from '../../../../firmware/src/service/types.js';
import { fmtDuration, fmtInt, fmtMoney, fmtPercent, t } from '../i18n.js';
import type { AgentPerformance } from './report-data.js';

const money = (c: number | null) => (c === null ? t('noData') : fmtMoney(c));

export function AdsSection({ ads }: { ads: AdsReport }) {
  return (
    <>
      <p class="muted" id="ads-summary">
        {t('reports.unattributed', { total: fmtInt(ads.inboundCalls), n: fmtInt(ads.unattributedCalls) })}
      </p>
      {ads.byCampaign.length === 0 ? (
        <p class="muted">{t('reports.noCampaigns')}</p>
      ) : (
        <div class="table-wrap">
          <table class="calls report-table" id="ads-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.campaign')}</th>
                <th scope="col">{t('reports.media')}</th>
                <th scope="col" class="num">
                  {t('reports.airings')}
                </th>
                <th scope="col" class="num">
                  {t('reports.calls')}
                </th>
                <th scope="col" class="num">
                  {t('reports.orders')}
                </th>
                <th scope="col" class="num">
                  {t('reports.cost')}
                </th>
                <th scope="col" class="num">
                  {t('reports.costPerCall')}
                </th>
                <th scope="col" class="num">
                  {t('reports.conversion')}
                </th>
              </tr>
            </thead>
            <tbody>
              {ads.byCampaign.map((c) => (
                <tr key={c.campaignId}>
                  <td>{c.campaign}</td>
                  <td>{c.media}</td>
                  <td class="num">{fmtInt(c.airings)}</td>
                  <td class="num">{fmtInt(c.calls)}</td>
                  <td class="num">{fmtInt(c.orders)}</td>
                  <td class="num">{fmtMoney(c.costCents)}</td>
                  <td class="num">{money(c.costPerCallCents)}</td>
                  <td class="num">{fmtPercent(c.conversion)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function AgentsTable({ rows, report, finance }: { rows: AgentPerformance[]; report: Report; finance: boolean }) {
  const commission = report.commission;
  return (
    <>
      {commission.available ? (
        <p class="muted" id="commission-status">
          {t(commission.status === 'closed' ? 'reports.commissionClosed' : 'reports.commissionOpen', { month: commission.month })} ·{' '}
          {t('reports.commission')} {fmtMoney(commission.totalCents)}
        </p>
      ) : finance ? (
        <p class="muted" id="commission-status">
          {commission.reason}
        </p>
      ) : (
        <p class="muted">{t('reports.salesNeedFinance')}</p>
      )}
      <div class="table-wrap">
        <table class="calls report-table" id="agents-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.agent')}</th>
              <th scope="col" class="num">
                {t('reports.answered')}
              </th>
              <th scope="col" class="num">
                {t('reports.missed')}
              </th>
              <th scope="col" class="num">
                {t('reports.aht')}
              </th>
              <th scope="col" class="num">
                {t('reports.talk')}
              </th>
              <th scope="col" class="num">
                {t('reports.orders')}
              </th>
              <th scope="col" class="num">
                {t('reports.netSales')}
              </th>
              <th scope="col" class="num">
                {t('reports.commission')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.agent} data-agent={r.agent}>
                <th scope="row">{r.name || r.agent}</th>
                <td class="num">{fmtInt(r.answered)}</td>
                <td class="num">{fmtInt(r.missed)}</td>
                <td class="num">{r.ahtS === null ? t('noData') : fmtDuration(r.ahtS)}</td>
                <td class="num">{fmtDuration(r.talkS)}</td>
                <td class="num">{r.orders === null ? t('noData') : fmtInt(r.orders)}</td>
                <td class="num">{money(r.netCents)}</td>
                <td class="num">{money(r.commissionCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The period's best sellers (by net sales) under the sales chart. */
export function TopProducts({ sales }: { sales: ReportSales }) {
  if (sales.topProducts.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="calls report-table" id="top-products">
        <caption class="muted">{t('reports.topProducts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.product')}</th>
            <th scope="col" class="num">
              {t('reports.qty')}
            </th>
            <th scope="col" class="num">
              {t('reports.netSales')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sales.topProducts.map((p, i) => (
            <tr key={p.product ?? `${p.name}-${i}`}>
              <td>{p.name}</td>
              <td class="num">{fmtInt(p.qty)}</td>
              <td class="num">{fmtMoney(p.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
