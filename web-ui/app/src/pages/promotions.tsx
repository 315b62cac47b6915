/**
 * 促销 / Promotions tab of 销售管理 (`/sales`): the promotions (newest first; in force now or all;
 * one product's and the shop-wide ones), each with its rule in words (9折, 立减, 买二送一, 赠品),
 * product, window and state; with products.write a new one or an edit (the rule's fields follow
 * its kind; errors such as `rule.pct` beside their field) and 停用 / 启用. Rules:
 * docs/api/sales.md#promotions.
 */
import type { Product, Promotion, PromotionKind, PromotionRule } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtMoney, type Key, t } from '../i18n.js';
import type { FieldDef } from '../record-form.js';
import { cents, FieldError, type FormValues, fromLocalInput, localInput, whole } from '../record-values.js';
import { RecordList } from '../record-list.js';
import { productName, productOptions } from './product-names.js';

const KINDS: readonly PromotionKind[] = ['percent_off', 'amount_off', 'buy_n_percent', 'buy_n_get_m', 'gift'];
/** The rule's fields each kind uses (docs/api/sales.md). */
const RULE_FIELDS: Record<PromotionKind, readonly string[]> = {
  percent_off: ['pct'],
  amount_off: ['amount'],
  buy_n_percent: ['n', 'pct'],
  buy_n_get_m: ['n', 'm'],
  gift: ['giftProductId', 'giftQty'],
};

/** The rule in words: 减 10%, 每件减 ¥5.00, 满 2 件减 20%, 买 2 送 1, 赠 保温杯 × 1; "(至少 3 件)". */
export function ruleText(p: Pick<Promotion, 'kind' | 'rule'>, products: readonly Product[]): string {
  const r = p.rule;
  const main =
    p.kind === 'percent_off'
      ? t('promo.rule.percent_off', { pct: r.pct ?? 0 })
      : p.kind === 'amount_off'
        ? t('promo.rule.amount_off', { amount: fmtMoney(r.amountCents ?? 0) })
        : p.kind === 'buy_n_percent'
          ? t('promo.rule.buy_n_percent', { n: r.n ?? 0, pct: r.pct ?? 0 })
          : p.kind === 'buy_n_get_m'
            ? t('promo.rule.buy_n_get_m', { n: r.n ?? 0, m: r.m ?? 0 })
            : t('promo.rule.gift', { product: productName(products, r.giftProductId ?? null), qty: r.giftQty ?? 1 });
  return r.minQty && r.minQty > 1 ? `${main}${t('promo.rule.minQty', { n: r.minQty })}` : main;
}

function valuesOf(p: Promotion | null): FormValues {
  const r = p?.rule ?? {};
  return {
    name: p?.name ?? '',
    kind: p?.kind ?? 'percent_off',
    pct: r.pct !== undefined ? String(r.pct) : '',
    amount: r.amountCents !== undefined ? (r.amountCents / 100).toFixed(2) : '',
    n: r.n !== undefined ? String(r.n) : '',
    m: r.m !== undefined ? String(r.m) : '',
    giftProductId: r.giftProductId ?? '',
    giftQty: String(r.giftQty ?? 1),
    minQty: String(r.minQty ?? 1),
    productId: p?.productId ?? '',
    startsAt: localInput(p?.startsAt ?? null),
    endsAt: localInput(p?.endsAt ?? null),
    active: p?.active ?? true,
  };
}

function bodyOf(v: FormValues): Record<string, unknown> {
  const kind = v.kind as PromotionKind;
  const uses = RULE_FIELDS[kind];
  const rule: PromotionRule = { minQty: whole(v, 'minQty', 1, 1_000_000) };
  if (uses.includes('pct')) {
    const pct = Number(String(v.pct).trim());
    if (!String(v.pct).trim() || !Number.isFinite(pct)) throw new FieldError('pct', 'promo.badPct');
    rule.pct = pct;
  }
  if (uses.includes('amount')) rule.amountCents = cents(v, 'amount');
  if (uses.includes('n')) rule.n = whole(v, 'n', 1, 1_000_000);
  if (uses.includes('m')) rule.m = whole(v, 'm', 1, 1_000_000);
  if (uses.includes('giftProductId')) {
    if (!v.giftProductId) throw new FieldError('giftProductId', 'promo.pickGift');
    rule.giftProductId = String(v.giftProductId);
    rule.giftQty = whole(v, 'giftQty', 1, 1_000_000);
  }
  return {
    name: String(v.name).trim(),
    kind,
    rule,
    productId: v.productId || null,
    startsAt: fromLocalInput(v.startsAt),
    endsAt: fromLocalInput(v.endsAt),
    active: v.active === true,
  };
}

