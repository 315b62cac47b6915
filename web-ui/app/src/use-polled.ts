/**
 * `usePolled(url, everyMs, refresh)`: what `GET url` answers, asked again every `everyMs` while the
 * page is open and at once when the url or `refresh` changes (the SMS inbox and sent lists). The
 * last answer stays shown while the next is asked; a failure's words are in `error` until an answer
 * comes; an answer that comes after the url changed or the page left is dropped.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { errText } from './ui.js';

export interface Polled<T> {
  data: T | null;
  error: string;
  setError: (words: string) => void;
}

export function usePolled<T>(url: string, everyMs: number, refresh?: unknown): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const load = () =>
      api.get<T>(url).then(
        (r) => {
          if (!live) return;
          setData(r);
          setError('');
        },
        (e: unknown) => live && setError(errText(e)),
      );
    void load();
    const timer = setInterval(load, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [url, everyMs, refresh]);
  return { data, error, setError };
}
