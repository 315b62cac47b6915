/**
 * Small pieces the back-office pages share: an error/status line pair, a pager, a labelled field,
 * a form's save/cancel buttons, and `useRun` (run an API call, show its error, or a done message).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { t } from './i18n.js';
import './ui.css';

/** The box's message for an API error (names the field), else the error's text. */
export function errText(err: unknown): string {
  if (err instanceof ApiError) return err.status === 403 ? `${t('ui.forbidden')} (${err.message})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export function Messages({ error, done, id }: { error: string; done?: string; id?: string }) {
  return (
    <>
      <p class="error" role="alert">
        {error}
      </p>
      {done !== undefined ? (
        <p class="ok" role="status" id={id}>
          {done}
        </p>
      ) : null}
    </>
  );
}

/** `run(fn, doneMessage)`: clears the messages, awaits fn, shows its error or the done message; `clear()` clears them. */
export function useRun(): {
  error: string;
  done: string;
  busy: boolean;
  run: <T>(fn: () => Promise<T>, done?: string) => Promise<T | undefined>;
  setError: (s: string) => void;
  clear: () => void;
} {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async <T,>(fn: () => Promise<T>, message = ''): Promise<T | undefined> => {
    setError('');
    setDone('');
    setBusy(true);
    try {
      const r = await fn();
      setDone(message);
      return r;
    } catch (err) {
      setError(errText(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const clear = () => {
    setError('');
    setDone('');
  };
  return { error, done, busy, run, setError, clear };
}

/** Previous/next over offset paging; `more`: a full page came back. */
export function Pager({ offset, limit, more, onPage }: { offset: number; limit: number; more: boolean; onPage: (o: number) => void }) {
  return (
    <nav class="pager" aria-label={t('ui.pages')}>
      <button type="button" class="secondary" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        {t('ui.prev')}
      </button>
      <span>{t('ui.pageN', { n: Math.floor(offset / limit) + 1 })}</span>
      <button type="button" class="secondary" disabled={!more} onClick={() => onPage(offset + limit)}>
        {t('ui.next')}
      </button>
    </nav>
  );
}

/** A form's submit (保存, or `saveLabel`; off while busy) and cancel buttons. */
export function SaveCancel({ busy, onCancel, saveLabel }: { busy: boolean; onCancel: () => void; saveLabel?: string }) {
  return (
    <div class="row">
      <button type="submit" disabled={busy}>
        {saveLabel ?? t('ui.save')}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        {t('ui.cancel')}
      </button>
    </div>
  );
}

/** A label over its control (the control gets `id`). */
export function Field({ id, label, children }: { id: string; label: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

/** Query string of the defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
