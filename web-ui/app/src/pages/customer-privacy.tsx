/**
 * 个人信息 / personal data (PIPL / GDPR) on a customer's page, for roles with customers.erase (the
 * owner): export everything about the customer as JSON (GET …/personal-data, an attachment: the
 * box audits it), erase the personal data in two steps — a required reason, then an explicit
 * confirmation (POST …/erase) — and the customer's audit trail (GET /api/v1/audit, audit.read).
 */
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, Customer, ErasureResult } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, t, tOr } from '../i18n.js';
import { Field, Messages, useRun } from '../ui.js';

export function CustomerPrivacy({
  customer,
  session,
  onErased,
}: {
  customer: Customer;
  session: Session;
  onErased: (c: Customer) => void;
}) {
  const [step, setStep] = useState<'idle' | 'reason' | 'confirm'>('idle');
  const [reason, setReason] = useState('');
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [seq, setSeq] = useState(0);
  const [erased, setErased] = useState('');
  const { error, done, busy, run } = useRun();
  const id = encodeURIComponent(customer.id);
  const canAudit = session.permissions.includes('audit.read');
  useEffect(() => {
    if (!canAudit) return;
    api.get<{ items: AuditEntry[] }>(`/api/v1/audit?entity=customer&entityId=${id}&limit=20`).then(
      (r) => setAudit(r.items),
      () => setAudit([]),
    );
  }, [customer.id, customer.version, seq]);

  const erase = async () => {
    const r = await run(() => api.post<ErasureResult>(`/api/v1/customers/${id}/erase`, { reason: reason.trim() }));
    if (!r) return;
    setStep('idle');
    setReason('');
    setErased(t('privacy.erasedDone', r.scrubbed));
    onErased(r.customer);
    setSeq((n) => n + 1);
  };
  return (
    <section class="card privacy" aria-labelledby="h-privacy" id="customer-privacy">
      <h3 id="h-privacy">{t('privacy.title')}</h3>
      <p class="muted">{t('privacy.hint')}</p>
      <div class="row">
        <a
          class="button secondary"
          id="privacy-export"
          href={`/api/v1/customers/${id}/personal-data`}
          download={`customer-${customer.id}.json`}
          onClick={() => setTimeout(() => setSeq((n) => n + 1), 1500)}
        >
          {t('privacy.export')}
        </a>
        {customer.erasedAt || step !== 'idle' ? null : (
          <button type="button" class="secondary danger" id="privacy-erase" onClick={() => setStep('reason')}>
            {t('privacy.erase')}
          </button>
        )}
      </div>
      {step !== 'idle' ? (
        <form
          class="privacy-erase"
          onSubmit={(e) => {
            e.preventDefault();
            if (step === 'reason') setStep('confirm');
            else void erase();
          }}
        >
          <Field id="privacy-reason" label={t('privacy.reason')}>
            <textarea
              id="privacy-reason"
              required
              maxLength={500}
              rows={2}
              value={reason}
              placeholder={t('privacy.reasonPlaceholder')}
              disabled={step === 'confirm'}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
          {step === 'confirm' ? (
            <p class="error" role="alert" id="privacy-warning">
              {t('privacy.confirmText')}
            </p>
          ) : null}
          <div class="row">
            <button type="submit" class={step === 'confirm' ? 'danger' : ''} id="privacy-next" disabled={busy || reason.trim() === ''}>
              {step === 'confirm' ? t('privacy.confirm') : t('privacy.erase')}
            </button>
            <button type="button" class="secondary" onClick={() => setStep('idle')}>
              {t('privacy.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <Messages error={error} done={erased || done} id="privacy-done" />
      {audit ? (
        <>
          <h4>{t('privacy.audit')}</h4>
          {audit.length === 0 ? <p class="muted">{t('privacy.auditEmpty')}</p> : null}
          <ul id="privacy-audit">
            {audit.map((a) => (
              <li key={a.seq} data-action={a.action}>
                {fmtDateTime(a.ts)} · {a.actor} · {tOr(`privacy.action.${a.action}`, a.action)}
                {a.action === 'customer.erase' ? ` · ${String((a.detail as { reason?: unknown } | null)?.reason ?? '')}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
