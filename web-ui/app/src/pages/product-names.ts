/** The catalog for the sales admin tabs: every product (on sale or not) and a product's name by id. */
import { useEffect, useState } from 'preact/hooks';
import type { Product } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

/** The catalog's names, for the lists and the product pickers (every product, on sale or not). */
export function useProducts(): Product[] {
  const [products, setProducts] = useState<Product[]>([]);
  useEffect(() => {
    api.get<{ items: Product[] }>('/api/v1/products?limit=500').then(
      (r) => setProducts(r.items),
      () => undefined,
    );
  }, []);
  return products;
}

/** A product's name and spec, as the lists and pickers show it. */
export const productLabel = (p: Product): string => `${p.name}${p.spec ? ` ${p.spec}` : ''}`;

/** The picker's options, one per product. */
export const productOptions = (products: readonly Product[]) => products.map((p) => ({ value: p.id, label: productLabel(p) }));

export function productName(products: readonly Product[], id: string | null): string {
  if (id === null) return t('promo.allProducts');
  const p = products.find((x) => x.id === id);
  return p ? productLabel(p) : id;
}
