/**
 * 订单 / Orders (`/orders`, orders.read): the list, newest first, with filters — search (number,
 * customer, phone, tracking number), status, local date range, who took the order — and paging;
 * a row opens the order (`/orders/<id>`, order-detail.tsx). Filters survive a trip to an order
 * and back (the page stays mounted); the browser's back button works.
 */
import './records.css';
import './orders.css';
import { useEffect, useState } from 'preact/hooks';
import type { Order } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { fmtDateTime, fmtMoney, t, tOr } from '../i18n.js';
import { OrderDetail, StatusBadge } from './order-detail.js';
import { NO_FILTERS, ORDER_STATUSES, type OrderFilters, ordersQuery, recordId } from './sales-data.js';

const LIMIT = 50;

export function OrdersPage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [openId, setOpenId] = useState(() => recordId(location.pathname, 'orders'));
  const [form, setForm] = useState<OrderFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<OrderFilters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Order[]; total: number } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const onPop = () => setOpenId(recordId(location.pathname, 'orders'));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    if (openId) return;
    setError('');
    api.get<{ items: Order[]; total: number }>(`/api/v1/orders?${ordersQuery(filters, offset, LIMIT)}`).then(setPage, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onAuthLost();
      setError(e instanceof Error ? e.message : String(e));
    });
  }, [filters, offset, openId]);

  const open = (id: string | null) => (e?: Event) => {
    e?.preventDefault();
    history.pushState(null, '', id ? `/orders/${encodeURIComponent(id)}` : '/orders');
    setOpenId(id);
  };
  if (openId) return <OrderDetail id={openId} session={session} onBack={open(null)} />;

  const set = (k: keyof OrderFilters) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const apply = (f: OrderFilters) => {
    setForm(f);
    setFilters(f);
    setOffset(0);
  };
  const pages = page ? Math.max(1, Math.ceil(page.total / LIMIT)) : 1;
  return (
    <main class="page orders">
      <h1>{t('orders.title')}</h1>
      <form
        class="row rec-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <label for="o-q">{t('orders.search')}</label>
        <input id="o-q" type="search" value={form.q} placeholder={t('orders.searchPlaceholder')} onInput={set('q')} />
        <label for="o-status">{t('orders.status')}</label>
        <select id="o-status" value={form.status} onChange={set('status')}>
          <option value="">{t('orders.allStatuses')}</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tOr(`orderStatus.${s}`, s)}
            </option>
          ))}
        </select>
        <label for="o-from">{t('orders.from')}</label>
        <input id="o-from" type="date" value={form.from} onInput={set('from')} />
        <label for="o-to">{t('orders.to')}</label>
        <input id="o-to" type="date" value={form.to} onInput={set('to')} />
        <label for="o-agent">{t('orders.agent')}</label>
        <input id="o-agent" value={form.createdBy} size={10} placeholder={t('orders.agentPlaceholder')} onInput={set('createdBy')} />
        <button type="submit">{t('orders.filter')}</button>
        <button type="button" class="secondary" onClick={() => apply(NO_FILTERS)}>
          {t('orders.reset')}
        </button>
      </form>
      <p class="error" role="alert">
        {error}
      </p>
      <p class="muted" id="orders-count" role="status">
        {page ? t('orders.count', { n: page.total }) : ''}
      </p>
      <div class="table-wrap">
        <table class="calls orders-table" id="orders">
          <thead>
            <tr>
              <th scope="col">{t('orders.number')}</th>
              <th scope="col">{t('orders.createdAt')}</th>
              <th scope="col">{t('orders.customer')}</th>
              <th scope="col" class="num">
                {t('orders.total')}
              </th>
              <th scope="col">{t('orders.status')}</th>
              <th scope="col">{t('orders.takenBy')}</th>
            </tr>
          </thead>
          <tbody>
            {page && page.items.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  {t('orders.none')}
                </td>
              </tr>
            ) : null}
            {page?.items.map((o) => (
              <tr key={o.id} data-order={o.id}>
                <td>
                  <a href={`/orders/${encodeURIComponent(o.id)}`} onClick={open(o.id)}>
                    {o.number}
                  </a>
                </td>
                <td>{fmtDateTime(o.createdAt)}</td>
                <td>
                  {o.shipName ?? t('noData')}
                  {o.shipPhone ? <div class="muted small">{o.shipPhone}</div> : null}
                </td>
                <td class="num">{fmtMoney(o.totalCents)}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td>{o.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <div class="row pager">
          <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - LIMIT))}>
            {t('orders.prevPage')}
          </button>
          <span>{t('orders.page', { p: Math.floor(offset / LIMIT) + 1, n: pages })}</span>
          <button type="button" class="secondary" disabled={offset + LIMIT >= (page?.total ?? 0)} onClick={() => setOffset(offset + LIMIT)}>
            {t('orders.nextPage')}
          </button>
        </div>
      ) : null}
    </main>
  );
}
