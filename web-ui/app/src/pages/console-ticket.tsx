/**
 * The agent console's open-ticket update: the screen pop's open tickets (oldest first); pick one
 * and move it through the workflow or add an internal note (ticket-actions.tsx) while the caller
 * is on the line.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ScreenPop, Ticket } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t, tOr } from '../i18n.js';
import { onNav } from '../nav.js';
import { errText, Field, Messages } from '../ui.js';
import { TicketActions } from './ticket-actions.js';
import './tickets.css';

export function ConsoleTicket({ pop }: { pop: ScreenPop | null }) {
  const open = pop?.openTickets ?? [];
  const [id, setId] = useState('');
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState('');
  useEffect(() => setId(open[0]?.id ?? ''), [pop?.callId, open.length]);
  const load = () => {
    setError('');
    if (!id) return setTicket(null);
    api.get<Ticket>(`/api/v1/tickets/${encodeURIComponent(id)}`).then(setTicket, (e: unknown) => setError(errText(e)));
  };
  useEffect(load, [id]);
  return (
    <section class="card console-ticket" aria-labelledby="h-cticket">
      <h2 id="h-cticket">{t('cticket.title')}</h2>
      {open.length === 0 ? (
        <p class="muted">{t('cticket.none')}</p>
      ) : (
        <Field id="ct-pick" label={t('cticket.pick')}>
          <select id="ct-pick" value={id} onChange={(e) => setId(e.currentTarget.value)}>
            {open.map((x) => (
              <option key={x.id} value={x.id}>
                {x.number} · {x.subject}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Messages error={error} />
      {ticket ? (
        <>
          <p id="ct-status">
            {tOr(`tickets.status.${ticket.status}`, ticket.status)} ·{' '}
            <a href={`/tickets/${ticket.id}`} onClick={onNav(`/tickets/${ticket.id}`)}>
              {t('cticket.open')}
            </a>
          </p>
          <TicketActions key={ticket.id} ticket={ticket} idPrefix="ct" onChanged={load} />
        </>
      ) : null}
    </section>
  );
}
