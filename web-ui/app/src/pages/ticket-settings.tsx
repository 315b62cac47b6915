/**
 * 工单分类与设置 / ticket categories and settings (`/tickets/settings`, tickets.admin: owner,
 * supervisor). Categories on RecordList (`/api/v1/ticket-categories`: id — only when new, checked
 * here —, Chinese and English name, SLA hours or none, order; 停用/启用; never deleted: tickets
 * refer to them). The settings (`/api/v1/tickets-settings`): tickets opened by missed calls,
 * voicemails and SMS, a return visit when a ticket is resolved and after how many days — changed
 * by the owner only (`PUT`); a supervisor reads them. Strings: the lazy area text/ticket-settings.ts.
 * docs/api/tickets.md.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TicketCategory, TicketSettings } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { areaText, lang, t } from '../i18n.js';
import { type FieldDef, RecordForm } from '../record-form.js';
import { RecordList } from '../record-list.js';
import { FieldError, type FormValues, optionalWhole, whole } from '../record-values.js';
import { ticketSettingsZh } from '../text/ticket-settings.js';
import { ticketSettingsEn } from '../text/ticket-settings.en.js';
import { errText, Messages } from '../ui.js';

export const ts = areaText(ticketSettingsZh, ticketSettingsEn);
const FLAGS = ['missedCallTickets', 'voicemailTickets', 'smsTickets', 'returnVisitOnResolve'] as const;

function categoryFields(_v: FormValues, editing: TicketCategory | 'new'): readonly FieldDef[] {
  return [
    ...(editing === 'new' ? [{ key: 'id', label: ts('id'), kind: 'text', maxLength: 40, hint: ts('idHint') } as const] : []),
    { key: 'nameZh', label: ts('nameZh'), kind: 'text', required: true, maxLength: 40 },
    { key: 'nameEn', label: ts('nameEn'), kind: 'text', maxLength: 80 },
    { key: 'slaHours', label: ts('sla'), kind: 'number', min: 1, max: 8760, hint: ts('slaHint') },
    { key: 'sort', label: ts('sort'), kind: 'number', min: 0, max: 100000 },
    ...(editing !== 'new' && editing.id !== 'inquiry' ? [{ key: 'disabled', label: ts('disabled'), kind: 'check' } as const] : []),
  ];
}

function categoryBody(v: FormValues, editing: TicketCategory | 'new'): Record<string, unknown> {
  const id = String(v.id ?? '').trim();
  if (editing === 'new' && id && !/^[a-z][a-z0-9_]{1,39}$/.test(id)) throw new FieldError('id', 'form.badNumber', {}, ts('badId'));
  return {
    ...(editing === 'new' && id ? { id } : {}),
    nameZh: String(v.nameZh).trim(),
    nameEn: String(v.nameEn).trim(),
    slaHours: optionalWhole(v, 'slaHours', 1, 8760, null),
    sort: whole(v, 'sort', 0, 100000),
    ...(editing !== 'new' && editing.id !== 'inquiry' ? { disabled: v.disabled === true } : {}),
  };
}

function Settings({ session }: { session: Session }) {
  const [settings, setSettings] = useState<TicketSettings | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [round, setRound] = useState(0);
  useEffect(() => {
    api.get<TicketSettings>('/api/v1/tickets-settings').then(setSettings, (e: unknown) => setError(errText(e)));
  }, []);
  const owner = session.role === 'owner';
  const fields = (v: FormValues): readonly FieldDef[] => [
    ...FLAGS.map((f) => ({ key: f, label: ts(f), kind: 'check' }) as const),
    ...(v.returnVisitOnResolve === true
      ? [{ key: 'returnVisitAfterDays', label: ts('returnVisitAfterDays'), kind: 'number', min: 1, max: 90 } as const]
      : []),
  ];
  return (
    <section aria-label={ts('settings')} id="ticket-settings">
      {owner ? null : <h2>{ts('settings')}</h2>}
      {settings && owner ? (
        <RecordForm
          // the form starts again from what the box saved (or, on cancel, from what it had)
          key={`${round}-${JSON.stringify(settings)}`}
          id="tset-form"
          title={ts('settings')}
          initial={{ ...settings, returnVisitAfterDays: String(settings.returnVisitAfterDays) }}
          fields={fields}
          toBody={(v) => ({
            ...Object.fromEntries(FLAGS.map((f) => [f, v[f] === true])),
            ...(v.returnVisitOnResolve === true ? { returnVisitAfterDays: whole(v, 'returnVisitAfterDays', 1, 90) } : {}),
          })}
          save={async (body) => setSettings(await api.put<TicketSettings>('/api/v1/tickets-settings', body))}
          onSaved={() => setDone(t('ui.saved'))}
          onCancel={() => setRound(round + 1)}
        />
      ) : null}
      {settings && !owner ? (
        <>
          <p class="muted">{ts('ownerOnly')}</p>
          <dl class="facts">
            {FLAGS.map((f) => (
              <div key={f}>
                <dt>{ts(f)}</dt>
                <dd data-setting={f}>
                  {settings[f] ? ts('yes') : ts('no')}
                  {f === 'returnVisitOnResolve' && settings[f] ? ` · ${settings.returnVisitAfterDays}` : ''}
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      <Messages error={error} done={done} id="tset-done" />
    </section>
  );
}

export function TicketSettingsPage({ session }: { session: Session }) {
  const name = (c: TicketCategory) => (lang() === 'en' && c.nameEn ? c.nameEn : c.nameZh);
  return (
    <>
      <h2>{ts('categories')}</h2>
      <RecordList<TicketCategory>
        endpoint="/api/v1/ticket-categories"
        base="tcat"
        canWrite
        newLabel={ts('newCategory')}
        editTitle={(c) => ts('editCategory', { name: name(c) })}
        confirmDelete={null}
        count={(n) => ts('count', { n })}
        columns={[
          { label: ts('id'), wide: true, cell: (c) => <code>{c.id}</code> },
          {
            label: ts('nameZh'),
            cell: (c) => (
              <>
                {c.nameZh}
                {c.builtin ? <span class="muted small"> · {ts('builtin')}</span> : null}
              </>
            ),
          },
          { label: ts('nameEn'), wide: true, cell: (c) => c.nameEn },
          { label: ts('sla'), num: true, cell: (c) => (c.slaHours === null ? ts('noSla') : String(c.slaHours)) },
          { label: ts('sort'), num: true, wide: true, cell: (c) => String(c.sort) },
          { label: ts('state'), cell: (c) => <span class="status">{c.disabled ? ts('off') : ts('on')}</span> },
        ]}
        fields={categoryFields}
        valuesOf={(c) => ({
          id: '',
          nameZh: c?.nameZh ?? '',
          nameEn: c?.nameEn ?? '',
          slaHours: c ? (c.slaHours === null ? '' : String(c.slaHours)) : '24',
          sort: String(c?.sort ?? 100),
          disabled: c?.disabled ?? false,
        })}
        toBody={categoryBody}
        rowActions={(c, act) =>
          c.id === 'inquiry' ? null : (
            <button
              type="button"
              class="link tcat-toggle"
              onClick={() =>
                act(
                  () => api.patch(`/api/v1/ticket-categories/${encodeURIComponent(c.id)}`, { disabled: !c.disabled }),
                  c.disabled ? ts('enabled') : ts('disabledDone'),
                )
              }
            >
              {c.disabled ? ts('enable') : ts('disable')}
            </button>
          )
        }
      />
      <Settings session={session} />
    </>
  );
}
