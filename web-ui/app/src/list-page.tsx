/**
 * One list page for the back-office records: a filter bar described as data (text, search, date, month, select, tick), the table (columns
 * with a cell renderer each), its loading / empty / error states and the pager, over any list
 * endpoint. `load(filters, offset, limit)` gives a page `{ items, total? }`: with `total` (the
 * `{ items, total }` of docs/api.md) the pager knows the last page; without it (e.g. `/calls`) a
 * full page means there may be more. The filters apply on submit (the draft is edited meanwhile),
 * paging keeps them; with `urlSync` they and the offset live in the address's query string too, so
 * a reload or a shared link shows the same list.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { t } from './i18n.js';
import { errText, Field, Messages, Pager, qs } from './ui.js';

export type FilterValues = Record<string, string | boolean>;

interface FilterBase {
  /** The key in the filter values; the control's id is `<idPrefix>-<key>` unless `id` names it. */
  key: string;
  id?: string;
  label: string;
}
export type FilterDef = FilterBase &
  (
    | {
        kind: 'text' | 'search' | 'date' | 'month';
        maxLength?: number;
        pattern?: string;
        inputMode?: 'tel' | 'numeric' | 'decimal';
        placeholder?: string;
      }
    | {
        kind: 'select';
        options: readonly { value: string; label: string }[];
        /** Applies the filters (as typed) as soon as it changes, without the submit. */
        instant?: boolean;
      }
    | { kind: 'check' }
  );

export interface Column<T> {
  label: ComponentChildren;
  /** Hidden on a phone screen (ui.css `table.list .wide`). */
  wide?: boolean;
  /** Right-aligned numbers (money). */
  num?: boolean;
  cell: (item: T) => ComponentChildren;
  /** The cell's class (e.g. a status colour). */
  cellClass?: (item: T) => string;
}

export interface ListResult<T> {
  items: T[];
  /** Every match (paging to the last page); absent: a full page means there may be more. */
  total?: number;
}

export interface ListState<T> {
  draft: FilterValues;
  setDraft: (f: FilterValues) => void;
  /** The filters the shown list was loaded with. */
  applied: FilterValues;
  apply: (f: FilterValues) => void;
  offset: number;
  setOffset: (o: number) => void;
  page: ListResult<T> | null;
  error: string;
  loading: boolean;
  reload: () => void;
}

