/**
 * The 播出时段 airings and 广告费用 spend tabs of 广告 (ads.tsx): each a list of a campaign's
 * records by local date range and campaign; an airing is a slot (start and end in the shop's wall
 * time, at most 24 h, its own response window or the campaign's, cost in ¥), a spend entry a
 * lump sum on a date (a monthly contract). The campaign is chosen when the record is made.
 */
import type { AdAiring, AdCampaign, AdSpend } from '../../../../firmware/src/service/types.js';
import { fmtDateTime, fmtMoney, t } from '../i18n.js';
import type { FilterDef } from '../list-page.js';
import type { FieldDef } from '../record-form.js';
import { cents, FieldError, type FormValues, fromLocalInput, localInput, optionalWhole } from '../record-values.js';
import { RecordList } from '../record-list.js';

interface Props {
  canWrite: boolean;
  campaigns: readonly AdCampaign[];
}

const campaignLabel = (c: AdCampaign) => `${c.name} · ${c.media}`;

const campaignName = (campaigns: readonly AdCampaign[], id: string) => {
  const c = campaigns.find((x) => x.id === id);
  return c ? campaignLabel(c) : id;
};

const campaignOptions = (campaigns: readonly AdCampaign[], first: string) => [
  { value: '', label: first },
  ...campaigns.map((c) => ({ value: c.id, label: campaignLabel(c) })),
];

/** Filters by local dates and campaign; the campaign picker of a new record (a record keeps its campaign). */
function scheduleFilters({ campaigns }: Props): FilterDef[] {
  return [
    { key: 'from', kind: 'date', label: t('ui.from') },
    { key: 'to', kind: 'date', label: t('ui.to') },
    {
      key: 'campaignId',
      kind: 'select',
      label: t('ads.campaign'),
      options: campaignOptions(campaigns, t('ui.all')),
    },
  ];
}

function campaignField({ campaigns }: Props, editing: unknown): FieldDef[] {
  if (editing !== 'new') return [];
  return [
    {
      key: 'campaignId',
      label: t('ads.campaign'),
      kind: 'select',
      required: true,
      options: campaignOptions(campaigns, '—'),
    },
  ];
}

function withCampaign(v: FormValues, editing: unknown, body: Record<string, unknown>): Record<string, unknown> {
  if (editing !== 'new') return body;
  if (!v.campaignId) throw new FieldError('campaignId', 'ads.pickCampaign');
  return { campaignId: v.campaignId, ...body };
}

const FILTERS0 = { from: '', to: '', campaignId: '' };

export function Airings(p: Props) {
  return (
    <RecordList<AdAiring>
      endpoint="/api/v1/reports/ad-airings"
      base="airing"
      canWrite={p.canWrite}
      newLabel={t('ads.newAiring')}
      editTitle={() => t('ads.editAiring')}
      confirmDelete={t('ads.deleteAiring')}
      initialFilters={FILTERS0}
      filters={scheduleFilters(p)}
      count={(n) => t('ads.airingCount', { n })}
      columns={[
        { label: t('ads.campaign'), cell: (a) => campaignName(p.campaigns, a.campaignId) },
        { label: t('ads.startsAt'), cell: (a) => fmtDateTime(a.startsAt) },
        { label: t('ads.endsAt'), cell: (a) => fmtDateTime(a.endsAt) },
        {
          label: t('ads.responseMin'),
          wide: true,
          num: true,
          cell: (a) => t('ads.minutes', { n: a.responseMin ?? p.campaigns.find((c) => c.id === a.campaignId)?.responseMin ?? 30 }),
        },
        { label: t('ads.cost'), num: true, cell: (a) => fmtMoney(a.costCents) },
      ]}
      fields={(_v, editing) => [
        ...campaignField(p, editing),
        { key: 'startsAt', label: t('ads.startsAt'), kind: 'datetime', required: true },
        { key: 'endsAt', label: t('ads.endsAt'), kind: 'datetime', required: true },
        { key: 'responseMin', label: t('ads.airingResponse'), kind: 'number', min: 0, max: 1440 },
        { key: 'cost', label: t('ads.cost'), kind: 'yuan', apiFields: ['costCents'] },
      ]}
      valuesOf={(a) => ({
        campaignId: '',
        startsAt: localInput(a?.startsAt ?? null),
        endsAt: localInput(a?.endsAt ?? null),
        responseMin: a?.responseMin !== null && a?.responseMin !== undefined ? String(a.responseMin) : '',
        cost: ((a?.costCents ?? 0) / 100).toFixed(2),
      })}
      toBody={(v, editing) =>
        withCampaign(v, editing, {
          startsAt: fromLocalInput(v.startsAt),
          endsAt: fromLocalInput(v.endsAt),
          responseMin: optionalWhole(v, 'responseMin', 0, 1440, null),
          costCents: cents(v, 'cost'),
        })
      }
    />
  );
}

export function Spend(p: Props) {
  return (
    <RecordList<AdSpend>
      endpoint="/api/v1/reports/ad-spend"
      base="spend"
      canWrite={p.canWrite}
      newLabel={t('ads.newSpend')}
      editTitle={() => t('ads.editSpend')}
      confirmDelete={t('ads.deleteSpend')}
      initialFilters={FILTERS0}
      filters={scheduleFilters(p)}
      count={(n) => t('ads.spendCount', { n })}
      columns={[
        { label: t('ads.date'), cell: (s) => s.date },
        { label: t('ads.campaign'), cell: (s) => campaignName(p.campaigns, s.campaignId) },
        { label: t('ads.amount'), num: true, cell: (s) => fmtMoney(s.amountCents) },
        { label: t('ads.note'), wide: true, cell: (s) => s.note },
      ]}
      fields={(_v, editing) => [
        ...campaignField(p, editing),
        { key: 'date', label: t('ads.date'), kind: 'date', required: true },
        { key: 'amount', label: t('ads.amount'), kind: 'yuan', required: true, apiFields: ['amountCents'] },
        { key: 'note', label: t('ads.note'), kind: 'textarea', maxLength: 2000 },
      ]}
      valuesOf={(s) => ({
        campaignId: '',
        date: s?.date ?? '',
        amount: s ? (s.amountCents / 100).toFixed(2) : '',
        note: s?.note ?? '',
      })}
      toBody={(v, editing) => withCampaign(v, editing, { date: v.date, amountCents: cents(v, 'amount'), note: String(v.note).trim() })}
    />
  );
}
