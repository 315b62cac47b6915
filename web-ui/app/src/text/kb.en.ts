// The kb strings in English (the app's English chunk: text-en.ts); keys from kb.ts.
import type { kbZh } from './kb.js';

export const kbEn: Record<keyof typeof kbZh, string> = {
  'kb.title': 'Knowledge base',
  'kb.search': 'Search the knowledge base',
  'kb.searchHint': 'Keywords, e.g. return (separate words with spaces)',
  'kb.popular': 'Most used',
  'kb.recent': 'Recently changed',
  'kb.results': '{n} articles found',
  'kb.category': 'Category',
  'kb.tags': 'Tags',
  'kb.tagsHint': 'Tags (separated by commas)',
  'kb.status': 'Status',
  'kb.status.draft': 'Draft',
  'kb.status.published': 'Published',
  'kb.status.archived': 'Archived',
  'kb.new': 'New article',
  'kb.edit': 'Edit article',
  'kb.articleTitle': 'Title',
  'kb.body': 'Text (Markdown: # heading, - list, **bold**, [link](https://…))',
  'kb.preview': 'Preview',
  'kb.saved': 'Article saved',
  'kb.views': '{v} views · used {u} times',
  'kb.updated': 'Changed {t}',
  'kb.markUsed': 'This article helped',
  'kb.usedDone': 'Use recorded',
};
