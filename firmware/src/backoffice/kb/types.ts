/** Knowledge base (知识库): the service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

export type ArticleStatus = 'draft' | 'published' | 'archived';

export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'published', 'archived'];

export interface Article {
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  category: string;
  tags: string[];
  status: ArticleStatus;
  views: number;
  uses: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ArticleInput {
  title: string;
  body: string;
  category?: string;
  tags?: string[];
  status?: ArticleStatus;
}

/** Fields to change; `version` (optional) is the one the editor read: CONFLICT when it moved on. */
export interface ArticlePatch {
  title?: string;
  body?: string;
  category?: string;
  tags?: string[];
  status?: ArticleStatus;
  version?: number;
}

export interface SearchHit {
  article: Article;
  /** BM25 relevance (title counted 10× the body); higher is better. */
  score: number;
  /**
   * A short plain-text excerpt around the best match (Markdown stripped), HTML-escaped, with the
   * matched words wrapped in `<mark>…</mark>`.
   */
  snippet: string;
}

export interface ArticleQuery extends PageQuery {
  category?: string;
  /** Only this status; searches default to `published`, lists to every status but `archived`. */
  status?: ArticleStatus;
}

export interface KbCategory {
  name: string;
  /** Published articles in it. */
  articles: number;
}

/** Where an article was used: a call and/or a ticket (both optional). */
export interface ArticleUse {
  callId?: string | null;
  ticketId?: string | null;
}

export interface KbService {
  create(actor: Actor, input: ArticleInput): Article;
  /** The article, or null; does not count a view. */
  get(actor: Actor, id: string): Article | null;
  /** The article, counting one view (an agent opened it); NOT_FOUND when unknown. */
  view(actor: Actor, id: string): Article;
  update(actor: Actor, id: string, patch: ArticlePatch): Article;
  /** Hard delete (the article and its index rows); NOT_FOUND when unknown. */
  remove(actor: Actor, id: string): void;
  /** Newest change first; without a status filter, archived articles are left out. */
  list(actor: Actor, q: ArticleQuery): Page<Article>;
  /**
   * Ranked full-text search (Chinese and English); every word of the query must match somewhere
   * (title or body). Articles whose title holds every word come first, then by score.
   */
  search(actor: Actor, q: { q: string } & ArticleQuery): Page<SearchHit>;
  categories(actor: Actor): KbCategory[];
  /** Counts one use of the article in a call or ticket; returns the article. */
  markUsed(actor: Actor, id: string, use: ArticleUse): Article;
  /** Most used published articles: by uses, then views. */
  popular(actor: Actor, q: PageQuery): Article[];
}
