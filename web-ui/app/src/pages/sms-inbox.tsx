/**
 * 收件箱 / Inbox, the SMS page's first tab: every text message the modem received, newest first
 * (GET /api/v1/sms?direction=in, 50 a page, read again every 5 s), whatever the ticket settings:
 * the sender (the customer's name when the number is known; the number masked for agents), time,
 * text, the ticket it became; unread ones marked, with 标为已读 (POST /api/v1/sms/:id/read) and a
 * filter; 回复 opens the send form for the sender (and marks the message read).
 */
import { useEffect, useState } from 'preact/hooks';
import type { SmsList, SmsReceived } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';
import { onNav } from '../nav.js';
import { errText, Pager, qs } from '../ui.js';
import { usePolled } from '../use-polled.js';

const LIMIT = 50;

function Sender({ m }: { m: SmsReceived }) {
  if (!m.customerName) return <strong>{m.from || t('sms.unknownNumber')}</strong>;
  const href = `/customers/${encodeURIComponent(m.customerId ?? '')}`;
  return (
    <>
      <a href={href} onClick={onNav(href)}>
        <strong>{m.customerName}</strong>
      </a>{' '}
      <span class="muted small">{m.from}</span>
    </>
  );
}

export function SmsInboxList({
  onReply,
  onUnread,
  seq,
}: {
  onReply: (m: SmsReceived) => void;
  onUnread: (n: number) => void;
  seq: number;
}) {
  const [offset, setOffset] = useState(0);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [again, setAgain] = useState(0);
  const url = `/api/v1/sms${qs({ direction: 'in', unread: unreadOnly ? 'true' : undefined, limit: LIMIT, offset })}`;
  const { data: list, error, setError } = usePolled<SmsList>(url, 5000, `${again}/${seq}`);
  useEffect(() => {
    if (list) onUnread(list.unread);
  }, [list]);
  const markRead = (m: SmsReceived) =>
    api.post(`/api/v1/sms/${encodeURIComponent(m.id)}/read`).then(
      () => setAgain((n) => n + 1),
      (e: unknown) => setError(errText(e)),
    );
  const messages = (list?.messages ?? []) as SmsReceived[];
  return (
    <section class="card" aria-labelledby="h-sms-inbox">
      <div class="row between">
        <h2 id="h-sms-inbox">{t('sms.inbox')}</h2>
        <label>
          <input
            type="checkbox"
            id="sms-unread-only"
            checked={unreadOnly}
            onChange={(e) => {
              setUnreadOnly(e.currentTarget.checked);
              setOffset(0);
            }}
          />{' '}
          {t('sms.unreadOnly')}
        </label>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
      {list && messages.length === 0 ? <p class="muted">{t('sms.noInbox')}</p> : null}
      <ol class="sms-inbox" id="sms-inbox">
        {messages.map((m) => (
          <li key={m.id} class={m.readAt ? 'sms-in' : 'sms-in sms-unread'} data-id={m.id} data-unread={m.readAt ? undefined : 'true'}>
            <div class="row between">
              <span>
                {m.readAt ? null : <span class="sms-dot">{t('sms.unread')} · </span>}
                <Sender m={m} />
              </span>
              <span class="muted small">{fmtDateTime(m.receivedAt)}</span>
            </div>
            <p>{m.text}</p>
            <div class="row sms-actions">
              {m.ticketId ? (
                <a
                  class="small"
                  href={`/tickets/${m.ticketId}`}
                  onClick={onNav(`/tickets/${encodeURIComponent(m.ticketId)}`)}
                  data-ticket={m.ticketId}
                >
                  {t('sms.ticket', { n: m.ticketNumber ?? '' })}
                </a>
              ) : (
                <span class="muted small">{t('sms.noTicket')}</span>
              )}
              <button
                type="button"
                class="secondary"
                data-action="reply"
                onClick={() => {
                  onReply(m);
                  if (!m.readAt) void markRead(m);
                }}
              >
                {t('sms.replyOne')}
              </button>
              {m.readAt ? null : (
                <button type="button" class="secondary" data-action="read" onClick={() => void markRead(m)}>
                  {t('sms.markRead')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      {list && list.total > LIMIT ? <Pager offset={offset} limit={LIMIT} more={offset + LIMIT < list.total} onPage={setOffset} /> : null}
      {list ? <p class="muted small">{t('sms.total', { n: list.total })}</p> : null}
    </section>
  );
}
