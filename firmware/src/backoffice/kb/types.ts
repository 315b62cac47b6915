/** Knowledge base (知识库): the service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

export type ArticleStatus = 'draft' | 'published' | 'archived';

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

export interface SearchHit {
  article: Article;
  score: number;
  /** A short excerpt around the best match. */
  snippet: string;
}

export interface KbService {
  create(actor: Actor, input: ArticleInput): Article;
  get(actor: Actor, id: string): Article | null;
  /** Ranked full-text search (Chinese and English); every word of the query must match somewhere. */
  search(actor: Actor, q: { q: string } & PageQuery): Page<SearchHit>;
}
