/**
 * `useItems(url)`: a list the box answers whole (`GET url` → `{ items }`) with its loading and error
 * states, for the pages' small lists that are not a paged ListPage (the users, the QA reviews, a
 * shift range's attendance). `items` is null while the list for this url loads (never another
 * url's rows) and after a failure, whose words are in `error`; a `reload()` or a change of
 * `refresh` asks again and keeps the rows shown meanwhile. An answer that comes after the url
 * changed is dropped. A null url loads nothing.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { errText } from './ui.js';

export interface Items<T> {
  items: T[] | null;
  error: string;
  reload: () => void;
}

export function useItems<T>(url: string | null, refresh?: unknown): Items<T> {
  const [got, setGot] = useState<{ url: string | null; items: T[] | null; error: string }>({ url: null, items: null, error: '' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (url === null) return;
    let live = true;
    api.get<{ items: T[] }>(url).then(
      (r) => live && setGot({ url, items: r.items, error: '' }),
      (e: unknown) => live && setGot({ url, items: null, error: errText(e) }),
    );
    return () => {
      live = false;
    };
  }, [url, refresh, tick]);
  const mine = url !== null && got.url === url;
  return { items: mine ? got.items : null, error: mine ? got.error : '', reload: () => setTick((n) => n + 1) };
}
