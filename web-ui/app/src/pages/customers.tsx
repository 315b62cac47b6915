/**
 * 客户 / Customers: search (name, any digits of a phone, tag, notes) and a paged list; a customer's
 * page (/customers/<id>, customer-detail.tsx); a new customer (/customers/new); CSV import (a file
 * from Excel, UTF-8 or GBK: the box detects which) and export, for the roles that may.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Customer, CustomerImportReport } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, t } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { errText, Field, Messages, Pager, qs, useRun } from '../ui.js';
import { CustomerDetail } from './customer-detail.js';
import { CustomerForm } from './customer-form.js';
import './customers.css';

const LIMIT = 25;

function Import({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<CustomerImportReport | null>(null);
  const { error, busy, run } = useRun();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const r = await run(() => api.upload<CustomerImportReport>('/api/v1/customers/import', file, 'text/csv'));
    if (r) {
      setReport(r);
      onDone();
    }
  };
  return (
    <form class="card stack" id="customer-import" onSubmit={submit} aria-labelledby="h-import">
      <h2 id="h-import">{t('customers.import')}</h2>
      <p class="muted">{t('customers.importHint')}</p>
      <Field id="ci-file" label={t('customers.importFile')}>
        <input id="ci-file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </Field>
      <button type="submit" disabled={busy || !file}>
        {t('customers.import')}
      </button>
      <Messages error={error} />
      {report ? (
        <div role="status" id="import-report">
          <p class="ok">
            {t('customers.importDone', {
              enc: report.encoding.toUpperCase(),
              rows: report.rows,
              created: report.created,
              updated: report.updated,
              unchanged: report.unchanged,
              skipped: report.skipped.length,
            })}
          </p>
          <ul>
            {report.skipped.slice(0, 20).map((s) => (
              <li key={s.line}>{t('customers.skippedLine', { line: s.line, reason: s.reason })}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}

function CustomerList({ session }: { session: Session }) {
  const [draft, setDraft] = useState({ q: '', tag: '' });
  const [query, setQuery] = useState({ q: '', tag: '' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: Customer[]; total: number } | null>(null);
  const [error, setError] = useState('');
  const [importing, setImporting] = useState(false);
  const can = (p: string) => session.permissions.includes(p);
  const load = () =>
    api
      .get<{ items: Customer[]; total: number }>(`/api/v1/customers${qs({ ...query, limit: LIMIT, offset: offset || undefined })}`)
      .then(setPage, (e: unknown) => setError(errText(e)));
  useEffect(() => {
    setError('');
    void load();
  }, [query, offset]);
  return (
    <>
      <div class="row toolbar">
        {can('customers.write') ? (
          <a class="button" id="customer-new" href="/customers/new" onClick={onNav('/customers/new')}>
            {t('customers.new')}
          </a>
        ) : null}
        {can('customers.import') ? (
          <button type="button" class="secondary" aria-expanded={importing} onClick={() => setImporting(!importing)}>
            {t('customers.import')}
          </button>
        ) : null}
        {can('customers.export') ? (
          <a class="button secondary" id="customer-export" href={`/api/v1/customers/export.csv${qs({ tag: query.tag })}`} download>
            {t('customers.export')}
          </a>
        ) : null}
      </div>
      {importing ? <Import onDone={() => void load()} /> : null}
      <form
        class="card filters"
        id="customer-search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setQuery({ q: draft.q.trim(), tag: draft.tag.trim() });
        }}
      >
        <Field id="cs-q" label={t('customers.searchHint')}>
          <input
            id="cs-q"
            type="search"
            maxLength={200}
            value={draft.q}
            onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
          />
        </Field>
        <Field id="cs-tag" label={t('customers.tag')}>
          <input id="cs-tag" maxLength={32} value={draft.tag} onInput={(e) => setDraft({ ...draft, tag: e.currentTarget.value })} />
        </Field>
        <div class="actions">
          <button type="submit">{t('search')}</button>
        </div>
      </form>
      <Messages error={error} />
      {page ? <p class="muted">{t('customers.total', { n: fmtInt(page.total) })}</p> : null}
      <div class="table-wrap">
        <table class="list" id="customers-table">
          <thead>
            <tr>
              <th scope="col">{t('customers.name')}</th>
              <th scope="col">{t('customers.phones')}</th>
              <th scope="col">{t('customers.tags')}</th>
              <th scope="col" class="wide">
                {t('customers.created')}
              </th>
            </tr>
          </thead>
          <tbody>
            {(page?.items ?? []).map((c) => (
              <tr key={c.id} data-customer={c.id}>
                <td>
                  <a href={`/customers/${c.id}`} onClick={onNav(`/customers/${c.id}`)}>
                    {c.name ?? t('unnamedCustomer')}
                  </a>
                </td>
                <td>{c.phones.map((p) => p.phone).join(', ')}</td>
                <td>
                  {c.tags.map((x) => (
                    <span class="tag" key={x}>
                      {x}
                    </span>
                  ))}
                </td>
                <td class="wide">{fmtDateTime(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && page.items.length === 0 ? <p class="muted">{t('ui.empty')}</p> : null}
      <Pager offset={offset} limit={LIMIT} more={page ? offset + LIMIT < page.total : false} onPage={setOffset} />
    </>
  );
}

export function CustomersPage({ session }: { session: Session }) {
  const [sub] = useSubPath();
  return (
    <main class="page customers-page">
      <div class="row between">
        <h1>{t('customers.title')}</h1>
        {sub ? (
          <a href="/customers" onClick={onNav('/customers')}>
            {t('ui.back')}
          </a>
        ) : null}
      </div>
      {sub === 'new' && session.permissions.includes('customers.write') ? (
        <CustomerForm
          customer={null}
          canSeePhones={session.permissions.includes('customers.phones')}
          onSaved={(c) => navigate(`/customers/${c.id}`)}
          onCancel={() => navigate('/customers')}
        />
      ) : sub ? (
        <CustomerDetail id={sub} session={session} />
      ) : (
        <CustomerList session={session} />
      )}
    </main>
  );
}
