/**
 * A ticket's linked text message (link kind `sms`): which way it went, when, and the start of its
 * text, opening the SMS page's tab it is on (收件箱 Inbox for a received one, 已发送 Sent for one
 * sent). Read from GET /api/v1/sms/:id for roles with sms.send; otherwise, or for a link from
 * before the inbox (an id the box does not know), the id alone.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SmsRecord } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';
import { onNav } from '../nav.js';

const SNIPPET = 40;

export function SmsLink({ refId, label, session }: { refId: string; label: string; session: Session }) {
  const canRead = session.permissions.includes('sms.send');
  const [m, setM] = useState<SmsRecord | null>(null);
  useEffect(() => {
    if (!canRead) return;
    api.get<SmsRecord>(`/api/v1/sms/${encodeURIComponent(refId)}`).then(setM, () => setM(null));
  }, [refId, canRead]);
  if (!m)
    return (
      <>
        {label}: {refId}
      </>
    );
  const inbound = m.direction === 'in';
  const path = inbound ? '/sms' : '/sms/sent';
  const text = m.text.length > SNIPPET ? `${m.text.slice(0, SNIPPET)}…` : m.text;
  return (
    <>
      {label} ({inbound ? t('sms.inbox') : t('sms.sent')} {fmtDateTime(inbound ? m.receivedAt : m.createdAt)}
      {inbound ? ` · ${m.from}` : ` · ${m.to}`}):{' '}
      <a href={path} onClick={onNav(path)} data-sms-link={m.id}>
        {text}
      </a>
    </>
  );
}
