/**
 * Create or edit a customer (客户资料): name, phones, tags, notes, consent flags, do-not-call. On
 * edit only the changed fields are sent, with the version read (a stale edit is a 409 the form
 * shows); phones are read-only for roles that see them masked (saving a masked number would be
 * wrong), so an agent's edit never touches them.
 */
import { useState } from 'preact/hooks';
import type { Customer } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { Field, Messages, SaveCancel, useRun } from '../ui.js';

const split = (s: string) =>
  s
    .split(/[,，;；、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

export function CustomerForm({
  customer,
  canSeePhones,
  onSaved,
  onCancel,
}: {
  customer: Customer | null;
  canSeePhones: boolean;
  onSaved: (c: Customer) => void;
  onCancel: () => void;
}) {
  const c = customer;
  const [name, setName] = useState(c?.name ?? '');
  const [phones, setPhones] = useState(c ? c.phones.map((p) => p.phone).join(', ') : '');
  const [tags, setTags] = useState(c ? c.tags.join(', ') : '');
  const [notes, setNotes] = useState(c?.notes ?? '');
  const [dnc, setDnc] = useState(c?.doNotCall ?? false);
  const [consent, setConsent] = useState(c?.consent ?? {});
  const { error, done, busy, run } = useRun();
  const phonesEditable = canSeePhones || c === null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    const phoneList = split(phones);
    const tagList = split(tags);
    if (!c || name !== (c.name ?? '')) body.name = name.trim() || null;
    if (phonesEditable && (!c || phoneList.join(',') !== c.phones.map((p) => p.phone).join(','))) body.phones = phoneList;
    if (!c || tagList.join(',') !== c.tags.join(',')) body.tags = tagList;
    if (!c || notes !== c.notes) body.notes = notes;
    if (!c || dnc !== c.doNotCall) body.doNotCall = dnc;
    if (!c || JSON.stringify(consent) !== JSON.stringify(c.consent)) body.consent = consent;
    const saved = await run(() =>
      c ? api.patch<Customer>(`/api/v1/customers/${c.id}`, { ...body, version: c.version }) : api.post<Customer>('/api/v1/customers', body),
    );
    if (saved) onSaved(saved);
  };
  const flag = (k: 'recording' | 'marketing' | 'sms', label: string) => (
    <label class="check">
      <input type="checkbox" checked={consent[k] === true} onChange={(e) => setConsent({ ...consent, [k]: e.currentTarget.checked })} />
      {label}
    </label>
  );
  return (
    <form class="card stack customer-form" id="customer-form" onSubmit={submit} aria-labelledby="h-cust-form">
      <h2 id="h-cust-form">{c ? t('customers.edit') : t('customers.new')}</h2>
      <Field id="cu-name" label={t('customers.name')}>
        <input id="cu-name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="cu-phones" label={`${t('customers.phones')} — ${phonesEditable ? t('customers.phonesHint') : t('customers.masked')}`}>
        <input id="cu-phones" inputMode="tel" disabled={!phonesEditable} value={phones} onInput={(e) => setPhones(e.currentTarget.value)} />
      </Field>
      <Field id="cu-tags" label={`${t('customers.tags')} — ${t('customers.tagsHint')}`}>
        <input id="cu-tags" value={tags} onInput={(e) => setTags(e.currentTarget.value)} />
      </Field>
      <Field id="cu-notes" label={t('customers.notes')}>
        <textarea id="cu-notes" rows={3} maxLength={4000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
      </Field>
      <fieldset class="flags">
        <legend class="visually-hidden">{t('customers.consentRecording')}</legend>
        {flag('recording', t('customers.consentRecording'))}
        {flag('marketing', t('customers.consentMarketing'))}
        {flag('sms', t('customers.consentSms'))}
        <label class="check">
          <input type="checkbox" id="cu-dnc" checked={dnc} onChange={(e) => setDnc(e.currentTarget.checked)} />
          {t('customers.doNotCall')}
        </label>
      </fieldset>
      <Messages error={error} done={done} />
      <SaveCancel busy={busy} onCancel={onCancel} />
    </form>
  );
}
