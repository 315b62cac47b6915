/**
 * 工单 / Tickets: the list with filters (keywords, status, category, assignee incl. "me",
 * overdue only) and paging; a ticket's page (/tickets/<id>, ticket-detail.tsx) and a new ticket
 * (/tickets/new, ticket-new.tsx); for tickets.admin (owner, supervisor) the categories and settings
 * (/tickets/settings, ticket-settings.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Ticket, TicketCategory } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, t, tOr } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { TicketSettingsPage, ts } from './ticket-settings.js';
import { TICKET_STATUSES } from '../ticket-flow.js';
import { ListPage, useList, withoutFalse } from '../list-page.js';
import { qs } from '../ui.js';
import { TicketDetail } from './ticket-detail.js';
import { categoryName, TicketNew } from './ticket-new.js';
import './tickets.css';

const LIMIT = 25;
const EMPTY = { q: '', status: '', category: '', assignee: '', overdue: false };

function TicketList({ session, categories }: { session: Session; categories: TicketCategory[] }) {
  const list = useList<Ticket>({
    initial: EMPTY,
    limit: LIMIT,
    load: (f, offset, limit) =>
      api.get<{ items: Ticket[]; total: number }>(`/api/v1/tickets${qs({ ...withoutFalse(f), limit, offset: offset || undefined })}`),
  });
  const catName = (id: string) => {
    const c = categories.find((x) => x.id === id);
    return c ? categoryName(c) : id;
  };
  const all = { value: '', label: t('ui.all') };
  return (
    <ListPage
      list={list}
      limit={LIMIT}
      before={
        session.permissions.includes('tickets.write') ? (
          <div class="row toolbar">
            <a class="button" id="ticket-new-link" href="/tickets/new" onClick={onNav('/tickets/new')}>
              {t('tickets.new')}
            </a>
          </div>
        ) : null
      }
      filterId="ticket-filters"
      idPrefix="tf"
      filters={[
        { key: 'q', kind: 'search', label: t('tickets.searchHint') },
        {
          key: 'status',
          kind: 'select',
          label: t('tickets.status'),
          options: [all, ...TICKET_STATUSES.map((s) => ({ value: s, label: tOr(`tickets.status.${s}`, s) }))],
        },
        {
          key: 'category',
          kind: 'select',
          label: t('tickets.category'),
          options: [all, ...categories.map((c) => ({ value: c.id, label: categoryName(c) }))],
        },
        { key: 'assignee', kind: 'text', label: t('tickets.assigneeHint'), maxLength: 64 },
        { key: 'overdue', kind: 'check', label: t('tickets.overdueOnly') },
      ]}
      submitLabel={t('ui.filter')}
      trim
      count={(n) => t('tickets.total', { n: fmtInt(n) })}
      tableId="tickets-table"
      rowKey={(x) => x.id}
      rowProps={(x) => ({ 'data-ticket': x.number })}
      columns={[
        {
          label: t('tickets.number'),
          cell: (x) => (
            <a href={`/tickets/${x.id}`} onClick={onNav(`/tickets/${x.id}`)}>
              {x.number}
            </a>
          ),
        },
        { label: t('subject'), cell: (x) => x.subject },
        {
          label: t('tickets.status'),
          cellClass: (x) => `status-${x.status}`,
          cell: (x) => (
            <>
              {tOr(`tickets.status.${x.status}`, x.status)}
              {x.overdue ? <span class="badge down">{t('tickets.overdue')}</span> : null}
            </>
          ),
        },
        { label: t('tickets.category'), wide: true, cell: (x) => catName(x.category) },
        { label: t('tickets.assignee'), wide: true, cell: (x) => x.assignee ?? t('noData') },
        { label: t('tickets.due'), wide: true, cell: (x) => (x.dueAt ? fmtDateTime(x.dueAt) : t('noData')) },
      ]}
    />
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
  const admin = session.permissions.includes('tickets.admin');
  return (
    <main class="page tickets-page">
      <div class="row between">
        <h1>{t('tickets.title')}</h1>
        {sub ? (
          <a href="/tickets" onClick={onNav('/tickets')}>
            {t('ui.back')}
          </a>
        ) : admin ? (
          <a href="/tickets/settings" id="ticket-settings-link" onClick={onNav('/tickets/settings')}>
            {ts('link')}
          </a>
        ) : null}
      </div>
      {sub === 'settings' && admin ? (
        <TicketSettingsPage session={session} />
      ) : sub === 'new' && session.permissions.includes('tickets.write') ? (
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
