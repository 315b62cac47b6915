/**
 * 短信 / SMS (`/sms`, sms.send: owner, supervisor, agent), two tabs: 收件箱 Inbox (`/sms`: every
 * received message, sms-inbox.tsx, with the unread count on the tab) and 已发送 Sent (`/sms/sent`:
 * the sent messages as threads per number — status, tries, the next try, the failure reason — with
 * a status filter); beside them the send form (POST /api/v1/sms; `?to=`, `?ticket=` and
 * `?customer=` prefill it from other pages; 回复 on a received message or on a Sent thread fills in
 * its number and sends with `replyTo`, so an agent who sees a masked number can answer). Numbers come masked for
 * agents, as the box sends them. The lists refresh every 5 s while the page is open.
 */
import './sms.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SmsList, SmsMessage, SmsStatus } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { type Key, fmtDateTime, t } from '../i18n.js';
import { onNav, useSubPath } from '../nav.js';
import { RecordTabs } from '../record-list.js';
import { Field, qs, useRun } from '../ui.js';
import { type SmsThread, smsParts, smsThreads } from './sms-data.js';
import { SmsInboxList } from './sms-inbox.js';
import { usePolled } from '../use-polled.js';

const STATUSES: readonly SmsStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];

interface Reply {
  id: string;
  from: string;
}

function SendForm({
  to,
  reply,
  onSent,
  onCancelReply,
  extra,
}: {
  to: string;
  reply: Reply | null;
  onSent: () => void;
  onCancelReply: () => void;
  extra: { ticketId?: string; customerId?: string };
}) {
  const [number, setNumber] = useState(to);
  const [text, setText] = useState('');
  const { error, done, busy, run } = useRun();
  useEffect(() => setNumber(reply ? reply.from : to), [to, reply]);
  const submit = async (e: Event) => {
    e.preventDefault();
    // a reply goes to the received message's sender (the box knows the number an agent sees masked)
    const target = reply ? { replyTo: reply.id } : { ...(number.trim() ? { to: number.trim() } : {}), ...extra };
    const r = await run(() => api.post<SmsMessage>('/api/v1/sms', { text, ...target }), t('sms.queued'));
    if (!r) return;
    setText('');
    onSent();
  };
  return (
    <form class="card sms-send" onSubmit={submit} aria-labelledby="h-sms-new">
      <h2 id="h-sms-new">{reply ? t('sms.replyTo', { n: reply.from }) : t('sms.new')}</h2>
      <Field id="sms-to" label={t('sms.to')}>
        <input
          id="sms-to"
          inputMode="tel"
          maxLength={32}
          value={number}
          readOnly={reply !== null}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
      </Field>
      <Field id="sms-text" label={t('sms.text')}>
        <textarea id="sms-text" rows={3} maxLength={670} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <p class="muted small" id="sms-count">
        {t('sms.count', { n: [...text].length, parts: smsParts(text) })}
      </p>
      <div class="row">
        <button type="submit" id="sms-send" disabled={busy || text.trim() === ''}>
          {t('sms.send')}
        </button>
        {reply ? (
          <button type="button" class="secondary" id="sms-reply-cancel" onClick={onCancelReply}>
            {t('sms.replyCancel')}
          </button>
        ) : null}
      </div>
      <p class="error" role="alert" id="sms-error">
        {error}
      </p>
      <p class="ok" role="status" id="sms-done">
        {done}
      </p>
    </form>
  );
}

