/**
 * The app's pages: path, header label, who sees it, and how it renders. main.tsx builds the
 * navigation and picks the page from this list; a new page is one entry here plus its file in
 * pages/ and its strings in text/ (text/README.md). The first entry is the home page (`/`).
 * Each page's code is loaded by `import()` when it is first opened (its own chunk, see
 * scripts/build-app.mjs), so the first load holds only the shell, the sign-in and the wallboard.
 */
import type { VNode } from 'preact';
import type { Session } from './api.js';
import type { Key } from './i18n.js';
import { Wallboard } from './pages/wallboard.js';

/** What every page gets from the shell. */
export interface PageProps {
  session: Session;
  /** The session expired or was revoked: the shell re-checks it (and shows the login page). */
  onAuthLost: () => void;
  /** The user signed out (account page). */
  onSignedOut: () => void;
}

export interface PageDef {
  /** Path without the leading slash, e.g. 'calls'; also the page's id. */
  path: string;
  label: Key;
  /** Whether the signed-in user may see the page (navigation and rendering both check it). */
  visible: (s: Session) => boolean;
  /** Loads the page's code (once) and gives how it renders. */
  load: () => Promise<(p: PageProps) => VNode>;
}

const can = (permission: string) => (s: Session) => s.permissions.includes(permission);

export const PAGES: readonly PageDef[] = [
  {
    path: 'wallboard',
    label: 'page.wallboard',
    // live.read: calls, agents and service level are business data; a technician (hardware and
    // lines) has no wallboard and lands on the first page it may see (setup)
    visible: can('live.read'),
    load: async () => (p) => <Wallboard kiosk={false} onAuthLost={p.onAuthLost} session={p.session} />,
  },
  {
    path: 'console',
    label: 'page.console',
    visible: (s) => Boolean(s.agentId),
    load: () => import('./pages/console.js').then((m) => (p) => <m.ConsolePage session={p.session} onAuthLost={p.onAuthLost} />),
  },
  {
    path: 'calls',
    label: 'page.calls',
    visible: can('live.read'),
    load: () => import('./pages/calls.js').then((m) => (p) => <m.CallsPage session={p.session} />),
  },
  {
    path: 'customers',
    label: 'page.customers',
    visible: can('customers.read'),
    load: () => import('./pages/customers.js').then((m) => (p) => <m.CustomersPage session={p.session} />),
  },
  {
    path: 'tickets',
    label: 'page.tickets',
    visible: can('tickets.read'),
    load: () => import('./pages/tickets.js').then((m) => (p) => <m.TicketsPage session={p.session} />),
  },
  {
    path: 'kb',
    label: 'page.kb',
    visible: can('kb.read'),
    load: () => import('./pages/kb.js').then((m) => (p) => <m.KbPage session={p.session} />),
  },
  {
    path: 'sms',
    label: 'page.sms',
    visible: can('sms.send'),
    load: () => import('./pages/sms.js').then((m) => (p) => <m.SmsPage session={p.session} />),
  },
  {
    path: 'followups',
    label: 'page.followups',
    visible: can('followups.read'),
    load: () => import('./pages/followups.js').then((m) => (p) => <m.FollowupsPage session={p.session} onAuthLost={p.onAuthLost} />),
  },
  {
    path: 'orders',
    label: 'page.orders',
    visible: can('orders.read'),
    load: () => import('./pages/orders.js').then((m) => (p) => <m.OrdersPage session={p.session} onAuthLost={p.onAuthLost} />),
  },
  {
    path: 'products',
    label: 'page.products',
    visible: can('products.read'),
    load: () => import('./pages/products.js').then((m) => (p) => <m.ProductsPage session={p.session} />),
  },
  {
    // promotions, stock requests, sales targets: read with products.read, changed with products.write
    path: 'sales',
    label: 'page.sales',
    visible: can('products.read'),
    load: () => import('./pages/sales-admin.js').then((m) => (p) => <m.SalesAdminPage session={p.session} />),
  },
  {
    // ad campaigns, airings, spend (广告排期): read with reports.read, changed with reports.admin
    path: 'ads',
    label: 'page.ads',
    visible: can('reports.read'),
    load: () => import('./pages/ads.js').then((m) => (p) => <m.AdsPage session={p.session} />),
  },
  {
    // shifts (排班) and attendance (考勤): read with reports.read, changed with reports.admin
    path: 'shifts',
    label: 'page.shifts',
    visible: can('reports.read'),
    load: () => import('./pages/shifts.js').then((m) => (p) => <m.ShiftsPage session={p.session} />),
  },
  {
    path: 'reports',
    label: 'page.reports',
    visible: can('reports.read'),
    load: () => import('./pages/reports.js').then((m) => (p) => <m.ReportsPage session={p.session} onAuthLost={p.onAuthLost} />),
  },
  {
    path: 'qa',
    label: 'page.qa',
    visible: can('qa.own'),
    load: () => import('./pages/qa.js').then((m) => (p) => <m.QaPage session={p.session} />),
  },
  {
    path: 'setup',
    label: 'page.setup',
    visible: can('setup.admin'),
    load: () => import('./pages/setup.js').then((m) => (p) => <m.SetupPage session={p.session} onAuthLost={p.onAuthLost} />),
  },
  {
    path: 'users',
    label: 'page.users',
    visible: can('users.admin'),
    load: () => import('./pages/users.js').then((m) => () => <m.UsersPage />),
  },
  {
    path: 'account',
    label: 'page.account',
    visible: () => true,
    load: () => import('./pages/account.js').then((m) => (p) => <m.AccountPage session={p.session} onSignedOut={p.onSignedOut} />),
  },
];

/** The page for a location path ('/', '/calls', '/calls/123' → 'calls'); unknown paths → home. */
export function pageOf(pathname: string): PageDef {
  const first = pathname.split('/')[1] ?? '';
  return PAGES.find((p) => p.path === first) ?? (PAGES[0] as PageDef);
}
