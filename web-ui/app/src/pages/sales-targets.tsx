/**
 * 销售目标 / Sales targets tab of 销售管理 (`/sales/targets`): a month's targets — the shop's and
 * each person's (提成的人: finance people) — with what was achieved (the month's order totals
 * less refunds, cancelled left out) and how far along it is; with products.write set or change
 * one (`PUT /api/v1/sales/targets`, amount in yuan). People are listed by name for the owner
 * (finance.read); other roles type a person's id.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Person, SalesTarget } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtMoney, fmtPercent, t } from '../i18n.js';
import { ListPage, useList } from '../list-page.js';
import { type FieldDef, RecordBar, RecordForm, useEditing } from '../record-form.js';
import { cents, type FormValues } from '../record-values.js';
import { qs } from '../ui.js';

/** This month in the browser's time (YYYY-MM). */
function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function SalesTargets({ session }: { session: Session }) {
  const canWrite = session.permissions.includes('products.write');
  const [people, setPeople] = useState<Person[] | null>(null);
  const { editing, open, close, done, finish } = useEditing<FormValues>();
  useEffect(() => {
    if (!session.permissions.includes('finance.read')) return;
    api.get<{ items: Person[] }>('/api/v1/finance/people?limit=500').then(
      (r) => setPeople(r.items),
      () => undefined,
    );
  }, []);
  const list = useList<SalesTarget>({
    initial: { month: thisMonth() },
    limit: 500,
    urlSync: true,
    load: (f) =>
      api
        .get<{ items: SalesTarget[] }>(`/api/v1/sales/targets${qs({ month: f.month })}`)
        .then((r) => ({ items: r.items, total: r.items.length })),
  });
  const who = (id: string | null) => (id === null ? t('target.shop') : (people?.find((p) => p.id === id)?.name ?? id));
  const fields = (): FieldDef[] => [
    { key: 'month', label: t('target.month'), kind: 'month', required: true },
    people
      ? {
          key: 'personId',
          label: t('target.who'),
          kind: 'select',
          options: [{ value: '', label: t('target.shop') }, ...people.map((p) => ({ value: p.id, label: p.name }))],
        }
      : { key: 'personId', label: t('target.personId'), kind: 'text', maxLength: 64, hint: t('target.personHint') },
    { key: 'target', label: t('target.target'), kind: 'yuan', required: true, apiFields: ['targetCents'] },
  ];
  return (
    <ListPage
      list={list}
      limit={500}
      before={
        <RecordBar
          newId="target-new"
          newLabel={t('target.set')}
          onNew={canWrite ? () => open({ month: String(list.applied.month), personId: '', target: '' }) : undefined}
          form={
            editing && editing !== 'new' ? (
              <RecordForm
                key={`${editing.month}/${editing.personId}`}
                id="target-form"
                title={t('target.set')}
                initial={editing}
                fields={fields}
                toBody={(v) => ({ month: v.month, personId: String(v.personId).trim() || null, targetCents: cents(v, 'target') })}
                save={(body) => api.put('/api/v1/sales/targets', body)}
                onSaved={finish(t('ui.saved'), list.reload)}
                onCancel={close}
              />
            ) : null
          }
          done={done}
          doneId="target-done"
        />
      }
      filterId="target-filters"
      idPrefix="tg"
      filters={[{ key: 'month', kind: 'month', label: t('target.month') }]}
      submitLabel={t('ui.filter')}
      tableId="targets"
      rowKey={(x) => `${x.month}/${x.personId ?? ''}`}
      rowProps={(x) => ({ 'data-target': x.personId ?? 'shop' })}
      columns={[
        { label: t('target.who'), cell: (x) => who(x.personId) },
        { label: t('target.target'), num: true, cell: (x) => fmtMoney(x.targetCents) },
        { label: t('target.achieved'), num: true, cell: (x) => fmtMoney(x.achievedCents) },
        { label: t('target.progress'), num: true, cell: (x) => fmtPercent(x.targetCents > 0 ? x.achievedCents / x.targetCents : null) },
        { label: t('target.updated'), wide: true, cell: (x) => `${x.updatedBy} · ${fmtDateTime(x.updatedAt)}` },
        ...(canWrite
          ? [
              {
                label: <span class="visually-hidden">{t('ui.edit')}</span>,
                cell: (x: SalesTarget) => (
                  <button
                    type="button"
                    class="link"
                    onClick={() => open({ month: x.month, personId: x.personId ?? '', target: (x.targetCents / 100).toFixed(2) })}
                  >
                    {t('ui.edit')}
                  </button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
