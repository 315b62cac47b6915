// The ui strings in English (the app's English chunk: text-en.ts); keys from ui.ts.
import type { uiZh } from './ui.js';

export const uiEn: Record<keyof typeof uiZh, string> = {
  'ui.forbidden': 'Not allowed',
  'ui.pages': 'Pages',
  'ui.prev': 'Previous',
  'ui.next': 'Next',
  'ui.pageN': 'Page {n}',
  'ui.filter': 'Filter',
  'ui.reset': 'Reset',
  'ui.all': 'All',
  'ui.save': 'Save',
  'ui.saved': 'Saved',
  'ui.cancel': 'Cancel',
  'ui.edit': 'Edit',
  'ui.back': 'Back to the list',
  'ui.loading': 'Loading…',
  'ui.empty': 'Nothing here',
  'ui.details': 'Details',
  'ui.new': 'New',
  'ui.from': 'From',
  'ui.to': 'To',
  'ui.yes': 'Yes',
  'ui.no': 'No',
};