function fields(v: FormValues, products: readonly Product[]): FieldDef[] {
  const options = productOptions(products);
  const uses = RULE_FIELDS[v.kind as PromotionKind] ?? [];
  const rule: FieldDef[] = [
    { key: 'pct', label: t('promo.pct'), kind: 'number', min: 0, max: 100, apiFields: ['rule.pct'], hint: t('promo.pctHint') },
    { key: 'amount', label: t('promo.amount'), kind: 'yuan', apiFields: ['rule.amountCents'] },
    { key: 'n', label: t('promo.n'), kind: 'number', min: 1, apiFields: ['rule.n'] },
    { key: 'm', label: t('promo.m'), kind: 'number', min: 1, apiFields: ['rule.m'] },
    {
      key: 'giftProductId',
      label: t('promo.giftProduct'),
      kind: 'select',
      options: [{ value: '', label: '—' }, ...options],
      apiFields: ['rule.giftProductId'],
    },
    { key: 'giftQty', label: t('promo.giftQty'), kind: 'number', min: 1, apiFields: ['rule.giftQty'] },
  ];
  return [
    { key: 'name', label: t('promo.name'), kind: 'text', required: true, maxLength: 100 },
    { key: 'kind', label: t('promo.kind'), kind: 'select', options: KINDS.map((k) => ({ value: k, label: t(`promo.kind.${k}` as Key) })) },
    ...rule.filter((f) => uses.includes(f.key)),
    { key: 'minQty', label: t('promo.minQty'), kind: 'number', min: 1, apiFields: ['rule.minQty'] },
    {
      key: 'productId',
      label: t('promo.product'),
      kind: 'select',
      options: [{ value: '', label: t('promo.allProducts') }, ...options],
    },
    { key: 'startsAt', label: t('promo.startsAt'), kind: 'datetime' },
    { key: 'endsAt', label: t('promo.endsAt'), kind: 'datetime' },
    { key: 'active', label: t('promo.active'), kind: 'check' },
  ];
}

export function Promotions({ session, products }: { session: Session; products: readonly Product[] }) {
  return (
    <RecordList<Promotion>
      endpoint="/api/v1/promotions"
      base="promotion"
      canWrite={session.permissions.includes('products.write')}
      newLabel={t('promo.new')}
      editTitle={(p) => t('promo.edit', { name: p.name })}
      confirmDelete={null}
      rowActions={(p, act) => (
        <button
          type="button"
          class="link"
          onClick={() =>
            act(
              () => api.patch(`/api/v1/promotions/${encodeURIComponent(p.id)}`, { active: !p.active, version: p.version }),
              t(p.active ? 'promo.stopped' : 'promo.started', { name: p.name }),
            )
          }
        >
          {p.active ? t('promo.stop') : t('promo.start')}
        </button>
      )}
      initialFilters={{ activeAt: '', productId: '' }}
      filters={[
        {
          key: 'activeAt',
          kind: 'select',
          label: t('promo.show'),
          options: [
            { value: '', label: t('ui.all') },
            { value: 'now', label: t('promo.inForce') },
          ],
        },
        {
          key: 'productId',
          kind: 'select',
          label: t('promo.product'),
          options: [{ value: '', label: t('ui.all') }, ...productOptions(products)],
        },
      ]}
      count={(n) => t('promo.count', { n })}
      columns={[
        { label: t('promo.name'), cell: (p) => p.name },
        { label: t('promo.rule'), cell: (p) => ruleText(p, products) },
        { label: t('promo.product'), wide: true, cell: (p) => productName(products, p.productId) },
        {
          label: t('promo.window'),
          wide: true,
          cell: (p) =>
            p.startsAt || p.endsAt
              ? `${p.startsAt ? fmtDateTime(p.startsAt) : '…'} – ${p.endsAt ? fmtDateTime(p.endsAt) : '…'}`
              : t('promo.always'),
        },
        {
          label: t('promo.state'),
          cell: (p) => <span class={`status ${p.active ? 'good' : 'bad'}`}>{p.active ? t('promo.on') : t('promo.off')}</span>,
        },
      ]}
      fields={(v) => fields(v, products)}
      valuesOf={valuesOf}
      toBody={bodyOf}
    />
  );
}
