/**
 * Renders a page of pages.tsx whose code is loaded on first use: the chunk is fetched once (the
 * loaded render function is kept per page), the page area is marked busy meanwhile, and a failed
 * load (the box restarted with a new build, the network dropped) says so with a retry button.
 */
import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n.js';
import type { PageDef, PageProps } from './pages.js';

type Render = (p: PageProps) => VNode;
const loaded = new Map<string, Render>();

export function PageLoader({ page, props }: { page: PageDef; props: PageProps }) {
  const [render, setRender] = useState<{ path: string; fn: Render } | null>(() => {
    const fn = loaded.get(page.path);
    return fn ? { path: page.path, fn } : null;
  });
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const have = loaded.get(page.path);
    if (have) return setRender({ path: page.path, fn: have });
    let live = true;
    setFailed(false);
    page.load().then(
      (fn) => {
        loaded.set(page.path, fn);
        if (live) setRender({ path: page.path, fn });
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [page, attempt]);

  if (render && render.path === page.path) return render.fn(props);
  if (failed)
    return (
      <main class="page">
        <p class="error" role="alert">
          {t('page.loadFailed')}
        </p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          {t('page.retry')}
        </button>
      </main>
    );
  return <main class="page" aria-busy="true" />;
}
