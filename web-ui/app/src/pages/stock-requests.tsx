/**
 * 要货 / Stock requests tab of 销售管理 (`/sales/stock`): what the shop asked of the head office,
 * newest first, by status; with products.write a new request (product, quantity, note) and the
 * next step of its flow — requested → approved | rejected, approved → shipped (carrier and
 * tracking number) | rejected, shipped → received (docs/api/sales.md#stock-requests).
 */
import type { Product, StockRequest, StockRequestStatus } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, type Key, t } from '../i18n.js';
import { ListPage, useList } from '../list-page.js';
import { type FieldDef, RecordBar, RecordForm, useEditing } from '../record-form.js';
import { type FormValues, whole } from '../record-values.js';
import { qs } from '../ui.js';
import { productName, productOptions } from './product-names.js';
import { stockMoves } from './sales-data.js';

const LIMIT = 25;
const STATUSES: readonly StockRequestStatus[] = ['requested', 'approved', 'rejected', 'shipped', 'received'];
const TONE: Record<StockRequestStatus, string> = { requested: 'warn', approved: '', rejected: 'bad', shipped: '', received: 'good' };

const statusText = (s: StockRequestStatus) => t(`stock.status.${s}` as Key);

function newFields(products: readonly Product[]): FieldDef[] {
  return [
    {
      key: 'productId',
      label: t('stock.product'),
      kind: 'select',
      required: true,
      options: [{ value: '', label: '—' }, ...productOptions(products)],
    },
    { key: 'qty', label: t('stock.qty'), kind: 'number', required: true, min: 1, max: 1_000_000 },
    { key: 'note', label: t('stock.note'), kind: 'textarea', maxLength: 500 },
  ];
}

function moveFields(r: StockRequest, v: FormValues): FieldDef[] {
  const f: FieldDef[] = [
    {
      key: 'status',
      label: t('stock.moveTo'),
      kind: 'select',
      options: stockMoves(r.status).map((s) => ({ value: s, label: statusText(s) })),
    },
  ];
  if (v.status === 'shipped')
    f.push(
      { key: 'carrier', label: t('stock.carrier'), kind: 'text', maxLength: 64 },
      { key: 'trackingNo', label: t('stock.trackingNo'), kind: 'text', maxLength: 64 },
    );
  f.push({ key: 'note', label: t('stock.note'), kind: 'textarea', maxLength: 500 });
  return f;
}

export function StockRequests({ session, products }: { session: Session; products: readonly Product[] }) {
  const canWrite = session.permissions.includes('products.write');
  const { editing, open, close, done, finish } = useEditing<StockRequest>();
  const list = useList<StockRequest>({
    initial: { status: '' },
    limit: LIMIT,
    urlSync: true,
    load: (f, offset, limit) => api.get(`/api/v1/stock-requests${qs({ ...f, limit, offset: offset || undefined })}`),
  });
  const form =
    editing === 'new' ? (
      <RecordForm
        key="new"
        id="stock-form"
        title={t('stock.new')}
        initial={{ productId: '', qty: '', note: '' }}
        fields={() => newFields(products)}
        toBody={(v) => ({ productId: v.productId, qty: whole(v, 'qty', 1, 1_000_000), note: String(v.note).trim() })}
        save={(body) => api.post('/api/v1/stock-requests', body)}
        onSaved={finish(t('stock.requested'), list.reload)}
        onCancel={close}
      />
    ) : editing !== null ? (
      <RecordForm
        key={editing.id}
        id="stock-move"
        title={t('stock.moveTitle', { product: productName(products, editing.productId), qty: editing.qty })}
        initial={{ status: stockMoves(editing.status)[0] ?? '', carrier: '', trackingNo: '', note: '' }}
        fields={(v) => moveFields(editing, v)}
        toBody={(v) => {
          const body: Record<string, unknown> = { status: v.status, version: editing.version };
          if (v.status === 'shipped') Object.assign(body, { carrier: String(v.carrier).trim(), trackingNo: String(v.trackingNo).trim() });
          if (String(v.note).trim()) body.note = String(v.note).trim();
          return body;
        }}
        save={(body) => api.post(`/api/v1/stock-requests/${encodeURIComponent(editing.id)}/status`, body)}
        onSaved={finish(t('ui.saved'), list.reload)}
        onCancel={close}
      />
    ) : null;
  return (
    <ListPage
      list={list}
      limit={LIMIT}
      before={
        <RecordBar
          newId="stock-new"
          newLabel={t('stock.new')}
          onNew={canWrite ? () => open('new') : undefined}
          form={form}
          done={done}
          doneId="stock-done"
        />
      }
      filterId="stock-filters"
      idPrefix="sf"
      filters={[
        {
          key: 'status',
          kind: 'select',
          label: t('stock.status'),
          options: [{ value: '', label: t('ui.all') }, ...STATUSES.map((s) => ({ value: s, label: statusText(s) }))],
        },
      ]}
      submitLabel={t('ui.filter')}
      count={(n) => t('stock.count', { n })}
      tableId="stock-requests"
      rowKey={(r) => r.id}
      rowProps={(r) => ({ 'data-stock': r.id })}
      columns={[
        { label: t('stock.createdAt'), cell: (r) => fmtDateTime(r.createdAt) },
        { label: t('stock.product'), cell: (r) => productName(products, r.productId) },
        { label: t('stock.qty'), num: true, cell: (r) => fmtInt(r.qty) },
        { label: t('stock.status'), cell: (r) => <span class={`status ${TONE[r.status]}`}>{statusText(r.status)}</span> },
        {
          label: t('stock.shipment'),
          wide: true,
          cell: (r) => r.shipments.map((s) => `${s.carrier} ${s.trackingNo}`).join(', ') || t('noData'),
        },
        { label: t('stock.by'), wide: true, cell: (r) => r.requestedBy + (r.note ? ` · ${r.note}` : '') },
        ...(canWrite
          ? [
              {
                label: <span class="visually-hidden">{t('stock.handle')}</span>,
                cell: (r: StockRequest) =>
                  stockMoves(r.status).length > 0 ? (
                    <button type="button" class="link" onClick={() => open(r)}>
                      {t('stock.handle')}
                    </button>
                  ) : null,
              },
            ]
          : []),
      ]}
    />
  );
}
