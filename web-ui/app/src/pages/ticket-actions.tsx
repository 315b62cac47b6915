/**
 * Working a ticket: the workflow buttons (only the moves its status allows, ticket-flow.ts), an
 * optional note with the move, the assignee a move to 已分派 needs, and an internal note. Used by
 * the ticket page and by the agent console (the caller's open ticket).
 */
import { useState } from 'preact/hooks';
import type { Ticket, TicketNote, TicketStatus } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t, tOr } from '../i18n.js';
import { nextStatuses, transitionTarget } from '../ticket-flow.js';
import { Field, Messages, useRun } from '../ui.js';

const statusName = (s: TicketStatus) => tOr(`tickets.status.${s}`, s);

export function TicketActions({ ticket, idPrefix, onChanged }: { ticket: Ticket; idPrefix: string; onChanged: () => void }) {
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState(ticket.assignee ?? '');
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(true);
  const { error, done, busy, run } = useRun();
  const moves = nextStatuses(ticket.status);
  const move = async (to: TicketStatus) => {
    const target = transitionTarget(ticket.status, to);
    const req: Record<string, unknown> = { to: target, version: ticket.version };
    if (note.trim()) req.note = note.trim();
    if (to === 'assigned' && assignee.trim()) req.assignee = assignee.trim();
    const r = await run(
      () => api.post<Ticket>(`/api/v1/tickets/${ticket.id}/transition`, req),
      t('tickets.moved', { s: statusName(target === 'reopen' ? 'in_progress' : target) }),
    );
    if (r) {
      setNote('');
      onChanged();
    }
  };
  const addNote = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return;
    const r = await run(
      () => api.post<TicketNote>(`/api/v1/tickets/${ticket.id}/notes`, { body: body.trim(), internal }),
      t('tickets.noteAdded'),
    );
    if (r) {
      setBody('');
      onChanged();
    }
  };
  return (
    <div class="ticket-actions stack">
      <h3>{t('tickets.workflow')}</h3>
      <Field id={`${idPrefix}-move-note`} label={t('tickets.moveNote')}>
        <input id={`${idPrefix}-move-note`} maxLength={5000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      {moves.includes('assigned') ? (
        <Field id={`${idPrefix}-assignee`} label={t('tickets.assignee')}>
          <input id={`${idPrefix}-assignee`} maxLength={64} value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} />
        </Field>
      ) : null}
      <div class="row moves">
        {moves.map((to) => (
          <button
            key={to}
            type="button"
            class={to === 'resolved' ? '' : 'secondary'}
            data-to={to}
            disabled={busy || (to === 'assigned' && !assignee.trim())}
            onClick={() => void move(to)}
          >
            {transitionTarget(ticket.status, to) === 'reopen' ? t('tickets.reopen') : t('tickets.moveTo', { s: statusName(to) })}
          </button>
        ))}
      </div>
      <form class="stack" onSubmit={addNote} aria-label={t('tickets.addNote')}>
        <Field id={`${idPrefix}-note`} label={t('tickets.noteBody')}>
          <textarea id={`${idPrefix}-note`} rows={2} maxLength={5000} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
          {t('tickets.noteInternal')}
        </label>
        <button type="submit" class="secondary" disabled={busy || !body.trim()}>
          {t('tickets.addNote')}
        </button>
      </form>
      <Messages error={error} done={done} id={`${idPrefix}-done`} />
    </div>
  );
}
