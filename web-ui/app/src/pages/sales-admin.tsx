/**
 * 销售管理 / Sales admin (`/sales`, products.read): three tabs over the sales records that the
 * orders and products pages do not show — 促销 promotions (`/sales`, promotions.tsx), 要货 stock
 * requests to the head office (`/sales/stock`, stock-requests.tsx) and 销售目标 monthly targets for
 * the shop and each person (`/sales/targets`, sales-targets.tsx). Agents read them; owners and
 * supervisors (products.write) also create, edit and move them.
 */
import './records.css';
import type { Session } from '../api.js';
import { t } from '../i18n.js';
import { useSubPath } from '../nav.js';
import { RecordTabs } from '../record-list.js';
import { useProducts } from './product-names.js';
import { Promotions } from './promotions.js';
import { SalesTargets } from './sales-targets.js';
import { StockRequests } from './stock-requests.js';

const TABS = [
  { sub: '', label: 'salesAdmin.promotions' },
  { sub: 'stock', label: 'salesAdmin.stock' },
  { sub: 'targets', label: 'salesAdmin.targets' },
] as const;

export function SalesAdminPage({ session }: { session: Session }) {
  const [sub = ''] = useSubPath();
  const products = useProducts();
  const tab = TABS.find((x) => x.sub === sub) ?? TABS[0];
  return (
    <main class="page sales-admin">
      <h1>{t('salesAdmin.title')}</h1>
      <RecordTabs
        page="sales"
        label={t('salesAdmin.title')}
        tabs={TABS.map((x) => ({ sub: x.sub, label: t(x.label) }))}
        current={tab.sub}
      />
      {tab.sub === '' ? (
        <Promotions key="p" session={session} products={products} />
      ) : tab.sub === 'stock' ? (
        <StockRequests key="s" session={session} products={products} />
      ) : (
        <SalesTargets key="t" session={session} />
      )}
    </main>
  );
}
