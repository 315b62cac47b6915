/**
 * 商品 / Products (`/products`, products.read; editing with products.write): the catalog with
 * search and an on-sale filter, featured (主推) first; add or edit a product — name, spec, SKU,
 * price and cost typed in yuan (¥, the API keeps cents), on sale, featured. Edits send the
 * version read, so a product changed meanwhile is refused (409) instead of overwritten.
 */
import './records.css';
import './products.css';
import { useEffect, useState } from 'preact/hooks';
import type { Product } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { fmtMoney, t } from '../i18n.js';
import { parseYuan, yuanText } from './sales-data.js';

type ActiveFilter = '' | 'true' | 'false';
interface Draft {
  id: string | null;
  version: number | null;
  name: string;
  spec: string;
  sku: string;
  price: string;
  cost: string;
  active: boolean;
  featured: boolean;
}

const EMPTY: Draft = { id: null, version: null, name: '', spec: '', sku: '', price: '', cost: '', active: true, featured: false };

function draftOf(p: Product): Draft {
  return {
    id: p.id,
    version: p.version,
    name: p.name,
    spec: p.spec,
    sku: p.sku ?? '',
    price: yuanText(p.priceCents),
    cost: yuanText(p.costCents),
    active: p.active,
    featured: p.featured,
  };
}

function ProductForm({ draft, onSaved, onCancel }: { draft: Draft; onSaved: (p: Product) => void; onCancel: () => void }) {
  const [d, setD] = useState(draft);
  const [error, setError] = useState('');
  useEffect(() => setD(draft), [draft]);
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    const priceCents = parseYuan(d.price);
    const costCents = parseYuan(d.cost);
    if (priceCents === null) return setError(t('products.badMoney', { field: t('products.price') }));
    if (costCents === null) return setError(t('products.badMoney', { field: t('products.cost') }));
    const body = {
      name: d.name.trim(),
      spec: d.spec.trim(),
      sku: d.sku.trim() || null,
      priceCents,
      costCents,
      active: d.active,
      featured: d.featured,
    };
    try {
      const p = d.id
        ? await api.patch<Product>(`/api/v1/products/${encodeURIComponent(d.id)}`, { ...body, version: d.version })
        : await api.post<Product>('/api/v1/products', body);
      onSaved(p);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const field = (k: 'name' | 'spec' | 'sku' | 'price' | 'cost') => (e: Event) =>
    setD({ ...d, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <form class="card stack product-form" id="product-form" onSubmit={save} aria-labelledby="h-product">
      <h2 id="h-product">{d.id ? t('products.editTitle', { name: draft.name }) : t('products.new')}</h2>
      <label for="p-name">{t('products.name')}</label>
      <input id="p-name" required maxLength={200} value={d.name} onInput={field('name')} />
      <label for="p-spec">{t('products.spec')}</label>
      <input id="p-spec" maxLength={500} value={d.spec} onInput={field('spec')} />
      <label for="p-sku">{t('products.sku')}</label>
      <input id="p-sku" maxLength={64} value={d.sku} onInput={field('sku')} />
      <div class="money-pair">
        <div class="stack">
          <label for="p-price">{t('products.price')} (¥)</label>
          <input id="p-price" inputMode="decimal" required value={d.price} onInput={field('price')} aria-describedby="p-money-hint" />
        </div>
        <div class="stack">
          <label for="p-cost">{t('products.cost')} (¥)</label>
          <input id="p-cost" inputMode="decimal" required value={d.cost} onInput={field('cost')} aria-describedby="p-money-hint" />
        </div>
      </div>
      <p class="muted small" id="p-money-hint">
        {t('products.yuanHint')}
      </p>
      <label class="check">
        <input type="checkbox" id="p-active" checked={d.active} onChange={(e) => setD({ ...d, active: e.currentTarget.checked })} />
        {t('products.active')}
      </label>
      <label class="check">
        <input type="checkbox" id="p-featured" checked={d.featured} onChange={(e) => setD({ ...d, featured: e.currentTarget.checked })} />
        {t('products.featured')}
      </label>
      <p class="error" role="alert" id="product-error">
        {error}
      </p>
      <div class="row">
        <button type="submit">{t('products.save')}</button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('products.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ProductsPage({ session }: { session: Session }) {
  const canWrite = session.permissions.includes('products.write');
  const [items, setItems] = useState<Product[]>([]);
  const [q, setQ] = useState('');
  const [active, setActive] = useState<ActiveFilter>('');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () => {
    const p = new URLSearchParams({ limit: '200' });
    if (q.trim()) p.set('q', q.trim());
    if (active) p.set('active', active);
    return api.get<{ items: Product[] }>(`/api/v1/products?${p}`).then(
      (r) => setItems(r.items),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  useEffect(() => {
    void load();
  }, [active]);
  const saved = (p: Product) => {
    setDraft(null);
    setDone(t('products.saved', { name: p.name }));
    void load();
  };
  return (
    <main class="page products">
      <h1>{t('products.title')}</h1>
      <form
        class="row rec-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label for="p-q">{t('products.search')}</label>
        <input
          id="p-q"
          type="search"
          value={q}
          placeholder={t('products.searchPlaceholder')}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <label for="p-active-filter">{t('products.active')}</label>
        <select id="p-active-filter" value={active} onChange={(e) => setActive(e.currentTarget.value as ActiveFilter)}>
          <option value="">{t('products.all')}</option>
          <option value="true">{t('products.onSale')}</option>
          <option value="false">{t('products.offSale')}</option>
        </select>
        <button type="submit">{t('search')}</button>
        {canWrite ? (
          <button type="button" class="secondary" id="product-new" onClick={() => setDraft({ ...EMPTY })}>
            {t('products.new')}
          </button>
        ) : null}
      </form>
      <p class="error" role="alert">
        {error}
      </p>
      <p class="ok" role="status" id="products-done">
        {done}
      </p>
      {draft ? <ProductForm draft={draft} onSaved={saved} onCancel={() => setDraft(null)} /> : null}
      <div class="table-wrap">
        <table class="calls" id="products">
          <thead>
            <tr>
              <th scope="col">{t('products.name')}</th>
              <th scope="col">{t('products.spec')}</th>
              <th scope="col" class="num">
                {t('products.price')}
              </th>
              <th scope="col" class="num">
                {t('products.cost')}
              </th>
              <th scope="col">{t('state')}</th>
              {canWrite ? <th scope="col">{t('products.edit')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  {t('products.none')}
                </td>
              </tr>
            ) : null}
            {items.map((p) => (
              <tr key={p.id} data-product={p.id}>
                <td>
                  {p.name}
                  {p.featured ? <span class="tag featured">{t('products.featured')}</span> : null}
                  {p.sku ? <div class="muted small">{p.sku}</div> : null}
                </td>
                <td>{p.spec}</td>
                <td class="num">{fmtMoney(p.priceCents)}</td>
                <td class="num">{fmtMoney(p.costCents)}</td>
                <td>{p.active ? t('products.onSale') : <span class="muted">{t('products.offSale')}</span>}</td>
                {canWrite ? (
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() => {
                        setDone('');
                        setDraft(draftOf(p));
                      }}
                      aria-label={`${t('products.edit')} ${p.name}`}
                    >
                      {t('products.edit')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
