/**
 * The knowledge base's search index (schema step 9): `kb_search_docs` (stable doc number, plain
 * text) and `kb_fts` (FTS5 over the token streams of kb/text.ts). Written in the caller's
 * transaction with the article row; queried with bm25(), title weighted 10×.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';
import type { ArticleStatus } from './types.js';
import { indexTokens, markdownToText, matchExpression } from './text.js';

export const TITLE_WEIGHT = 10;

export interface IndexHit {
  articleId: string;
  /** -bm25: higher is better. */
  score: number;
  /** Every query term is in the title. */
  inTitle: boolean;
}

interface DocRow {
  doc: number;
}

interface HitRow {
  doc: number;
  rank: number;
  article_id: string;
}

export class KbSearchIndex {
  private readonly docOf: Statement<[string], DocRow>;
  private readonly insertDoc: Statement<[string, string, string], DocRow>;
  private readonly updateDoc: Statement<[string, string, number]>;
  private readonly insertFts: Statement<[number, string, string]>;
  private readonly deleteFts: Statement<[number]>;
  private readonly plainOf: Statement<[string], { plain_body: string }>;

  constructor(private readonly db: Database) {
    this.docOf = db.prepare('SELECT doc FROM kb_search_docs WHERE article_id = ?');
    this.insertDoc = db.prepare('INSERT INTO kb_search_docs (article_id, plain_title, plain_body) VALUES (?, ?, ?) RETURNING doc');
    this.updateDoc = db.prepare('UPDATE kb_search_docs SET plain_title = ?, plain_body = ? WHERE doc = ?');
    this.insertFts = db.prepare('INSERT INTO kb_fts (rowid, title, body) VALUES (?, ?, ?)');
    this.deleteFts = db.prepare('DELETE FROM kb_fts WHERE rowid = ?');
    this.plainOf = db.prepare('SELECT plain_body FROM kb_search_docs WHERE article_id = ?');
  }

  /** (Re)indexes one article. Call inside the transaction that writes it. */
  put(articleId: string, title: string, markdown: string): void {
    const plainTitle = markdownToText(title);
    const plainBody = markdownToText(markdown);
    const existing = this.docOf.get(articleId);
    let doc: number;
    if (existing) {
      doc = existing.doc;
      this.updateDoc.run(plainTitle, plainBody, doc);
      this.deleteFts.run(doc);
    } else {
      doc = (this.insertDoc.get(articleId, plainTitle, plainBody) as DocRow).doc;
    }
    this.insertFts.run(doc, indexTokens(plainTitle), indexTokens(plainBody));
  }

  /** The plain (Markdown-free) body of an article, for snippets. */
  plainBody(articleId: string): string {
    return this.plainOf.get(articleId)?.plain_body ?? '';
  }

  /** Drops one article from the index (its kb_search_docs row goes with the article by cascade). */
  drop(articleId: string): void {
    const existing = this.docOf.get(articleId);
    if (existing) this.deleteFts.run(existing.doc);
  }

  /**
   * Every article of `status` (and `category`, when given) matching all terms of `q`: articles
   * whose title holds every term first, then by score. Empty when `q` has no searchable term.
   */
  search(q: string, status: ArticleStatus, category: string | undefined): IndexHit[] {
    const match = matchExpression(q);
    if (!match) return [];
    const catSql = category === undefined ? '' : ' AND a.category = @category';
    const rows = this.db
      .prepare<Record<string, unknown>, HitRow>(
        `SELECT f.rowid AS doc, bm25(kb_fts, ${TITLE_WEIGHT}, 1.0) AS rank, d.article_id
         FROM kb_fts f JOIN kb_search_docs d ON d.doc = f.rowid JOIN kb_articles a ON a.id = d.article_id
         WHERE kb_fts MATCH @match AND a.status = @status${catSql}`,
      )
      .all({ match, status, ...(category === undefined ? {} : { category }) });
    if (!rows.length) return [];
    const titleDocs = new Set(
      this.db
        .prepare<[string], DocRow>('SELECT rowid AS doc FROM kb_fts WHERE kb_fts MATCH ?')
        .all(`title : (${match})`)
        .map((r) => r.doc),
    );
    const hits = rows.map((r) => ({
      articleId: r.article_id,
      score: -r.rank,
      inTitle: titleDocs.has(r.doc),
    }));
    hits.sort((a, b) => Number(b.inTitle) - Number(a.inTitle) || b.score - a.score || (a.articleId < b.articleId ? 1 : -1));
    return hits;
  }
}
