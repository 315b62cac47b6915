/**
 * One order (`/orders/<id>`): its lines (gifts, discounts), totals with cost and margin, delivery
 * details (phone masked by role as the API returns it), shipments (carrier, tracking number,
 * shipped / delivered), the history, and — with orders.write — the status change: only the
 * workflow's legal moves, with carrier and tracking number when shipping and the refund (¥) when
 * returning. The version read is sent, so a stale page gets a clear 409 message.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Order, OrderEvent, OrderStatus } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, fmtMoney, t, tOr } from '../i18n.js';
import { nextStatuses, parseYuan } from './sales-data.js';

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span class={`status status-${status}`}>{tOr(`orderStatus.${status}`, status)}</span>;
}

function StatusChange({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) {
  const moves = nextStatuses(order.status);
  const [to, setTo] = useState<OrderStatus | ''>(moves[0] ?? '');
  const [f, setF] = useState({ carrier: '', trackingNo: '', refund: '', note: '' });
  const [error, setError] = useState('');
  useEffect(() => setTo(nextStatuses(order.status)[0] ?? ''), [order.status]);
  if (moves.length === 0) return <p class="muted">{t('orders.noMoves')}</p>;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!to) return;
    const body: Record<string, unknown> = { status: to, version: order.version };
    if (to === 'shipped') Object.assign(body, { carrier: f.carrier.trim(), trackingNo: f.trackingNo.trim() });
    if (to === 'returned' && f.refund.trim()) {
      const cents = parseYuan(f.refund);
      if (cents === null) return setError(t('products.badMoney', { field: t('orders.refund') }));
      body.refundCents = cents;
    }
    if (f.note.trim()) body.note = f.note.trim();
    try {
      onChanged(await api.post<Order>(`/api/v1/orders/${encodeURIComponent(order.id)}/status`, body));
      setF({ carrier: '', trackingNo: '', refund: '', note: '' });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <form class="stack" id="status-form" onSubmit={submit}>
      <label for="os-status">{t('orders.status')}</label>
      <select id="os-status" value={to} onChange={(e) => setTo(e.currentTarget.value as OrderStatus)}>
        {moves.map((s) => (
          <option key={s} value={s}>
            {t('orders.moveTo', { status: tOr(`orderStatus.${s}`, s) })}
          </option>
        ))}
      </select>
      {to === 'shipped' ? (
        <>
          <label for="os-carrier">{t('orders.carrier')}</label>
          <input id="os-carrier" required maxLength={64} value={f.carrier} onInput={set('carrier')} placeholder="顺丰速运" />
          <label for="os-tracking">{t('orders.trackingNo')}</label>
          <input id="os-tracking" required maxLength={64} value={f.trackingNo} onInput={set('trackingNo')} />
        </>
      ) : null}
      {to === 'returned' ? (
        <>
          <label for="os-refund">{t('orders.refundYuan')}</label>
          <input id="os-refund" inputMode="decimal" value={f.refund} onInput={set('refund')} />
        </>
      ) : null}
      <label for="os-note">{t('orders.statusNote')}</label>
      <input id="os-note" maxLength={2000} value={f.note} onInput={set('note')} />
      <p class="error" role="alert" id="status-error">
        {error}
      </p>
      <button type="submit">{t('orders.changeStatus')}</button>
    </form>
  );
}

export function OrderDetail({ id, session, onBack }: { id: string; session: Session; onBack: (e?: Event) => void }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [events, setEvents] = useState<OrderEvent[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const canWrite = session.permissions.includes('orders.write');
  const load = async () => {
    const path = `/api/v1/orders/${encodeURIComponent(id)}`;
    const [o, ev] = await Promise.all([api.get<Order>(path), api.get<{ items: OrderEvent[] }>(`${path}/events`)]);
    setOrder(o);
    setEvents(ev.items);
  };
  useEffect(() => {
    setOrder(null);
    load().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [id]);
  const changed = (o: Order) => {
    setDone(t('orders.moved', { status: tOr(`orderStatus.${o.status}`, o.status) }));
    load().catch((e: unknown) => setError(String(e)));
  };
  const back = (
    <a href="/orders" onClick={onBack} class="back">
      ← {t('orders.back')}
    </a>
  );
  if (!order) {
    return (
      <main class="page order-detail">
        {back}
        <p class="error" role="alert">
          {error}
        </p>
      </main>
    );
  }
  return (
    <main class="page order-detail">
      {back}
      <h1>
        {t('orders.detail', { number: order.number })} <StatusBadge status={order.status} />
      </h1>
      <p class="ok" role="status" id="order-done">
        {done}
      </p>
      <p class="error" role="alert">
        {error}
      </p>
      <div class="order-grid">
        <section class="card" aria-labelledby="h-lines">
          <h2 id="h-lines">{t('orders.lines')}</h2>
          <div class="table-wrap">
            <table class="calls" id="order-lines">
              <thead>
                <tr>
                  <th scope="col">{t('orders.product')}</th>
                  <th scope="col" class="num">
                    {t('orders.qty')}
                  </th>
                  <th scope="col" class="num">
                    {t('orders.unitPrice')}
                  </th>
                  <th scope="col" class="num">
                    {t('orders.discount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {order.lines.map((l, i) => (
                  <tr key={`${l.productId}-${i}`}>
                    <td>
                      {l.name}
                      {l.gift ? <span class="tag">{t('orders.gift')}</span> : null}
                    </td>
                    <td class="num">{fmtInt(l.qty)}</td>
                    <td class="num">{fmtMoney(l.unitPriceCents)}</td>
                    <td class="num">{l.discountCents ? fmtMoney(-l.discountCents) : t('noData')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl class="facts totals" id="order-totals">
            <dt>{t('orders.subtotal')}</dt>
            <dd>{fmtMoney(order.subtotalCents)}</dd>
            <dt>{t('orders.discount')}</dt>
            <dd>{order.discountCents ? fmtMoney(-order.discountCents) : t('noData')}</dd>
            <dt>{t('orders.payable')}</dt>
            <dd>
              <strong>{fmtMoney(order.totalCents)}</strong>
            </dd>
            {order.refundCents ? (
              <>
                <dt>{t('orders.refund')}</dt>
                <dd>{fmtMoney(order.refundCents)}</dd>
              </>
            ) : null}
            <dt>{t('orders.costTotal')}</dt>
            <dd>{fmtMoney(order.costCents)}</dd>
            <dt>{t('orders.margin')}</dt>
            <dd>{fmtMoney(order.marginCents)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="h-ship">
          <h2 id="h-ship">{t('orders.shipping')}</h2>
          <dl class="facts" id="order-shipping">
            <dt>{t('orders.shipName')}</dt>
            <dd>{order.shipName ?? t('noData')}</dd>
            <dt>{t('orders.shipPhone')}</dt>
            <dd>{order.shipPhone ?? t('noData')}</dd>
            <dt>{t('orders.shipAddress')}</dt>
            <dd>{order.shipAddress ?? t('noData')}</dd>
            <dt>{t('orders.note')}</dt>
            <dd>{order.note || t('noData')}</dd>
            <dt>{t('orders.createdAt')}</dt>
            <dd>{fmtDateTime(order.createdAt)}</dd>
            <dt>{t('orders.takenBy')}</dt>
            <dd>{order.createdBy}</dd>
          </dl>
          <h3>{t('orders.shipments')}</h3>
          {order.shipments.length === 0 ? (
            <p class="muted">{t('orders.noShipments')}</p>
          ) : (
            <ul class="shipments" id="order-shipments">
              {order.shipments.map((s) => (
                <li key={s.id}>
                  <strong>{s.carrier}</strong> {s.trackingNo}
                  <div class="muted small">
                    {t('orders.shippedAt')} {fmtDateTime(s.shippedAt)}
                    {s.deliveredAt ? ` · ${t('orders.deliveredAt')} ${fmtDateTime(s.deliveredAt)}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        {canWrite ? (
          <section class="card" aria-labelledby="h-status">
            <h2 id="h-status">{t('orders.changeStatus')}</h2>
            <StatusChange order={order} onChanged={changed} />
          </section>
        ) : null}
        <section class="card" aria-labelledby="h-history">
          <h2 id="h-history">{t('orders.history')}</h2>
          <ol class="history" id="order-history">
            {events.map((ev) => (
              <li key={ev.seq}>
                <span class="muted small">{fmtDateTime(ev.ts)}</span>{' '}
                {ev.fromStatus ? `${tOr(`orderStatus.${ev.fromStatus}`, ev.fromStatus)} → ` : `${t('orders.created')} → `}
                {ev.toStatus ? tOr(`orderStatus.${ev.toStatus}`, ev.toStatus) : ''} <span class="muted small">({ev.actor})</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </main>
  );
}
