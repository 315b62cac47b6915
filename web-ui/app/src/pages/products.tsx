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
import { ListPage, useList } from '../list-page.js';
import { qs } from '../ui.js';
import { fmtMoney, t } from '../i18n.js';
import { parseYuan, yuanText } from './sales-data.js';

const LIMIT = 50;
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
  const [draft, setDraft] = useState<Draft | null>(null);
  const [done, setDone] = useState('');
  const list = useList<Product>({
    initial: { q: '', active: '' },
    limit: LIMIT,
    load: (f, offset, limit) =>
      api.get(`/api/v1/products${qs({ limit, offset: offset || undefined, q: String(f.q).trim(), active: f.active })}`),
  });
  const saved = (p: Product) => {
    setDraft(null);
    setDone(t('products.saved', { name: p.name }));
    list.reload();
  };
  return (
    <main class="page products">
      <h1>{t('products.title')}</h1>
      <ListPage
        list={list}
        limit={LIMIT}
        before={
          <>
            {canWrite ? (
              <div class="row toolbar">
                <button type="button" class="secondary" id="product-new" onClick={() => setDraft({ ...EMPTY })}>
                  {t('products.new')}
                </button>
              </div>
            ) : null}
            <p class="ok" role="status" id="products-done">
              {done}
            </p>
            {draft ? <ProductForm draft={draft} onSaved={saved} onCancel={() => setDraft(null)} /> : null}
          </>
        }
        filterId="product-filters"
        filterClass="rec-filters"
        idPrefix="p"
        filters={[
          { key: 'q', kind: 'search', label: t('products.search'), placeholder: t('products.searchPlaceholder') },
          {
            key: 'active',
            id: 'p-active-filter',
            kind: 'select',
            label: t('products.active'),
            instant: true,
            options: [
              { value: '', label: t('products.all') },
              { value: 'true', label: t('products.onSale') },
              { value: 'false', label: t('products.offSale') },
            ],
          },
        ]}
        submitLabel={t('search')}
        empty={t('products.none')}
        tableId="products"
        rowKey={(p) => p.id}
        rowProps={(p) => ({ 'data-product': p.id })}
        columns={[
          {
            label: t('products.name'),
            cell: (p) => (
              <>
                {p.name}
                {p.featured ? <span class="tag featured">{t('products.featured')}</span> : null}
                {p.sku ? <div class="muted small">{p.sku}</div> : null}
              </>
            ),
          },
          { label: t('products.spec'), cell: (p) => p.spec },
          { label: t('products.price'), num: true, cell: (p) => fmtMoney(p.priceCents) },
          { label: t('products.cost'), num: true, cell: (p) => fmtMoney(p.costCents) },
          { label: t('state'), cell: (p) => (p.active ? t('products.onSale') : <span class="muted">{t('products.offSale')}</span>) },
          ...(canWrite
            ? [
                {
                  label: t('products.edit'),
                  cell: (p: Product) => (
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
                  ),
                },
              ]
            : []),
        ]}
      />
    </main>
  );
}
