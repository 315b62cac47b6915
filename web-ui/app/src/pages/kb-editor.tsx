/**
 * Create or edit a knowledge-base article (kb.write): title, category, tags, status, Markdown
 * body with a live preview through the safe renderer. Edits send the version read (409 when
 * someone saved in between).
 */
import { useState } from 'preact/hooks';
import type { Article, ArticleStatus } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t, tOr } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { Field, Messages, SaveCancel, useRun } from '../ui.js';

const STATUSES: ArticleStatus[] = ['draft', 'published', 'archived'];

export function KbEditor({ article, onSaved, onCancel }: { article: Article | null; onSaved: (a: Article) => void; onCancel: () => void }) {
  const a = article;
  const [f, setF] = useState({
    title: a?.title ?? '',
    category: a?.category ?? '',
    tags: a?.tags.join(', ') ?? '',
    status: a?.status ?? ('published' as ArticleStatus),
    body: a?.body ?? '',
  });
  const { error, busy, run } = useRun();
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      title: f.title.trim(),
      category: f.category.trim(),
      tags: f.tags
        .split(/[,，、]/)
        .map((x) => x.trim())
        .filter(Boolean),
      status: f.status,
      body: f.body,
    };
    const saved = await run(() =>
      a
        ? api.patch<Article>(`/api/v1/kb/articles/${a.id}`, { ...body, version: a.version })
        : api.post<Article>('/api/v1/kb/articles', body),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form class="card stack kb-editor" id="kb-editor" onSubmit={submit} aria-labelledby="h-kb-edit">
      <h2 id="h-kb-edit">{a ? t('kb.edit') : t('kb.new')}</h2>
      <Field id="ke-title" label={t('kb.articleTitle')}>
        <input id="ke-title" required maxLength={200} value={f.title} onInput={set('title')} />
      </Field>
      <div class="filters">
        <Field id="ke-category" label={t('kb.category')}>
          <input id="ke-category" maxLength={64} value={f.category} onInput={set('category')} />
        </Field>
        <Field id="ke-tags" label={t('kb.tagsHint')}>
          <input id="ke-tags" value={f.tags} onInput={set('tags')} />
        </Field>
        <Field id="ke-status" label={t('kb.status')}>
          <select id="ke-status" value={f.status} onChange={set('status')}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tOr(`kb.status.${s}`, s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div class="kb-edit-panes">
        <Field id="ke-body" label={t('kb.body')}>
          <textarea id="ke-body" required rows={14} maxLength={100000} value={f.body} onInput={set('body')} />
        </Field>
        <section class="kb-preview" aria-label={t('kb.preview')}>
          <h3>{t('kb.preview')}</h3>
          <div class="article-body">{renderMarkdown(f.body)}</div>
        </section>
      </div>
      <Messages error={error} />
      <SaveCancel busy={busy} onCancel={onCancel} />
    </form>
  );
}
