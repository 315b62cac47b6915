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
import { api, type Session } from '../api.js';
import { ListPage, useList } from '../list-page.js';
import { fmtDateTime, fmtMoney, t, tOr } from '../i18n.js';
import { OrderDetail, StatusBadge } from './order-detail.js';
import { NO_FILTERS, ORDER_STATUSES, type OrderFilters, ordersQuery, recordId } from './sales-data.js';

const LIMIT = 50;

export function OrdersPage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [openId, setOpenId] = useState(() => recordId(location.pathname, 'orders'));
  const list = useList<Order>({
    initial: { ...NO_FILTERS },
    limit: LIMIT,
    active: !openId,
    onAuthLost,
    load: (f, offset, limit) =>
      api.get<{ items: Order[]; total: number }>(`/api/v1/orders?${ordersQuery(f as unknown as OrderFilters, offset, limit)}`),
  });

  useEffect(() => {
    const onPop = () => setOpenId(recordId(location.pathname, 'orders'));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const open = (id: string | null) => (e?: Event) => {
    e?.preventDefault();
    history.pushState(null, '', id ? `/orders/${encodeURIComponent(id)}` : '/orders');
    setOpenId(id);
  };
  if (openId) return <OrderDetail id={openId} session={session} onBack={open(null)} />;

  return (
    <main class="page orders">
      <h1>{t('orders.title')}</h1>
      <ListPage
        list={list}
        limit={LIMIT}
        filterId="order-filters"
        filterClass="rec-filters"
        idPrefix="o"
        filters={[
          { key: 'q', kind: 'search', label: t('orders.search'), placeholder: t('orders.searchPlaceholder') },
          {
            key: 'status',
            kind: 'select',
            label: t('orders.status'),
            options: [
              { value: '', label: t('orders.allStatuses') },
              ...ORDER_STATUSES.map((s) => ({ value: s, label: tOr(`orderStatus.${s}`, s) })),
            ],
          },
          { key: 'from', kind: 'date', label: t('orders.from') },
          { key: 'to', kind: 'date', label: t('orders.to') },
          { key: 'createdBy', id: 'o-agent', kind: 'text', label: t('orders.agent'), placeholder: t('orders.agentPlaceholder') },
        ]}
        submitLabel={t('ui.filter')}
        reset={{ ...NO_FILTERS }}
        count={(n) => t('orders.count', { n })}
        countId="orders-count"
        empty={t('orders.none')}
        tableId="orders"
        rowKey={(o) => o.id}
        rowProps={(o) => ({ 'data-order': o.id })}
        columns={[
          {
            label: t('orders.number'),
            cell: (o) => (
              <a href={`/orders/${encodeURIComponent(o.id)}`} onClick={open(o.id)}>
                {o.number}
              </a>
            ),
          },
          { label: t('orders.createdAt'), wide: true, cell: (o) => fmtDateTime(o.createdAt) },
          {
            label: t('orders.customer'),
            cell: (o) => (
              <>
                {o.shipName ?? t('noData')}
                {o.shipPhone ? <div class="muted small">{o.shipPhone}</div> : null}
              </>
            ),
          },
          { label: t('orders.total'), num: true, cell: (o) => fmtMoney(o.totalCents) },
          { label: t('orders.status'), cell: (o) => <StatusBadge status={o.status} /> },
          { label: t('orders.takenBy'), wide: true, cell: (o) => o.createdBy },
        ]}
      />
    </main>
  );
}