function Thread({ thread, onReply }: { thread: SmsThread; onReply: (r: Reply) => void }) {
  const last = thread.entries[thread.entries.length - 1]?.msg;
  return (
    <section class="card sms-thread" aria-labelledby="h-sms-thread" id="sms-thread">
      <div class="row between">
        <h2 id="h-sms-thread">{thread.number || t('sms.unknownNumber')}</h2>
        {thread.number && last ? (
          <button type="button" class="secondary" onClick={() => onReply({ id: last.id, from: thread.number })}>
            {t('sms.reply')}
          </button>
        ) : null}
      </div>
      <ol class="sms-bubbles">
        {thread.entries.map((e) => (
          <li key={`out-${e.msg.id}`} class={`sms-out sms-${e.msg.status}`} data-kind="out" data-status={e.msg.status}>
            <span class="muted small">
              {t('sms.out')} · {fmtDateTime(e.at)} · {e.msg.createdBy}
              {e.msg.ticketId ? (
                <>
                  {' · '}
                  <a href={`/tickets/${e.msg.ticketId}`} onClick={onNav(`/tickets/${encodeURIComponent(e.msg.ticketId)}`)}>
                    {t('page.tickets')}
                  </a>
                </>
              ) : null}
            </span>
            <p>{e.msg.text}</p>
            <span class="sms-state small">
              <strong>{t(`sms.status.${e.msg.status}` as Key)}</strong>
              {e.msg.attempts > 0 ? ` · ${t('sms.attempts', { n: e.msg.attempts })}` : ''}
              {e.msg.parts && e.msg.parts > 1 ? ` · ${t('sms.parts', { n: e.msg.parts })}` : ''}
              {e.msg.status === 'queued' && e.msg.nextTryAt ? ` · ${t('sms.nextTry', { at: fmtDateTime(e.msg.nextTryAt) })}` : ''}
              {e.msg.deliveredAt ? ` · ${t('sms.deliveredAt', { at: fmtDateTime(e.msg.deliveredAt) })}` : ''}
            </span>
            {e.msg.lastError ? <span class="error small sms-why">{t('sms.error', { e: e.msg.lastError })}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** 已发送 / Sent: the sent messages as threads per number, a status filter, the picked thread. */
function SentTab({ seq, onReply, children }: { seq: number; onReply: (r: Reply) => void; children: ComponentChildren }) {
  const [status, setStatus] = useState<SmsStatus | ''>('');
  const [picked, setPicked] = useState<string | null>(null);
  const { data, error } = usePolled<SmsList>(`/api/v1/sms${qs({ direction: 'out', status, limit: 500 })}`, 5000, seq);
  const sent = (data?.messages ?? []) as SmsMessage[];
  const threads = useMemo(() => smsThreads(sent), [sent]);
  const current = threads.find((x) => x.number === picked) ?? threads[0];
  return (
    <>
      <section class="card" aria-labelledby="h-sms-threads">
        <h2 id="h-sms-threads">{t('sms.threads')}</h2>
        <p class="error" role="alert">
          {error}
        </p>
        <label>
          {t('sms.filter')}{' '}
          <select id="sms-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as SmsStatus | '')}>
            <option value="">{t('ui.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`sms.status.${s}` as Key)}
              </option>
            ))}
          </select>
        </label>
        {threads.length === 0 ? <p class="muted">{t('sms.noThreads')}</p> : null}
        <ul class="sms-threads" id="sms-threads">
          {threads.map((x) => (
            <li key={x.number}>
              <button
                type="button"
                class={x === current ? '' : 'secondary'}
                aria-pressed={x === current}
                data-number={x.number}
                onClick={() => setPicked(x.number)}
              >
                <strong>{x.number || t('sms.unknownNumber')}</strong> <span class="small">{fmtDateTime(x.last)}</span>
                {x.failed > 0 ? <span class="sms-failed small"> · {t('sms.failedCount', { n: x.failed })}</span> : null}
                <span class="sms-preview small">{x.entries[x.entries.length - 1]?.msg.text ?? ''}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <div>
        {current ? <Thread thread={current} onReply={onReply} /> : null}
        {children}
      </div>
    </>
  );
}

export function SmsPage(_props: { session: Session }) {
  const params = new URLSearchParams(location.search);
  const [sub = ''] = useSubPath();
  const [to] = useState(params.get('to') ?? '');
  const [reply, setReply] = useState<Reply | null>(null);
  const [unread, setUnread] = useState<number | null>(null);
  const [seq, setSeq] = useState(0);
  const extra = {
    ...(params.get('ticket') ? { ticketId: params.get('ticket') as string } : {}),
    ...(params.get('customer') ? { customerId: params.get('customer') as string } : {}),
  };
  const tab = sub === 'sent' ? 'sent' : '';
  const tabs = [
    { sub: '', label: unread ? `${t('sms.inbox')} (${unread})` : t('sms.inbox') },
    { sub: 'sent', label: t('sms.sent') },
  ];
  const form = (
    <SendForm
      to={to}
      reply={reply}
      extra={extra}
      onCancelReply={() => setReply(null)}
      onSent={() => {
        setReply(null);
        setSeq((n) => n + 1);
      }}
    />
  );
  return (
    <main class="page sms">
      <h1>{t('sms.title')}</h1>
      <RecordTabs page="sms" label={t('sms.title')} tabs={tabs} current={tab} />
      <p class="muted">{t('sms.hint')}</p>
      <div class={tab === 'sent' ? 'sms-layout' : 'sms-layout sms-inbox-tab'}>
        {tab === 'sent' ? (
          <SentTab seq={seq} onReply={setReply}>
            {form}
          </SentTab>
        ) : (
          <>
            <SmsInboxList seq={seq} onUnread={setUnread} onReply={setReply} />
            <div>{form}</div>
          </>
        )}
      </div>
    </main>
  );
}
