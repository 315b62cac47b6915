/**
 * 客户 / Customers: search (name, any digits of a phone, tag, notes) and a paged list; a customer's
 * page (/customers/<id>, customer-detail.tsx); a new customer (/customers/new); CSV import (a file
 * from Excel, UTF-8 or GBK: the box detects which) and export, for the roles that may.
 */
import { useState } from 'preact/hooks';
import type { Customer, CustomerImportReport } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, t } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { ListPage, useList } from '../list-page.js';
import { Field, Messages, qs, useRun } from '../ui.js';
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
  const [importing, setImporting] = useState(false);
  const can = (p: string) => session.permissions.includes(p);
  const list = useList<Customer>({
    initial: { q: '', tag: '' },
    limit: LIMIT,
    load: (f, offset, limit) =>
      api.get<{ items: Customer[]; total: number }>(`/api/v1/customers${qs({ ...f, limit, offset: offset || undefined })}`),
  });
  const toolbar = (
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
          <a
            class="button secondary"
            id="customer-export"
            href={`/api/v1/customers/export.csv${qs({ tag: list.applied.tag as string })}`}
            download
          >
            {t('customers.export')}
          </a>
        ) : null}
      </div>
      {importing ? <Import onDone={list.reload} /> : null}
    </>
  );
  return (
    <ListPage
      list={list}
      limit={LIMIT}
      before={toolbar}
      filterId="customer-search"
      idPrefix="cs"
      filters={[
        { key: 'q', kind: 'search', label: t('customers.searchHint'), maxLength: 200 },
        { key: 'tag', kind: 'text', label: t('customers.tag'), maxLength: 32 },
      ]}
      submitLabel={t('search')}
      trim
      count={(n) => t('customers.total', { n: fmtInt(n) })}
      tableId="customers-table"
      rowKey={(c) => c.id}
      rowProps={(c) => ({ 'data-customer': c.id })}
      columns={[
        {
          label: t('customers.name'),
          cell: (c) => (
            <a href={`/customers/${c.id}`} onClick={onNav(`/customers/${c.id}`)}>
              {c.name ?? t('unnamedCustomer')}
            </a>
          ),
        },
        { label: t('customers.phones'), cell: (c) => c.phones.map((p) => p.phone).join(', ') },
        {
          label: t('customers.tags'),
          cell: (c) =>
            c.tags.map((x) => (
              <span class="tag" key={x}>
                {x}
              </span>
            )),
        },
        { label: t('customers.created'), wide: true, cell: (c) => fmtDateTime(c.createdAt) },
      ]}
    />
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
