/**
 * 知识库 / Knowledge base: ranked search (Chinese needs no spaces: 退货 finds 退货流程) with the
 * box's highlighted snippets; without a query the most used and recently changed articles; an
 * article (/kb/<id>) rendered from Markdown safely (markdown.tsx: no HTML from the text ever
 * reaches the page); create and edit (kb-editor.tsx) for roles with kb.write.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Article, SearchHit } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtInt, t, tOr } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { Snippet } from '../snippet.js';
import { errText, Messages, qs, useRun } from '../ui.js';
import { KbEditor } from './kb-editor.js';
import './kb.css';

function ArticleLink({ a }: { a: Article }) {
  return (
    <a href={`/kb/${a.id}`} onClick={onNav(`/kb/${a.id}`)}>
      {a.title}
    </a>
  );
}

function ArticleView({ id, session }: { id: string; session: Session }) {
  const [a, setA] = useState<Article | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const used = useRun();
  useEffect(() => {
    setError('');
    setEditing(false);
    api.get<Article>(`/api/v1/kb/articles/${encodeURIComponent(id)}`).then(setA, (e: unknown) => setError(errText(e)));
  }, [id]);
  if (!a) return <Messages error={error} />;
  const saved = (s: Article) => {
    setA(s);
    setEditing(false);
  };
  if (editing) return <KbEditor article={a} onSaved={saved} onCancel={() => setEditing(false)} />;
  return (
    <article class="card kb-article" id="kb-article" aria-labelledby="h-article">
      <div class="row between">
        <h2 id="h-article">{a.title}</h2>
        {session.permissions.includes('kb.write') ? (
          <button type="button" class="secondary" id="kb-edit" onClick={() => setEditing(true)}>
            {t('ui.edit')}
          </button>
        ) : null}
      </div>
      <p class="muted">
        {a.category ? `${a.category} · ` : ''}
        {a.status !== 'published' ? `${tOr(`kb.status.${a.status}`, a.status)} · ` : ''}
        {t('kb.updated', { t: fmtDateTime(a.updatedAt) })} · {t('kb.views', { v: fmtInt(a.views), u: fmtInt(a.uses) })}
      </p>
      <p>
        {a.tags.map((x) => (
          <span class="tag" key={x}>
            {x}
          </span>
        ))}
      </p>
      <div class="article-body">{renderMarkdown(a.body)}</div>
      <div class="row">
        <button
          type="button"
          class="secondary"
          disabled={used.busy}
          onClick={() => void used.run(() => api.post(`/api/v1/kb/articles/${a.id}/used`, {}), t('kb.usedDone'))}
        >
          {t('kb.markUsed')}
        </button>
      </div>
      <Messages error={used.error} done={used.done} />
    </article>
  );
}

function KbHome({ session }: { session: Session }) {
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  const [q, setQ] = useState(initial);
  const [hits, setHits] = useState<{ items: SearchHit[]; total: number } | null>(null);
  const [popular, setPopular] = useState<Article[]>([]);
  const [recent, setRecent] = useState<Article[]>([]);
  const [error, setError] = useState('');
  const search = (text: string) => {
    setError('');
    if (!text.trim()) return setHits(null);
    api
      .get<{ items: SearchHit[]; total: number }>(`/api/v1/kb/search${qs({ q: text.trim(), limit: 30 })}`)
      .then(setHits, (e: unknown) => setError(errText(e)));
  };
  useEffect(() => {
    api.get<{ items: Article[] }>('/api/v1/kb/popular?limit=8').then(
      (r) => setPopular(r.items),
      () => undefined,
    );
    api.get<{ items: Article[] }>('/api/v1/kb/articles?limit=12').then(
      (r) => setRecent(r.items),
      () => undefined,
    );
    if (initial) search(initial);
  }, []);
  return (
    <>
      <form
        class="card row kb-search"
        onSubmit={(e) => {
          e.preventDefault();
          history.replaceState(null, '', `/kb${qs({ q: q.trim() })}`);
          search(q);
        }}
      >
        <label class="visually-hidden" for="kbp-q">
          {t('kb.search')}
        </label>
        <input
          id="kbp-q"
          type="search"
          placeholder={t('kb.searchHint')}
          maxLength={200}
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <button type="submit">{t('search')}</button>
        {session.permissions.includes('kb.write') ? (
          <a class="button secondary" id="kb-new" href="/kb/new" onClick={onNav('/kb/new')}>
            {t('kb.new')}
          </a>
        ) : null}
      </form>
      <Messages error={error} />
      {hits ? (
        <section aria-labelledby="h-kb-hits">
          <h2 id="h-kb-hits">{t('kb.results', { n: fmtInt(hits.total) })}</h2>
          <ul class="kb-hits" id="kb-hits">
            {hits.items.map((h) => (
              <li key={h.article.id} class="card">
                <ArticleLink a={h.article} />
                <div>
                  <Snippet html={h.snippet} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <div class="split">
          <section class="card" aria-labelledby="h-kb-pop">
            <h2 id="h-kb-pop">{t('kb.popular')}</h2>
            {popular.length === 0 ? <p class="muted">{t('none')}</p> : null}
            <ul>
              {popular.map((a) => (
                <li key={a.id}>
                  <ArticleLink a={a} />
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="h-kb-recent">
            <h2 id="h-kb-recent">{t('kb.recent')}</h2>
            <ul id="kb-recent">
              {recent.map((a) => (
                <li key={a.id}>
                  <ArticleLink a={a} /> <span class="muted">{fmtDateTime(a.updatedAt)}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </>
  );
}

export function KbPage({ session }: { session: Session }) {
  const [sub] = useSubPath();
  return (
    <main class="page kb-page">
      <div class="row between">
        <h1>{t('kb.title')}</h1>
        {sub ? (
          <a href="/kb" onClick={onNav('/kb')}>
            {t('ui.back')}
          </a>
        ) : null}
      </div>
      {sub === 'new' && session.permissions.includes('kb.write') ? (
        <KbEditor article={null} onSaved={(a) => navigate(`/kb/${a.id}`)} onCancel={() => navigate('/kb')} />
      ) : sub ? (
        <ArticleView id={sub} session={session} />
      ) : (
        <KbHome session={session} />
      )}
    </main>
  );
}
