/**
 * The agent console's phone order (电话下单): find products (featured ones first), lines with
 * quantities, the promotions in force for each product (the box applies the best one per line
 * when the order is placed), recipient, delivery address; placed for the screen pop's customer
 * (or a phone number typed in) and linked to the call. Shows the order's number and total.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Order, Product, Promotion, ScreenPop } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { fmtMoney, t } from '../i18n.js';
import { Field, Messages, qs, useRun } from '../ui.js';
import './console-work.css';

interface Line {
  product: Product;
  qty: number;
  promos: Promotion[];
}

export function ConsoleOrder({ pop }: { pop: ScreenPop | null }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Product[]>([]);
  const [lines, setLines] = useState<Line[]>([]);
  const [ship, setShip] = useState({ name: '', phone: '', address: '', note: '', customerPhone: '' });
  const [placed, setPlaced] = useState<Order | null>(null);
  const { error, busy, run } = useRun();
  const customer = pop?.customer ?? null;

  const find = (text: string) =>
    api
      .get<{ items: Product[] }>(
        `/api/v1/products${qs({ q: text.trim(), active: true, featured: text.trim() ? undefined : true, limit: 8 })}`,
      )
      .then(
        (r) => setFound(r.items),
        () => setFound([]),
      );
  useEffect(() => {
    void find('');
  }, []);
  useEffect(() => {
    setPlaced(null);
    setShip((s) => ({ ...s, name: customer?.name ?? '' }));
  }, [pop?.callId]);

  const add = async (p: Product) => {
    if (lines.some((l) => l.product.id === p.id)) {
      setLines(lines.map((l) => (l.product.id === p.id ? { ...l, qty: Math.min(9999, l.qty + 1) } : l)));
      return;
    }
    const promos = await api.get<{ items: Promotion[] }>(`/api/v1/promotions${qs({ productId: p.id, activeAt: 'now', limit: 10 })}`).then(
      (r) => r.items.filter((x) => x.active),
      () => [],
    );
    setLines((ls) => [...ls, { product: p, qty: 1, promos }]);
  };
  const setQty = (id: string, qty: number) =>
    setLines(lines.map((l) => (l.product.id === id ? { ...l, qty: Math.max(1, Math.min(9999, Math.trunc(qty) || 1)) } : l)));
  const subtotal = lines.reduce((n, l) => n + l.qty * l.product.priceCents, 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { lines: lines.map((l) => ({ productId: l.product.id, qty: l.qty })) };
    if (customer) body.customerId = customer.id;
    else body.phone = ship.customerPhone.trim();
    if (pop?.callId) body.callId = pop.callId;
    if (ship.name.trim()) body.shipName = ship.name.trim();
    if (ship.phone.trim()) body.shipPhone = ship.phone.trim();
    if (ship.address.trim()) body.shipAddress = ship.address.trim();
    if (ship.note.trim()) body.note = ship.note.trim();
    const order = await run(() => api.post<Order>('/api/v1/orders', body));
    if (order) {
      setPlaced(order);
      setLines([]);
      setShip({ name: customer?.name ?? '', phone: '', address: '', note: '', customerPhone: '' });
    }
  };
  const set = (k: keyof typeof ship) => (e: Event) => setShip({ ...ship, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section class="card console-order" aria-labelledby="h-order">
      <h2 id="h-order">{t('corder.title')}</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void find(q);
        }}
      >
        <label class="visually-hidden" for="co-q">
          {t('corder.findProduct')}
        </label>
        <input id="co-q" type="search" placeholder={t('corder.findHint')} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit" class="secondary">
          {t('search')}
        </button>
      </form>
      <ul class="products" id="co-products" aria-label={q.trim() ? t('corder.findProduct') : t('corder.featured')}>
        {found.map((p) => (
          <li key={p.id}>
            <span>
              {p.name} {p.spec ? <span class="muted">{p.spec}</span> : null} · {fmtMoney(p.priceCents)}
            </span>
            <button type="button" class="secondary" data-product={p.id} onClick={() => void add(p)}>
              {t('corder.add')}
            </button>
          </li>
        ))}
      </ul>
      <form class="stack" id="co-form" onSubmit={submit}>
        <h3>{t('corder.lines')}</h3>
        {lines.length === 0 ? <p class="muted">{t('corder.noLines')}</p> : null}
        <ul class="order-lines" id="co-lines">
          {lines.map((l) => (
            <li key={l.product.id}>
              <div class="row between">
                <span>
                  {l.product.name} · {fmtMoney(l.product.priceCents)}
                </span>
                <span class="row">
                  <label for={`co-qty-${l.product.id}`}>{t('corder.qty')}</label>
                  <input
                    id={`co-qty-${l.product.id}`}
                    class="qty"
                    type="number"
                    min={1}
                    max={9999}
                    value={l.qty}
                    onInput={(e) => setQty(l.product.id, Number(e.currentTarget.value))}
                  />
                  <button type="button" class="link" onClick={() => setLines(lines.filter((x) => x !== l))}>
                    {t('corder.remove')}
                  </button>
                </span>
              </div>
              {l.promos.length ? <p class="promo">{t('corder.promotions', { p: l.promos.map((p) => p.name).join('、') })}</p> : null}
            </li>
          ))}
        </ul>
        {lines.length ? (
          <p class="muted">
            {t('corder.subtotal', { v: fmtMoney(subtotal) })} · {t('corder.promoNote')}
          </p>
        ) : null}
        {customer ? null : (
          <Field id="co-cphone" label={t('corder.customerPhone')}>
            <input id="co-cphone" inputMode="tel" required maxLength={24} value={ship.customerPhone} onInput={set('customerPhone')} />
          </Field>
        )}
        <Field id="co-name" label={t('corder.shipName')}>
          <input id="co-name" maxLength={100} value={ship.name} onInput={set('name')} />
        </Field>
        <Field id="co-sphone" label={t('corder.shipPhone')}>
          <input id="co-sphone" inputMode="tel" maxLength={24} value={ship.phone} onInput={set('phone')} />
        </Field>
        <Field id="co-address" label={t('corder.shipAddress')}>
          <textarea id="co-address" rows={2} required maxLength={500} value={ship.address} onInput={set('address')} />
        </Field>
        <Field id="co-note" label={t('corder.note')}>
          <input id="co-note" maxLength={2000} value={ship.note} onInput={set('note')} />
        </Field>
        <Messages error={error} />
        <p class="ok" role="status" id="co-done">
          {placed
            ? t('corder.done', { n: placed.number, total: fmtMoney(placed.totalCents), discount: fmtMoney(placed.discountCents) })
            : ''}
        </p>
        {placed ? (
          <ul class="placed-lines">
            {placed.lines.map((l) => (
              <li key={`${l.productId}-${l.gift}`}>
                {l.name} × {l.qty}
                {l.gift ? ` (${t('corder.gift')})` : ''}
                {l.discountCents ? ` −${fmtMoney(l.discountCents)}` : ''}
              </li>
            ))}
          </ul>
        ) : null}
        <button type="submit" disabled={busy || lines.length === 0}>
          {t('corder.submit')}
        </button>
      </form>
    </section>
  );
}