/** Draft and applied filters, offset, the loaded page and its error; `urlSync` mirrors them in `location.search`. */
export function useList<T>(opts: {
  initial: FilterValues;
  limit: number;
  load: (f: FilterValues, offset: number, limit: number) => Promise<ListResult<T>>;
  urlSync?: boolean;
  /** Loading waits while this is false (e.g. a record's page is shown instead). */
  active?: boolean;
  /** The session ended (401): the shell asks for a sign-in again. */
  onAuthLost?: () => void;
  /** Loads again (same filters and page) when this changes: a change made beside the list. */
  refresh?: unknown;
}): ListState<T> {
  const start = () => (opts.urlSync ? fromUrl(opts.initial) : { f: opts.initial, offset: 0 });
  const [first] = useState(start);
  const [draft, setDraft] = useState<FilterValues>(first.f);
  const [applied, setApplied] = useState<FilterValues>(first.f);
  const [offset, setOffset] = useState(first.offset);
  const [page, setPage] = useState<ListResult<T> | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const active = opts.active ?? true;
  useEffect(() => {
    if (!active) return;
    let live = true;
    setError('');
    setLoading(true);
    if (opts.urlSync)
      history.replaceState(history.state, '', `${location.pathname}${qs({ ...withoutFalse(applied), offset: offset || undefined })}`);
    opts.load(applied, offset, opts.limit).then(
      (r) => {
        if (!live) return;
        setPage(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) opts.onAuthLost?.();
        setError(errText(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [applied, offset, tick, active, opts.refresh]);
  const apply = (f: FilterValues) => {
    setDraft(f);
    setApplied(f);
    setOffset(0);
  };
  return { draft, setDraft, applied, apply, offset, setOffset, page, error, loading, reload: () => setTick((n) => n + 1) };
}

/** Unticked boxes are left out of a query string. */
export function withoutFalse(f: FilterValues): Record<string, string | true | undefined> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === false ? undefined : v]));
}

/** The filters (keys of `initial` only, booleans as "true") and the offset from the address. */
function fromUrl(initial: FilterValues): { f: FilterValues; offset: number } {
  const p = new URLSearchParams(location.search);
  const f: FilterValues = { ...initial };
  for (const [k, v] of Object.entries(initial)) {
    const got = p.get(k);
    if (got !== null) f[k] = typeof v === 'boolean' ? got === 'true' : got;
  }
  const offset = Number(p.get('offset') ?? 0);
  return { f, offset: Number.isInteger(offset) && offset > 0 ? offset : 0 };
}

/** The filter form: one field per description, the submit button and an optional reset. */
export function FilterBar({
  id,
  idPrefix,
  defs,
  list,
  submitLabel,
  reset,
  trim,
  extraClass,
}: {
  id: string;
  idPrefix: string;
  defs: readonly FilterDef[];
  list: Pick<ListState<unknown>, 'draft' | 'setDraft' | 'apply'>;
  submitLabel: string;
  /** Values the reset button restores (no button without). */
  reset?: FilterValues;
  /** Trim the text fields when applying. */
  trim?: boolean;
  /** More classes of the form (besides `card filters`). */
  extraClass?: string;
}) {
  const { draft, setDraft } = list;
  const set = (k: string) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    const f = { ...draft };
    if (trim) for (const [k, v] of Object.entries(f)) if (typeof v === 'string') f[k] = v.trim();
    list.apply(f);
  };
  return (
    <form class={extraClass ? `card filters ${extraClass}` : 'card filters'} id={id} onSubmit={submit} aria-label={t('ui.filter')}>
      {defs.map((d) => {
        const cid = d.id ?? `${idPrefix}-${d.key}`;
        const value = draft[d.key];
        if (d.kind === 'check')
          return (
            <label class="check" key={d.key}>
              <input
                id={cid}
                type="checkbox"
                checked={value === true}
                onChange={(e) => setDraft({ ...draft, [d.key]: e.currentTarget.checked })}
              />
              {d.label}
            </label>
          );
        return (
          <Field key={d.key} id={cid} label={d.label}>
            {d.kind === 'select' ? (
              <select
                id={cid}
                value={String(value ?? '')}
                onChange={(e) => {
                  const next = { ...draft, [d.key]: e.currentTarget.value };
                  if (d.instant) list.apply(next);
                  else setDraft(next);
                }}
              >
                {d.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={cid}
                // one of text / search / date / month: preact types each input type apart
                type={d.kind as 'text'}
                value={String(value ?? '')}
                maxLength={d.maxLength}
                pattern={d.pattern}
                inputMode={d.inputMode}
                placeholder={d.placeholder}
                onInput={set(d.key)}
              />
            )}
          </Field>
        );
      })}
      <div class="actions">
        <button type="submit">{submitLabel}</button>
        {reset ? (
          <button type="button" class="secondary" onClick={() => list.apply(reset)}>
            {t('ui.reset')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The table of a page of items; `rowProps` gives each row's attributes (a `data-*` id, aria-current). */
export function ListTable<T>({
  id,
  columns,
  items,
  rowKey,
  rowProps,
}: {
  id: string;
  columns: readonly Column<T>[];
  items: readonly T[];
  rowKey: (item: T) => string;
  rowProps?: (item: T) => Record<string, string | undefined>;
}) {
  const cls = (c: Column<T>, extra = '') => [c.wide ? 'wide' : '', c.num ? 'num' : '', extra].filter(Boolean).join(' ') || undefined;
  return (
    <div class="table-wrap">
      <table class="list" id={id}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th scope="col" key={i} class={cls(c)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={rowKey(x)} {...(rowProps?.(x) ?? {})}>
              {columns.map((c, i) => (
                <td key={i} class={cls(c, c.cellClass?.(x))}>
                  {c.cell(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A whole list: the filter bar, the error, the count line, the table, "nothing here" and the
 * pager. `before` goes above the filters (a toolbar), `detail` between the count and the table.
 */
export function ListPage<T>(p: {
  list: ListState<T>;
  limit: number;
  filterId: string;
  idPrefix: string;
  filters: readonly FilterDef[];
  submitLabel: string;
  reset?: FilterValues;
  trim?: boolean;
  tableId: string;
  columns: readonly Column<T>[];
  rowKey: (item: T) => string;
  rowProps?: (item: T) => Record<string, string | undefined>;
  /** The count line from the total (none when the endpoint gives no total), with `countId` its id. */
  count?: (total: number) => string;
  countId?: string;
  /** What an empty list says (default 没有记录). */
  empty?: string;
  filterClass?: string;
  before?: ComponentChildren;
  detail?: ComponentChildren;
}) {
  const { list, limit } = p;
  const { page, offset } = list;
  const more = page ? (page.total !== undefined ? offset + limit < page.total : page.items.length === limit) : false;
  return (
    <>
      {p.before}
      {p.filters.length > 0 ? (
        <FilterBar
          id={p.filterId}
          idPrefix={p.idPrefix}
          defs={p.filters}
          list={list}
          submitLabel={p.submitLabel}
          reset={p.reset}
          trim={p.trim}
          extraClass={p.filterClass}
        />
      ) : null}
      <Messages error={list.error} />
      {page && p.count && page.total !== undefined ? (
        <p class="muted" id={p.countId} role={p.countId ? 'status' : undefined}>
          {p.count(page.total)}
        </p>
      ) : null}
      {p.detail}
      <ListTable id={p.tableId} columns={p.columns} items={page?.items ?? []} rowKey={p.rowKey} rowProps={p.rowProps} />
      {list.loading && !page ? <p class="muted">{t('ui.loading')}</p> : null}
      {page && page.items.length === 0 ? <p class="muted">{p.empty ?? t('ui.empty')}</p> : null}
      <Pager offset={offset} limit={limit} more={more} onPage={list.setOffset} />
    </>
  );
}
