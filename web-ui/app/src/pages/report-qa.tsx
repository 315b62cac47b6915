/**
 * The reports page's QA card (质检): per agent, the reviews of the period's calls, the average
 * score, the pass rate and the auto-fails (Report.qa; the exports have the same table).
 */
import type { Report } from '../../../../firmware/src/service/types.js';
import { fmtInt, fmtPercent, t } from '../i18n.js';

export function QaSection({ rows }: { rows: Report['qa'] }) {
  return (
    <section class="card report-card wide" aria-labelledby="report-qa-h">
      <h2 id="report-qa-h">{t('qa.reportTitle')}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t('qa.noReviews')}</p>
      ) : (
        <div class="table-wrap">
          <table class="calls report-table" id="qa-report-table">
            <thead>
              <tr>
                <th scope="col">{t('qa.agent')}</th>
                <th scope="col" class="num">
                  {t('qa.reviewsCount')}
                </th>
                <th scope="col" class="num">
                  {t('qa.average')}
                </th>
                <th scope="col" class="num">
                  {t('qa.passRate')}
                </th>
                <th scope="col" class="num">
                  {t('qa.autoFailed')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.agent} data-agent={r.agent}>
                  <td>{r.name}</td>
                  <td class="num">{fmtInt(r.reviews)}</td>
                  <td class="num">{r.average === null ? t('noData') : r.average}</td>
                  <td class="num">{fmtPercent(r.passRate)}</td>
                  <td class="num">{fmtInt(r.autoFailed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
