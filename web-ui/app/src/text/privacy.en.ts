// The privacy strings in English (the app's English chunk: text-en.ts); keys from privacy.ts.
import type { privacyZh } from './privacy.js';

export const privacyEn: Record<keyof typeof privacyZh, string> = {
  'privacy.title': 'Personal data (PIPL / GDPR)',
  'privacy.hint': 'For a customer who asks to see or erase their personal data. Both the export and the erasure are audited.',
  'privacy.export': 'Export personal data (JSON)',
  'privacy.erase': 'Erase personal data…',
  'privacy.reason': 'Reason for the erasure (required, kept in the audit trail)',
  'privacy.reasonPlaceholder': 'e.g. the customer called and asked to be deleted',
  'privacy.confirmText':
    "This permanently erases the customer's name, numbers and notes, and the numbers and contents in their calls, tickets, orders and voicemails. It cannot be undone.",
  'privacy.confirm': 'Erase now',
  'privacy.cancel': 'Cancel',
  'privacy.erasedDone':
    'Erased: {phones} numbers, {calls} calls, {tickets} tickets, {orders} orders, {voicemails} voicemails, {callbacks} callbacks, {sms} text messages',
  'privacy.audit': 'Audit trail',
  'privacy.auditEmpty': 'No audit entries',
  'privacy.action.customer.erase': 'Erased personal data',
  'privacy.action.customer.personal_data_export': 'Exported personal data',
  'privacy.action.customer.view': 'Viewed',
  'privacy.action.customer.create': 'Created',
  'privacy.action.customer.update': 'Changed',
};
