/**
 * The knowledge base service: articles (Markdown) with categories and tags, revisions, the search
 * index kept in the same transaction as each write, view and use counters, the cloud outbox
 * (stream 'kb').
 */
import type { Statement } from 'better-sqlite3';
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page, PageQuery } from '../common/types.js';
import { KbSearchIndex } from './search-index.js';
import { snippetOf } from './snippet.js';
import { queryTerms } from './text.js';
import {
  ARTICLE_STATUSES,
  type Article,
  type ArticleInput,
  type ArticlePatch,
  type ArticleQuery,
  type ArticleStatus,
  type ArticleUse,
  type KbCategory,
  type KbService,
  type SearchHit,
} from './types.js';

export const LIMITS = { title: 200, body: 100_000, category: 64, tag: 32, tags: 20, query: 200 } as const;

interface Row {
  id: string;
  title: string;
  body: string;
  category: string;
  tags: string;
  status: ArticleStatus;
  views: number;
  uses: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

function toArticle(r: Row): Article {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    category: r.category,
    tags: JSON.parse(r.tags) as string[],
    status: r.status,
    views: r.views,
    uses: r.uses,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

function text(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  }
  return value;
}

function tagsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > LIMITS.tags) throw invalid('tags', `must be a list of at most ${LIMITS.tags} tags`);
  const out: string[] = [];
  for (const t of value) {
    const tag = text(t, 'tags', LIMITS.tag).trim();
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

function statusOf(value: unknown, field = 'status'): ArticleStatus {
  if (typeof value !== 'string' || !ARTICLE_STATUSES.includes(value as ArticleStatus)) {
    throw invalid(field, `must be one of ${ARTICLE_STATUSES.join(', ')}`);
  }
  return value as ArticleStatus;
}

function page(q: PageQuery): { limit: number; offset: number } {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid('limit', 'must be an integer from 1 to 500');
  if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be an integer ≥ 0');
  return { limit, offset };
}

export class KbArticles implements KbService {
  private readonly index: KbSearchIndex;
  private readonly byId: Statement<[string], Row>;
  private readonly insertRow: Statement<Record<string, unknown>>;
  private readonly updateRow: Statement<Record<string, unknown>>;
  private readonly insertRevision: Statement<[string, number, string, string, string, number]>;

  constructor(private readonly deps: BackOfficeDeps) {
    const db = deps.db;
    this.index = new KbSearchIndex(db);
    this.byId = db.prepare('SELECT * FROM kb_articles WHERE id = ?');
    this.insertRow = db.prepare(
      `INSERT INTO kb_articles (id, title, body, category, tags, status, created_by, created_at, updated_at, version)
       VALUES (@id, @title, @body, @category, @tags, @status, @createdBy, @now, @now, 1)`,
    );
    this.updateRow = db.prepare(
      `UPDATE kb_articles SET title = @title, body = @body, category = @category, tags = @tags, status = @status,
       updated_at = @now, version = version + 1 WHERE id = @id`,
    );
    this.insertRevision = db.prepare(
      'INSERT INTO kb_revisions (article_id, version, title, body, edited_by, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private row(id: string): Row {
    const r = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (!r) throw new CallboxError('NOT_FOUND', `no article ${JSON.stringify(id)}`);
    return r;
  }

  create(actor: Actor, input: ArticleInput): Article {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const title = text(input.title, 'title', LIMITS.title).trim();
    const body = text(input.body, 'body', LIMITS.body);
    const category = input.category === undefined ? '' : text(input.category, 'category', LIMITS.category, 0).trim();
    const tags = input.tags === undefined ? [] : tagsOf(input.tags);
    const status = input.status === undefined ? 'published' : statusOf(input.status);
    const id = this.deps.newId();
    const now = this.now();
    return this.deps.db.transaction(() => {
      this.insertRow.run({ id, title, body, category, tags: JSON.stringify(tags), status, createdBy: actor.username, now });
      this.insertRevision.run(id, 1, title, body, actor.username, now);
      this.index.put(id, title, body);
      const article = toArticle(this.row(id));
      this.deps.outbox.put('kb', id, 1, article);
      return article;
    })();
  }

  get(_actor: Actor, id: string): Article | null {
    const r = typeof id === 'string' ? this.byId.get(id) : undefined;
    return r ? toArticle(r) : null;
  }

  view(_actor: Actor, id: string): Article {
    const r = this.row(id);
    this.deps.db.prepare('UPDATE kb_articles SET views = views + 1 WHERE id = ?').run(id);
    return toArticle({ ...r, views: r.views + 1 });
  }

  update(actor: Actor, id: string, patch: ArticlePatch): Article {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    const cur = this.row(id);
    if (patch.version !== undefined) {
      if (!Number.isInteger(patch.version) || patch.version < 1) throw invalid('version', 'must be a positive integer');
      if (patch.version !== cur.version) {
        throw new CallboxError('CONFLICT', `article ${id} is at version ${cur.version}, not ${patch.version}`, { version: cur.version });
      }
    }
    const next = {
      id,
      title: patch.title === undefined ? cur.title : text(patch.title, 'title', LIMITS.title).trim(),
      body: patch.body === undefined ? cur.body : text(patch.body, 'body', LIMITS.body),
      category: patch.category === undefined ? cur.category : text(patch.category, 'category', LIMITS.category, 0).trim(),
      tags: patch.tags === undefined ? cur.tags : JSON.stringify(tagsOf(patch.tags)),
      status: patch.status === undefined ? cur.status : statusOf(patch.status),
      now: this.now(),
    };
    return this.deps.db.transaction(() => {
      const changed = this.updateRow.run({ ...next }).changes;
      if (changed !== 1) throw new CallboxError('NOT_FOUND', `no article ${JSON.stringify(id)}`);
      const article = toArticle(this.row(id));
      if (next.title !== cur.title || next.body !== cur.body) {
        this.insertRevision.run(id, article.version, next.title, next.body, actor.username, next.now);
        this.index.put(id, next.title, next.body);
      }
      this.deps.outbox.put('kb', id, article.version, article);
      return article;
    })();
  }

  remove(actor: Actor, id: string): void {
    const cur = this.row(id);
    this.deps.db.transaction(() => {
      this.index.drop(id);
      this.deps.db.prepare('DELETE FROM kb_articles WHERE id = ?').run(id);
      this.deps.audit.record(actor.username, 'kb.delete', 'kb_article', id, { title: cur.title });
      this.deps.outbox.put('kb', id, cur.version + 1, { id, deleted: true, version: cur.version + 1 });
    })();
  }

  list(_actor: Actor, q: ArticleQuery): Page<Article> {
    const { limit, offset } = page(q);
    const where: string[] = [];
    const params: Record<string, unknown> = { limit, offset };
    if (q.status !== undefined) {
      where.push('status = @status');
      params.status = statusOf(q.status);
    } else where.push("status != 'archived'");
    if (q.category !== undefined) {
      where.push('category = @category');
      params.category = q.category;
    }
    const w = `WHERE ${where.join(' AND ')}`;
    const db = this.deps.db;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM kb_articles ${w}`).get(params) as { n: number }).n;
    const rows = db
      .prepare<Record<string, unknown>, Row>(`SELECT * FROM kb_articles ${w} ORDER BY updated_at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all(params);
    return { items: rows.map(toArticle), total };
  }

  search(_actor: Actor, q: { q: string } & ArticleQuery): Page<SearchHit> {
    const query = text(q.q, 'q', LIMITS.query);
    const { limit, offset } = page(q);
    const status = q.status === undefined ? 'published' : statusOf(q.status);
    const hits = this.index.search(query, status, q.category);
    const qterms = queryTerms(query);
    const items = hits.slice(offset, offset + limit).map((h) => ({
      article: toArticle(this.row(h.articleId)),
      score: Math.round(h.score * 1e6) / 1e6,
      snippet: snippetOf(this.index.plainBody(h.articleId), qterms),
    }));
    return { items, total: hits.length };
  }

  categories(_actor: Actor): KbCategory[] {
    return this.deps.db
      .prepare<[], KbCategory>(
        `SELECT category AS name, SUM(status = 'published') AS articles FROM kb_articles
         WHERE category != '' AND status != 'archived' GROUP BY category ORDER BY category`,
      )
      .all();
  }

  markUsed(actor: Actor, id: string, use: ArticleUse): Article {
    const r = this.row(id);
    const callId = use.callId === undefined || use.callId === null ? null : text(use.callId, 'callId', 64);
    const ticketId = use.ticketId === undefined || use.ticketId === null ? null : text(use.ticketId, 'ticketId', 64);
    this.deps.db.transaction(() => {
      this.deps.db.prepare('UPDATE kb_articles SET uses = uses + 1 WHERE id = ?').run(id);
      this.deps.db
        .prepare('INSERT INTO kb_uses (article_id, ts, actor, call_id, ticket_id) VALUES (?, ?, ?, ?, ?)')
        .run(id, this.now(), actor.username, callId, ticketId);
    })();
    return toArticle({ ...r, uses: r.uses + 1 });
  }

  popular(_actor: Actor, q: PageQuery): Article[] {
    const { limit, offset } = page(q);
    return this.deps.db
      .prepare<[number, number], Row>(
        `SELECT * FROM kb_articles WHERE status = 'published' ORDER BY uses DESC, views DESC, updated_at DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset)
      .map(toArticle);
  }
}
