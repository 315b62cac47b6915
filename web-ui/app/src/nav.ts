/**
 * In-app navigation: `navigate('/customers/123')` pushes the path and tells the shell (and any page
 * listening with usePath) through a popstate event, so links between pages (a call's customer, a
 * ticket's call) work without a reload and the back button still works.
 */
import { useEffect, useState } from 'preact/hooks';

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The path segments after the page's own (`/tickets/T1` → ['T1']), updated on navigation. */
export function useSubPath(): string[] {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path.split('/').slice(2).filter(Boolean).map(decodeURIComponent);
}

/** A plain link that navigates in the app (ctrl/middle click still opens a new tab). */
export function onNav(path: string): (e: MouseEvent) => void {
  return (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  };
}
