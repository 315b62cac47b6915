/**
 * A list of plain records over one REST resource (docs/api.md): `GET <endpoint>?limit=&offset=`
 * → one page `{ items, total }` on the ListPage (the box pages every such list), `POST <endpoint>` to create, `PATCH <endpoint>/<id>` with the version
 * read to change, `DELETE <endpoint>/<id>` (asked twice, unless `confirmDelete` is null: no
 * delete) — the form, edit, delete and the page's own row actions only for who may write. Ids: `<base>-new`, `<base>-form`, `<base>-done`, `<base>-filters`,
 * table `<base>s`, rows `data-<base>`.
 */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { t } from './i18n.js';
import type { ComponentChildren } from 'preact';
import { type Column, type FilterDef, type FilterValues, ListPage, useList } from './list-page.js';
import { navigate } from './nav.js';
import { ConfirmButton, type FieldDef, RecordBar, RecordForm, useEditing } from './record-form.js';
import type { FormValues } from './record-values.js';
import { errText, qs } from './ui.js';

interface Rec {
  id: string;
  /** Sent back with a change (409 when stale); a resource without versions (ticket categories) has none. */
  version?: number;
}

const NO_FILTERS: FilterValues = {};

export function RecordList<T extends Rec>(p: {
  endpoint: string;
  base: string;
  canWrite: boolean;
  newLabel: string;
  editTitle: (x: T) => string;
  /** The filters and their first values (default: none). */
  initialFilters?: FilterValues;
  filters?: readonly FilterDef[];
  /** The list's query parameters from the filters (default: as they are). */
  query?: (f: FilterValues) => Record<string, string | undefined>;
  count: (n: number) => string;
  columns: readonly Column<T>[];
  fields: (v: FormValues, editing: T | 'new') => readonly FieldDef[];
  valuesOf: (x: T | null) => FormValues;
  toBody: (v: FormValues, editing: T | 'new') => Record<string, unknown>;
  /** The delete button's second click (says what goes with it); null: the resource has no DELETE. */
  confirmDelete: string | null;
  /** More buttons of a row; `act(fn, done)` runs a change, shows its error or `done`, reloads. */
  rowActions?: (x: T, act: (fn: () => Promise<unknown>, done: string) => void) => ComponentChildren;
  /** The page's own words for an error of the box when saving (RecordForm `explain`). */
  explain?: (err: unknown) => string | null;
  /** Loads the list again, keeping its filters, page and open form, when this changes (a change made beside it). */
  refresh?: unknown;
  /** Below the list, given the filters it shows and its page (changes on each reload). */
  after?: (applied: FilterValues, page: unknown) => ComponentChildren;
}) {
  const limit = 50;
  const { editing, open, close, done, setDone, finish } = useEditing<T>();
  const [error, setError] = useState('');
  const list = useList<T>({
    initial: p.initialFilters ?? NO_FILTERS,
    limit,
    urlSync: true,
    refresh: p.refresh,
    load: (f, offset, lim) => api.get(`${p.endpoint}${qs({ ...(p.query ? p.query(f) : f), limit: lim, offset: offset || undefined })}`),
  });
  const at = (x: T) => `${p.endpoint}/${encodeURIComponent(x.id)}`;
  const act = async (fn: () => Promise<unknown>, message: string) => {
    setError('');
    setDone('');
    try {
      await fn();
      setDone(message);
      list.reload();
    } catch (err) {
      setError(errText(err));
    }
  };
  const remove = (x: T) =>
    act(async () => {
      await api.delete(at(x));
      if (editing !== 'new' && editing?.id === x.id) close();
    }, t('form.deleted'));
  const form =
    editing !== null ? (
      <RecordForm
        key={editing === 'new' ? 'new' : editing.id}
        id={`${p.base}-form`}
        title={editing === 'new' ? p.newLabel : p.editTitle(editing)}
        initial={p.valuesOf(editing === 'new' ? null : editing)}
        fields={(v) => p.fields(v, editing)}
        toBody={(v) => (editing === 'new' ? p.toBody(v, editing) : { ...p.toBody(v, editing), version: editing.version })}
        save={(body) => (editing === 'new' ? api.post(p.endpoint, body) : api.patch(at(editing), body))}
        onSaved={finish(t('ui.saved'), list.reload)}
        onCancel={close}
        explain={p.explain}
      />
    ) : null;
  const actions: Column<T> = {
    label: <span class="visually-hidden">{t('ui.edit')}</span>,
    cell: (x) => (
      <span class="record-actions">
        <button type="button" class="link" onClick={() => open(x)}>
          {t('ui.edit')}
        </button>
        {p.rowActions?.(x, (fn, message) => void act(fn, message))}
        {p.confirmDelete !== null ? (
          <ConfirmButton label={t('form.delete')} confirm={p.confirmDelete} onConfirm={() => void remove(x)} />
        ) : null}
      </span>
    ),
  };
  return (
    <>
      <ListPage
        list={list}
        limit={limit}
        before={
          <RecordBar
            newId={`${p.base}-new`}
            newLabel={p.newLabel}
            onNew={p.canWrite ? () => open('new') : undefined}
            form={form}
            error={error}
            done={done}
            doneId={`${p.base}-done`}
          />
        }
        filterId={`${p.base}-filters`}
        idPrefix={`${p.base}-f`}
        filters={p.filters ?? []}
        submitLabel={t('ui.filter')}
        count={p.count}
        tableId={`${p.base}s`}
        rowKey={(x) => x.id}
        rowProps={(x) => ({ [`data-${p.base}`]: x.id })}
        columns={p.canWrite ? [...p.columns, actions] : p.columns}
      />
      {p.after?.(list.applied, list.page)}
    </>
  );
}

/** A page's tabs as links (`/<page>` and `/<page>/<sub>`): the current one pressed. */
export function RecordTabs({
  page,
  label,
  tabs,
  current,
}: {
  page: string;
  label: string;
  tabs: readonly { sub: string; label: ComponentChildren }[];
  current: string;
}) {
  return (
    <nav class="record-tabs" aria-label={label}>
      {tabs.map((x) => {
        const href = `/${page}${x.sub ? `/${x.sub}` : ''}`;
        return (
          <a
            key={x.sub}
            href={href}
            class={x.sub === current ? 'button' : 'button secondary'}
            aria-current={x.sub === current ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(href);
            }}
          >
            {x.label}
          </a>
        );
      })}
    </nav>
  );
}
