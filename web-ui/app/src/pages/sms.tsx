/**
 * 短信 / SMS (`/sms`, sms.send: owner, supervisor, agent): the GSM modem's messages as threads per
 * number — sent ones (GET /api/v1/sms: status, tries, the next try, the failure reason) and
 * received ones (they open tickets of source `sms`: shown with tickets.read, linked to the
 * ticket) —, a status filter, and sending one (POST /api/v1/sms; `?to=`, `?ticket=` and
 * `?customer=` prefill it from other pages). Numbers come masked for agents, as the box sends them.
 * The list refreshes every 5 s while the page is open (queued messages move on their own).
 */
import './sms.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SmsMessage, SmsStatus, Ticket } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { type Key, fmtDateTime, t } from '../i18n.js';
import { onNav } from '../nav.js';
import { errText, Field, qs, useRun } from '../ui.js';
import { type SmsThread, smsParts, smsThreads } from './sms-data.js';

const STATUSES: readonly SmsStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];

function SendForm({ to, onSent, extra }: { to: string; onSent: () => void; extra: { ticketId?: string; customerId?: string } }) {
  const [number, setNumber] = useState(to);
  const [text, setText] = useState('');
  const { error, done, busy, run } = useRun();
  useEffect(() => setNumber(to), [to]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { text, ...(number.trim() ? { to: number.trim() } : {}), ...extra };
    const r = await run(() => api.post<SmsMessage>('/api/v1/sms', body), t('sms.queued'));
    if (!r) return;
    setText('');
    onSent();
  };
  return (
    <form class="card sms-send" onSubmit={submit} aria-labelledby="h-sms-new">
      <h2 id="h-sms-new">{t('sms.new')}</h2>
      <Field id="sms-to" label={t('sms.to')}>
        <input id="sms-to" inputMode="tel" maxLength={32} value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
      </Field>
      <Field id="sms-text" label={t('sms.text')}>
        <textarea id="sms-text" rows={3} maxLength={670} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <p class="muted small" id="sms-count">
        {t('sms.count', { n: [...text].length, parts: smsParts(text) })}
      </p>
      <button type="submit" id="sms-send" disabled={busy || text.trim() === ''}>
        {t('sms.send')}
      </button>
      <p class="error" role="alert" id="sms-error">
        {error}
      </p>
      <p class="ok" role="status" id="sms-done">
        {done}
      </p>
    </form>
  );
}

function Thread({ thread, onReply }: { thread: SmsThread; onReply: (n: string) => void }) {
  return (
    <section class="card sms-thread" aria-labelledby="h-sms-thread" id="sms-thread">
      <div class="row between">
        <h2 id="h-sms-thread">{thread.number || t('sms.unknownNumber')}</h2>
        {thread.number ? (
          <button type="button" class="secondary" onClick={() => onReply(thread.number)}>
            {t('sms.reply')}
          </button>
        ) : null}
      </div>
      <ol class="sms-bubbles">
        {thread.entries.map((e) =>
          e.kind === 'in' ? (
            <li key={`in-${e.ticket.id}`} class="sms-in" data-kind="in">
              <span class="muted small">
                {t('sms.in')} · {fmtDateTime(e.at)} ·{' '}
                <a href={`/tickets/${e.ticket.id}`} onClick={onNav(`/tickets/${encodeURIComponent(e.ticket.id)}`)}>
                  {t('sms.ticket', { n: e.ticket.number })}
                </a>
              </span>
              <p>{e.ticket.description || e.ticket.subject}</p>
            </li>
          ) : (
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
          ),
        )}
      </ol>
    </section>
  );
}

export function SmsPage({ session }: { session: Session }) {
  const params = new URLSearchParams(location.search);
  const [sent, setSent] = useState<SmsMessage[]>([]);
  const [received, setReceived] = useState<Ticket[]>([]);
  const [status, setStatus] = useState<SmsStatus | ''>('');
  const [picked, setPicked] = useState<string | null>(null);
  const [to, setTo] = useState(params.get('to') ?? '');
  const [error, setError] = useState('');
  const [seq, setSeq] = useState(0);
  const extra = {
    ...(params.get('ticket') ? { ticketId: params.get('ticket') as string } : {}),
    ...(params.get('customer') ? { customerId: params.get('customer') as string } : {}),
  };
  const canTickets = session.permissions.includes('tickets.read');

  useEffect(() => {
    let live = true;
    const load = () => {
      api.get<{ messages: SmsMessage[] }>(`/api/v1/sms${qs({ status, limit: 500 })}`).then(
        (r) => {
          if (!live) return;
          setSent(r.messages);
          setError('');
        },
        (e: unknown) => live && setError(errText(e)),
      );
      if (canTickets && status === '')
        api.get<{ items: Ticket[] }>('/api/v1/tickets?source=sms&limit=200').then(
          (r) => live && setReceived(r.items),
          () => undefined,
        );
    };
    load();
    const timer = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [status, seq]);

  const threads = useMemo(() => smsThreads(sent, status === '' ? received : []), [sent, received, status]);
  const current = threads.find((x) => x.number === picked) ?? threads[0];
  return (
    <main class="page sms">
      <h1>{t('sms.title')}</h1>
      <p class="muted">{t('sms.hint')}</p>
      <p class="error" role="alert">
        {error}
      </p>
      <div class="sms-layout">
        <section class="card" aria-labelledby="h-sms-threads">
          <h2 id="h-sms-threads">{t('sms.threads')}</h2>
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
            {threads.map((x) => {
              const last = x.entries[x.entries.length - 1];
              const preview = last ? (last.kind === 'out' ? last.msg.text : last.ticket.description || last.ticket.subject) : '';
              return (
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
                    <span class="sms-preview small">{preview}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
        <div>
          {current ? <Thread thread={current} onReply={setTo} /> : null}
          <SendForm to={to} extra={extra} onSent={() => setSeq((n) => n + 1)} />
        </div>
      </div>
    </main>
  );
}
