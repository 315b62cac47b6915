/**
 * A new ticket (/tickets/new, ?customer=<id> from a customer's page): subject, description,
 * category (the enabled ones, in the language shown), priority, phone, assignee.
 */
import { useState } from 'preact/hooks';
import type { Ticket, TicketCategory, TicketPriority } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { lang, t, tOr } from '../i18n.js';
import { Field, Messages, SaveCancel, useRun } from '../ui.js';

const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export const categoryName = (c: TicketCategory) => (lang() === 'en' ? c.nameEn || c.nameZh : c.nameZh);

export function TicketNew({
  categories,
  customerId,
  onCreated,
  onCancel,
}: {
  categories: TicketCategory[];
  customerId: string | null;
  onCreated: (t: Ticket) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState({ subject: '', description: '', category: 'inquiry', priority: 'normal', phone: '', assignee: '' });
  const { error, busy, run } = useRun();
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { subject: f.subject.trim(), category: f.category, priority: f.priority };
    if (f.description.trim()) body.description = f.description.trim();
    if (f.phone.trim()) body.phone = f.phone.trim();
    if (f.assignee.trim()) body.assignee = f.assignee.trim();
    if (customerId) body.customerId = customerId;
    const r = await run(() => api.post<Ticket>('/api/v1/tickets', body));
    if (r) onCreated(r);
  };
  return (
    <form class="card stack ticket-new" id="ticket-new" onSubmit={submit} aria-labelledby="h-tnew">
      <h2 id="h-tnew">{t('tickets.new')}</h2>
      <Field id="tn-subject" label={t('subject')}>
        <input id="tn-subject" required maxLength={200} value={f.subject} onInput={set('subject')} />
      </Field>
      <Field id="tn-desc" label={t('description')}>
        <textarea id="tn-desc" rows={4} maxLength={10000} value={f.description} onInput={set('description')} />
      </Field>
      <div class="filters">
        <Field id="tn-category" label={t('tickets.category')}>
          <select id="tn-category" value={f.category} onChange={set('category')}>
            {categories
              .filter((c) => !c.disabled)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {categoryName(c)}
                </option>
              ))}
          </select>
        </Field>
        <Field id="tn-priority" label={t('tickets.priority')}>
          <select id="tn-priority" value={f.priority} onChange={set('priority')}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {tOr(`tickets.priority.${p}`, p)}
              </option>
            ))}
          </select>
        </Field>
        {customerId ? null : (
          <Field id="tn-phone" label={t('tickets.phone')}>
            <input id="tn-phone" inputMode="tel" maxLength={24} value={f.phone} onInput={set('phone')} />
          </Field>
        )}
        <Field id="tn-assignee" label={t('tickets.assignee')}>
          <input id="tn-assignee" maxLength={64} value={f.assignee} onInput={set('assignee')} />
        </Field>
      </div>
      <Messages error={error} />
      <SaveCancel busy={busy} onCancel={onCancel} saveLabel={t('createTicket')} />
    </form>
  );
}
