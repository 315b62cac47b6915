/**
 * 广告 / Ads (`/ads`, reports.read; changes with reports.admin): the ad schedule the reports'
 * attribution (广告渠道) counts calls against — 广告活动 campaigns (a medium, the shop line its
 * number rings, the response window), 播出时段 airings (`/ads/airings`, ad-schedule.tsx) and
 * 广告费用 lump spend (`/ads/spend`). docs/api/reports.md#advertising.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AdCampaign } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { t } from '../i18n.js';
import { useSubPath } from '../nav.js';
import { optionalWhole } from '../record-values.js';
import { RecordList, RecordTabs } from '../record-list.js';
import { Airings, Spend } from './ad-schedule.js';

function Campaigns({ canWrite }: { canWrite: boolean }) {
  return (
    <RecordList<AdCampaign>
      endpoint="/api/v1/reports/ad-campaigns"
      base="campaign"
      canWrite={canWrite}
      newLabel={t('ads.newCampaign')}
      editTitle={(c) => t('ads.editCampaign', { name: c.name })}
      confirmDelete={t('ads.deleteCampaign')}
      count={(n) => t('ads.campaignCount', { n })}
      columns={[
        { label: t('ads.name'), cell: (c) => c.name },
        { label: t('ads.media'), cell: (c) => c.media },
        { label: t('ads.line'), wide: true, cell: (c) => c.line ?? t('ads.anyLine') },
        { label: t('ads.phone'), wide: true, cell: (c) => c.phone ?? t('noData') },
        { label: t('ads.responseMin'), wide: true, num: true, cell: (c) => t('ads.minutes', { n: c.responseMin }) },
        { label: t('ads.note'), wide: true, cell: (c) => c.note },
      ]}
      fields={() => [
        { key: 'name', label: t('ads.name'), kind: 'text', required: true, maxLength: 80 },
        { key: 'media', label: t('ads.media'), kind: 'text', required: true, maxLength: 80 },
        { key: 'line', label: t('ads.line'), kind: 'text', maxLength: 32, hint: t('ads.lineHint') },
        { key: 'phone', label: t('ads.phone'), kind: 'text', maxLength: 32 },
        { key: 'responseMin', label: t('ads.responseMin'), kind: 'number', min: 0, max: 1440, hint: t('ads.responseHint') },
        { key: 'note', label: t('ads.note'), kind: 'textarea', maxLength: 2000 },
      ]}
      valuesOf={(c) => ({
        name: c?.name ?? '',
        media: c?.media ?? '',
        line: c?.line ?? '',
        phone: c?.phone ?? '',
        responseMin: String(c?.responseMin ?? 30),
        note: c?.note ?? '',
      })}
      toBody={(v) => ({
        name: String(v.name).trim(),
        media: String(v.media).trim(),
        line: String(v.line).trim() || null,
        phone: String(v.phone).trim() || null,
        responseMin: optionalWhole(v, 'responseMin', 0, 1440, 30),
        note: String(v.note).trim(),
      })}
    />
  );
}

export function AdsPage({ session }: { session: Session }) {
  const [sub = ''] = useSubPath();
  const canWrite = session.permissions.includes('reports.admin');
  const [campaigns, setCampaigns] = useState<AdCampaign[]>([]);
  // the campaigns' names for the airings and spend tabs, read again on each tab change
  useEffect(() => {
    api.get<{ items: AdCampaign[] }>('/api/v1/reports/ad-campaigns').then(
      (r) => setCampaigns(r.items),
      () => undefined,
    );
  }, [sub]);
  const tabs = [
    { sub: '', label: t('ads.campaigns') },
    { sub: 'airings', label: t('ads.airings') },
    { sub: 'spend', label: t('ads.spend') },
  ];
  const current = tabs.find((x) => x.sub === sub)?.sub ?? '';
  return (
    <main class="page ads">
      <h1>{t('ads.title')}</h1>
      <RecordTabs page="ads" label={t('ads.title')} tabs={tabs} current={current} />
      <p class="muted">{t('ads.report')}</p>
      {current === 'airings' ? (
        <Airings key="a" canWrite={canWrite} campaigns={campaigns} />
      ) : current === 'spend' ? (
        <Spend key="s" canWrite={canWrite} campaigns={campaigns} />
      ) : (
        <Campaigns key="c" canWrite={canWrite} />
      )}
    </main>
  );
}
