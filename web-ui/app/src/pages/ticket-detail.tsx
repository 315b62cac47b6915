/**
 * One ticket (/tickets/<id or number>): its fields and due time, the workflow buttons and notes
 * (ticket-actions.tsx), the internal notes, linked calls (to the call's page), recordings (played
 * in place for roles with recordings.read), voicemails, orders and text messages (ticket-sms-link.tsx),
 * and the history.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TicketDetail as Detail, TicketCategory, TicketLink } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, t, tOr } from '../i18n.js';
import { onNav } from '../nav.js';
import { errText, Messages } from '../ui.js';
import { TicketActions } from './ticket-actions.js';
import { SmsLink } from './ticket-sms-link.js';
import { categoryName } from './ticket-new.js';

function Link({ link, session }: { link: TicketLink; session: Session }) {
  const kind = tOr(`tickets.link.${link.kind}`, link.kind);
  if (link.kind === 'call')
    return (
      <>
        {kind}:{' '}
        <a href={`/calls/${link.refId}`} onClick={onNav(`/calls/${encodeURIComponent(link.refId)}`)}>
          {link.refId.slice(0, 12)}
        </a>
      </>
    );
  if (link.kind === 'order')
    return (
      <>
        {kind}:{' '}
        <a href={`/orders/${encodeURIComponent(link.refId)}`} onClick={onNav(`/orders/${encodeURIComponent(link.refId)}`)}>
          {link.refId}
        </a>
      </>
    );
  if (link.kind === 'recording' && session.permissions.includes('recordings.read'))
    return (
      <>
        {kind}:{/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions */}
        <audio controls preload="metadata" src={`/api/v1/recordings/${encodeURIComponent(link.refId)}/audio`} aria-label={kind} />
      </>
    );
  if (link.kind === 'sms') return <SmsLink refId={link.refId} label={kind} session={session} />;
  return (
    <>
      {kind}: {link.refId}
    </>
  );
}

function categoryOf(categories: TicketCategory[], id: string): string {
  const c = categories.find((x) => x.id === id);
  return c ? categoryName(c) : id;
}

export function TicketDetail({ id, session, categories }: { id: string; session: Session; categories: TicketCategory[] }) {
  const [tk, setTk] = useState<Detail | null>(null);
  const [error, setError] = useState('');
  const load = () => api.get<Detail>(`/api/v1/tickets/${encodeURIComponent(id)}`).then(setTk, (e: unknown) => setError(errText(e)));
  useEffect(() => {
    setError('');
    void load();
  }, [id]);
  if (!tk) return <Messages error={error} />;
  return (
    <div class="split ticket-detail" id="ticket-detail" data-status={tk.status}>
      <section class="card" aria-labelledby="h-ticket-d">
        <h2 id="h-ticket-d">
          {tk.number} · {tk.subject}
        </h2>
        <dl class="facts">
          <dt>{t('tickets.status')}</dt>
          <dd id="ticket-status" class={`status-${tk.status}`}>
            {tOr(`tickets.status.${tk.status}`, tk.status)}
            {tk.overdue ? <span class="badge down">{t('tickets.overdue')}</span> : null}
          </dd>
          <dt>{t('tickets.priority')}</dt>
          <dd>{tOr(`tickets.priority.${tk.priority}`, tk.priority)}</dd>
          <dt>{t('tickets.category')}</dt>
          <dd>{categoryOf(categories, tk.category)}</dd>
          <dt>{t('tickets.assignee')}</dt>
          <dd>{tk.assignee ?? t('noData')}</dd>
          <dt>{t('tickets.due')}</dt>
          <dd>{tk.dueAt ? fmtDateTime(tk.dueAt) : t('noData')}</dd>
          <dt>{t('tickets.source')}</dt>
          <dd>{tOr(`tickets.source.${tk.source}`, tk.source)}</dd>
          <dt>{t('tickets.customer')}</dt>
          <dd>
            {tk.customerId ? (
              <a href={`/customers/${tk.customerId}`} onClick={onNav(`/customers/${tk.customerId}`)}>
                {tk.phone ?? t('calls.customer')}
              </a>
            ) : (
              (tk.phone ?? t('noData'))
            )}
          </dd>
          <dt>{t('tickets.created')}</dt>
          <dd>
            {fmtDateTime(tk.createdAt)} · {tk.createdBy}
          </dd>
          <dt>{t('description')}</dt>
          <dd class="pre">{tk.description || t('noData')}</dd>
        </dl>
        {session.permissions.includes('tickets.write') ? <TicketActions ticket={tk} idPrefix="td" onChanged={() => void load()} /> : null}
      </section>
      <section class="card" aria-labelledby="h-ticket-notes">
        <h3 id="h-ticket-notes">{t('tickets.notes')}</h3>
        {tk.notes.length === 0 ? <p class="muted">{t('none')}</p> : null}
        <ul class="notes" id="ticket-notes">
          {tk.notes.map((n) => (
            <li key={n.id}>
              <span class="muted">
                {fmtDateTime(n.createdAt)} · {n.author} · {n.internal ? t('tickets.internal') : t('tickets.public')}
              </span>
              <div class="pre">{n.body}</div>
            </li>
          ))}
        </ul>
        <h3>{t('tickets.links')}</h3>
        {tk.links.length === 0 ? <p class="muted">{t('none')}</p> : null}
        <ul class="links" id="ticket-links">
          {tk.links.map((l) => (
            <li key={`${l.kind}:${l.refId}`}>
              <Link link={l} session={session} />
            </li>
          ))}
        </ul>
        <h3>{t('tickets.history')}</h3>
        <ol class="history">
          {tk.events.map((e) => (
            <li key={e.seq}>
              <span class="muted">{fmtDateTime(e.ts)}</span> {e.actor} · {tOr(`tickets.event.${e.type}`, e.type)}
              {e.toStatus ? ` → ${tOr(`tickets.status.${e.toStatus}`, e.toStatus)}` : ''}
              {e.body && e.type !== 'created' && e.type !== 'updated' ? ` · ${e.body}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
