/**
 * The app's pages: path, header label, who sees it, and how it renders. main.tsx builds the
 * navigation and picks the page from this list; a new page is one entry here plus its file in
 * pages/ and its strings in text/ (text/README.md). The first entry is the home page (`/`).
 */
import type { VNode } from 'preact';
import type { Session } from './api.js';
import type { Key } from './i18n.js';
import { AccountPage } from './pages/account.js';
import { CallsPage } from './pages/calls.js';
import { ConsolePage } from './pages/console.js';
import { FollowupsPage } from './pages/followups.js';
import { OrdersPage } from './pages/orders.js';
import { ProductsPage } from './pages/products.js';
import { ReportsPage } from './pages/reports.js';
import { CustomersPage } from './pages/customers.js';
import { KbPage } from './pages/kb.js';
import { TicketsPage } from './pages/tickets.js';
import { SetupPage } from './pages/setup.js';
import { UsersPage } from './pages/users.js';
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
  render: (p: PageProps) => VNode;
}

const can = (permission: string) => (s: Session) => s.permissions.includes(permission);

export const PAGES: readonly PageDef[] = [
  { path: 'wallboard', label: 'page.wallboard', visible: () => true, render: (p) => <Wallboard kiosk={false} onAuthLost={p.onAuthLost} /> },
  {
    path: 'console',
    label: 'page.console',
    visible: (s) => Boolean(s.agentId),
    render: (p) => <ConsolePage session={p.session} onAuthLost={p.onAuthLost} />,
  },
  { path: 'calls', label: 'page.calls', visible: can('live.read'), render: (p) => <CallsPage session={p.session} /> },
  { path: 'customers', label: 'page.customers', visible: can('customers.read'), render: (p) => <CustomersPage session={p.session} /> },
  { path: 'tickets', label: 'page.tickets', visible: can('tickets.read'), render: (p) => <TicketsPage session={p.session} /> },
  { path: 'kb', label: 'page.kb', visible: can('kb.read'), render: (p) => <KbPage session={p.session} /> },
  {
    path: 'followups',
    label: 'page.followups',
    visible: can('followups.read'),
    render: (p) => <FollowupsPage session={p.session} onAuthLost={p.onAuthLost} />,
  },
  {
    path: 'orders',
    label: 'page.orders',
    visible: can('orders.read'),
    render: (p) => <OrdersPage session={p.session} onAuthLost={p.onAuthLost} />,
  },
  { path: 'products', label: 'page.products', visible: can('products.read'), render: (p) => <ProductsPage session={p.session} /> },
  {
    path: 'reports',
    label: 'page.reports',
    visible: can('reports.read'),
    render: (p) => <ReportsPage session={p.session} onAuthLost={p.onAuthLost} />,
  },
  { path: 'setup', label: 'page.setup', visible: can('setup.admin'), render: (p) => <SetupPage onAuthLost={p.onAuthLost} /> },
  { path: 'users', label: 'page.users', visible: can('users.admin'), render: () => <UsersPage /> },
  {
    path: 'account',
    label: 'page.account',
    visible: () => true,
    render: (p) => <AccountPage session={p.session} onSignedOut={p.onSignedOut} />,
  },
];

/** The page for a location path ('/', '/calls', '/calls/123' → 'calls'); unknown paths → home. */
export function pageOf(pathname: string): PageDef {
  const first = pathname.split('/')[1] ?? '';
  return PAGES.find((p) => p.path === first) ?? (PAGES[0] as PageDef);
}
