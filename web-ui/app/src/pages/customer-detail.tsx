/**
 * One customer (/customers/<id>): numbers (masked as the API returns them for the role), tags,
 * notes, flags; the last calls (from the customer's screen pop), tickets and orders, each linking
 * to its page; edit in place; a new ticket for the customer; personal data export and erasure
 * with the audit trail (customer-privacy.tsx, owner); a callback for the customer (预约回拨,
 * callback-schedule.tsx: followups.work).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Customer, Order, ScreenPop, Ticket } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtMoney, t, tOr } from '../i18n.js';
import { onNav } from '../nav.js';
import { errText, Messages, qs } from '../ui.js';
import { ScheduleCallback } from './callback-schedule.js';
import { CustomerForm } from './customer-form.js';
import { CustomerPrivacy } from './customer-privacy.js';

export function CustomerDetail({ id, session }: { id: string; session: Session }) {
  const [c, setC] = useState<Customer | null>(null);
  const [pop, setPop] = useState<ScreenPop | null>(null);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [orders, setOrders] = useState<Order[]>([]);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const can = (p: string) => session.permissions.includes(p);
  useEffect(() => {
    setError('');
    const path = encodeURIComponent(id);
    api.get<Customer>(`/api/v1/customers/${path}`).then(setC, (e: unknown) => setError(errText(e)));
    api.get<ScreenPop>(`/api/v1/customers/${path}/screen-pop`).then(setPop, () => undefined);
    if (can('tickets.read'))
      api.get<{ items: Ticket[] }>(`/api/v1/tickets${qs({ customerId: id, limit: 20 })}`).then(
        (r) => setTickets(r.items),
        () => undefined,
      );
    if (can('orders.read'))
      api.get<{ items: Order[] }>(`/api/v1/orders${qs({ customerId: id, limit: 20 })}`).then(
        (r) => setOrders(r.items),
        () => undefined,
      );
  }, [id]);

  if (!c) return <Messages error={error} />;
  if (editing)
    return (
      <CustomerForm
        customer={c}
        canSeePhones={can('customers.phones')}
        onSaved={(saved) => {
          setC(saved);
          setEditing(false);
          setDone(t('customers.savedDone'));
        }}
        onCancel={() => setEditing(false)}
      />
    );
  return (
    <div class="split customer-detail" id="customer-detail">
      <section class="card" aria-labelledby="h-cust">
        <div class="row between">
          <h2 id="h-cust">
            {c.name ?? t('unnamedCustomer')} {pop?.vip ? <span class="badge degraded">{t('vip')}</span> : null}
          </h2>
          {can('customers.write') && !c.erasedAt ? (
            <button type="button" class="secondary" id="customer-edit" onClick={() => setEditing(true)}>
              {t('ui.edit')}
            </button>
          ) : null}
        </div>
        <p class="ok" role="status">
          {done}
        </p>
        {c.erasedAt ? <p class="error">{t('customers.erased')}</p> : null}
        <dl class="facts">
          <dt>{t('customers.phones')}</dt>
          <dd id="customer-phones">
            {c.phones.map((p) => (
              <div key={p.phone}>
                {p.phone}
                {p.label ? ` (${p.label})` : ''}
              </div>
            ))}
          </dd>
          <dt>{t('customers.tags')}</dt>
          <dd>
            {c.tags.map((x) => (
              <span class="tag" key={x}>
                {x}
              </span>
            ))}
          </dd>
          <dt>{t('customers.notes')}</dt>
          <dd class="notes">{c.notes || t('noData')}</dd>
          <dt>{t('customers.dnc')}</dt>
          <dd>{c.doNotCall ? t('ui.yes') : t('ui.no')}</dd>
          <dt>{t('customers.source')}</dt>
          <dd>{tOr(`customers.source.${c.source}`, c.source)}</dd>
          <dt>{t('customers.created')}</dt>
          <dd>{fmtDateTime(c.createdAt)}</dd>
          {pop ? (
            <>
              <dt>{t('customers.orders')}</dt>
              <dd>{t('lifetimeValue', { v: fmtMoney(pop.lifetimeValueCents), n: pop.orderCount })}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="h-cust-calls">
        <h3 id="h-cust-calls">{t('customers.calls')}</h3>
        {pop && pop.lastCalls.length === 0 ? <p class="muted">{t('none')}</p> : null}
        <ul>
          {(pop?.lastCalls ?? []).map((x) => (
            <li key={x.id}>
              <a href={`/calls/${x.id}`} onClick={onNav(`/calls/${encodeURIComponent(x.id)}`)}>
                {fmtDateTime(x.startedAt)}
              </a>{' '}
              · {x.outcome ? tOr(`outcome.${x.outcome}`, x.outcome) : t('noData')}
            </li>
          ))}
        </ul>
        {can('tickets.read') ? (
          <>
            <h3>{t('customers.tickets')}</h3>
            {tickets.length === 0 ? <p class="muted">{t('none')}</p> : null}
            <ul id="customer-tickets">
              {tickets.map((x) => (
                <li key={x.id}>
                  <a href={`/tickets/${x.id}`} onClick={onNav(`/tickets/${x.id}`)}>
                    {x.number}
                  </a>{' '}
                  · {x.subject} · {tOr(`tickets.status.${x.status}`, x.status)}
                </li>
              ))}
            </ul>
            {can('tickets.write') ? (
              <a href={`/tickets/new?customer=${c.id}`} onClick={onNav(`/tickets/new?customer=${encodeURIComponent(c.id)}`)}>
                {t('customers.newTicket')}
              </a>
            ) : null}
          </>
        ) : null}
        {can('orders.read') ? (
          <>
            <h3>{t('customers.orders')}</h3>
            {orders.length === 0 ? <p class="muted">{t('none')}</p> : null}
            <ul>
              {orders.map((o) => (
                <li key={o.id}>
                  <a href={`/orders/${o.id}`} onClick={onNav(`/orders/${o.id}`)}>
                    {o.number}
                  </a>{' '}
                  · {fmtMoney(o.totalCents - o.refundCents)} · {tOr(`order.status.${o.status}`, o.status)} · {fmtDateTime(o.createdAt)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {can('followups.work') && !c.erasedAt && !c.doNotCall && c.phones.length > 0 ? (
        <section class="card">
          <ScheduleCallback id="ccb" customerId={c.id} shownPhone={c.phones[0]?.phone ?? null} agentLinked={Boolean(session.agentId)} />
        </section>
      ) : null}
      {can('customers.erase') ? <CustomerPrivacy customer={c} session={session} onErased={setC} /> : null}
    </div>
  );
}
