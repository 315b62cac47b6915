/**
 * Every string of the app in zh-CN (default) and en, and the Intl formats of dates, numbers,
 * percentages, durations and money (¥). The language is kept in localStorage; `?lang=en` picks it
 * on the first visit (kiosk screens).
 */
import type { Lang } from './text-common.js';
import { type Key, zh } from './text-zh.js';

export { fmtDuration, type Lang, LANGS } from './text-common.js';
export type { Key } from './text-zh.js';

const STORE_KEY = 'callbox-lang';
let current: Lang = initialLang();
/** zh-CN is in the first load; English is a chunk of its own, fetched when chosen (loadLang). */
const loaded: Partial<Record<Lang, Record<Key, string>>> = { 'zh-CN': zh };

/** Make `l`'s strings available (English: fetches its chunk once). */
export async function loadLang(l: Lang): Promise<void> {
  if (loaded[l]) return;
  if (l === 'en') loaded.en = (await import('./text-en.js')).en;
}

function initialLang(): Lang {
  if (typeof location === 'undefined' || typeof localStorage === 'undefined') return 'zh-CN';
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'en' || q === 'zh-CN') return q;
  const saved = localStorage.getItem(STORE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

export function lang(): Lang {
  return current;
}

/** Switch to `l` once its strings are loaded (call loadLang first; until then zh-CN shows). */
export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem(STORE_KEY, l);
  document.documentElement.lang = l;
  document.title = t('appName');
}

/** The string for `key` in the current language, with `{name}` filled from `vars`. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const s = (loaded[current] ?? zh)[key];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/**
 * A lazy text area (text/README.md): strings a lazy page imports itself, so they stay out of the
 * first load; the returned `t` picks the current language (zh-CN when English has none).
 */
export function areaText<K extends string>(zhArea: Readonly<Record<K, string>>, enArea: Readonly<Record<K, string>>) {
  return (key: K, vars: Record<string, string | number> = {}): string =>
    (current === 'en' ? enArea : zhArea)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** A dictionary key built from data (states, outcomes): falls back to the raw value. */
export function tOr(key: string, fallback: string): string {
  return key in zh ? t(key as Key) : fallback;
}

export function fmtInt(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

export function fmtPercent(x: number | null): string {
  return x === null ? t('noData') : new Intl.NumberFormat(current, { style: 'percent', maximumFractionDigits: 0 }).format(x);
}

/** Money in cents as ¥ (CNY; "¥128.00" in English too, not "CN¥128.00"). */
export function fmtMoney(cents: number): string {
  return new Intl.NumberFormat(current, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(cents / 100);
}

export function fmtTime(iso: string): string {
  return new Intl.DateTimeFormat(current, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}

export function fmtDateTime(iso: string): string {
  return new Intl.DateTimeFormat(current, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
}
