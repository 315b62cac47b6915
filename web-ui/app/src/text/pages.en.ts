// The pages strings in English (the app's English chunk: text-en.ts); keys from pages.ts.
import type { pagesZh } from './pages.js';

export const pagesEn: Record<keyof typeof pagesZh, string> = {
  'page.wallboard': 'Wallboard',
  'page.console': 'Agent console',
  'page.calls': 'Calls',
  'page.customers': 'Customers',
  'page.tickets': 'Tickets',
  'page.kb': 'Knowledge base',
  'page.users': 'Users and roles',
  'page.reports': 'Reports',
  'page.products': 'Products',
  'page.orders': 'Orders',
  'page.sales': 'Sales admin',
  'page.ads': 'Ads',
  'page.shifts': 'Shifts',
  'page.followups': 'Follow-ups',
  'page.account': 'Account',
  'page.sms': 'SMS',
  'page.qa': 'QA',
  'page.loadFailed': 'The page could not be loaded; check the connection to the box.',
  'page.retry': 'Try again',
};
