/**
 * 工单 / Tickets: the list with filters (keywords, status, category, assignee incl. "me",
 * overdue only) and paging; a ticket's page (/tickets/<id>, ticket-detail.tsx) and a new ticket
 * (/tickets/new, ticket-new.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Ticket, TicketCategory } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, t, tOr } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { TICKET_STATUSES } from '../ticket-flow.js';
import { errText, Field, Messages, Pager, qs } from '../ui.js';
import { TicketDetail } from './ticket-detail.js';
import { categoryName, TicketNew } from './ticket-new.js';
import './tickets.css';

const LIMIT = 25;
const EMPTY = { q: '', status: '', category: '', assignee: '', overdue: false };

function TicketList({ session, categories }: { session: Session; categories: TicketCategory[] }) {
  const [draft, setDraft] = useState(EMPTY);
  const [query, setQuery] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Ticket[]; total: number } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    const q = qs({ ...query, overdue: query.overdue || undefined, limit: LIMIT, offset: offset || undefined });
    api.get<{ items: Ticket[]; total: number }>(`/api/v1/tickets${q}`).then(setPage, (e: unknown) => setError(errText(e)));
  }, [query, offset]);
  const set = (k: 'q' | 'status' | 'category' | 'assignee') => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const catName = (id: string) => {
    const c = categories.find((x) => x.id === id);
    return c ? categoryName(c) : id;
  };
  return (
    <>
      {session.permissions.includes('tickets.write') ? (
        <div class="row toolbar">
          <a class="button" id="ticket-new-link" href="/tickets/new" onClick={onNav('/tickets/new')}>
            {t('tickets.new')}
          </a>
        </div>
      ) : null}
      <form
        class="card filters"
        id="ticket-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQuery({ ...draft, q: draft.q.trim(), assignee: draft.assignee.trim() });
        }}
        aria-label={t('ui.filter')}
      >
        <Field id="tf-q" label={t('tickets.searchHint')}>
          <input id="tf-q" type="search" value={draft.q} onInput={set('q')} />
        </Field>
        <Field id="tf-status" label={t('tickets.status')}>
          <select id="tf-status" value={draft.status} onChange={set('status')}>
            <option value="">{t('ui.all')}</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {tOr(`tickets.status.${s}`, s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tf-category" label={t('tickets.category')}>
          <select id="tf-category" value={draft.category} onChange={set('category')}>
            <option value="">{t('ui.all')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tf-assignee" label={t('tickets.assigneeHint')}>
          <input id="tf-assignee" maxLength={64} value={draft.assignee} onInput={set('assignee')} />
        </Field>
        <label class="check">
          <input
            id="tf-overdue"
            type="checkbox"
            checked={draft.overdue}
            onChange={(e) => setDraft({ ...draft, overdue: e.currentTarget.checked })}
          />
          {t('tickets.overdueOnly')}
        </label>
        <div class="actions">
          <button type="submit">{t('ui.filter')}</button>
        </div>
      </form>
      <Messages error={error} />
      {page ? <p class="muted">{t('tickets.total', { n: fmtInt(page.total) })}</p> : null}
      <div class="table-wrap">
        <table class="list" id="tickets-table">
          <thead>
            <tr>
              <th scope="col">{t('tickets.number')}</th>
              <th scope="col">{t('subject')}</th>
              <th scope="col">{t('tickets.status')}</th>
              <th scope="col" class="wide">
                {t('tickets.category')}
              </th>
              <th scope="col" class="wide">
                {t('tickets.assignee')}
              </th>
              <th scope="col" class="wide">
                {t('tickets.due')}
              </th>
            </tr>
          </thead>
          <tbody>
            {(page?.items ?? []).map((x) => (
              <tr key={x.id} data-ticket={x.number}>
                <td>
                  <a href={`/tickets/${x.id}`} onClick={onNav(`/tickets/${x.id}`)}>
                    {x.number}
                  </a>
                </td>
                <td>{x.subject}</td>
                <td class={`status-${x.status}`}>
                  {tOr(`tickets.status.${x.status}`, x.status)}
                  {x.overdue ? <span class="badge down">{t('tickets.overdue')}</span> : null}
                </td>
                <td class="wide">{catName(x.category)}</td>
                <td class="wide">{x.assignee ?? t('noData')}</td>
                <td class="wide">{x.dueAt ? fmtDateTime(x.dueAt) : t('noData')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && page.items.length === 0 ? <p class="muted">{t('ui.empty')}</p> : null}
      <Pager offset={offset} limit={LIMIT} more={page ? offset + LIMIT < page.total : false} onPage={setOffset} />
    </>
  );
}

export function TicketsPage({ session }: { session: Session }) {
  const [sub] = useSubPath();
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  useEffect(() => {
    api.get<{ items: TicketCategory[] }>('/api/v1/ticket-categories').then(
      (r) => setCategories(r.items),
      () => undefined,
    );
  }, []);
  const customer = new URLSearchParams(location.search).get('customer');
  return (
    <main class="page tickets-page">
      <div class="row between">
        <h1>{t('tickets.title')}</h1>
        {sub ? (
          <a href="/tickets" onClick={onNav('/tickets')}>
            {t('ui.back')}
          </a>
        ) : null}
      </div>
      {sub === 'new' && session.permissions.includes('tickets.write') ? (
        <TicketNew
          categories={categories}
          customerId={customer}
          onCreated={(tk) => navigate(`/tickets/${tk.id}`)}
          onCancel={() => navigate('/tickets')}
        />
      ) : sub ? (
        <TicketDetail id={sub} session={session} categories={categories} />
      ) : (
        <TicketList session={session} categories={categories} />
      )}
    </main>
  );
}
