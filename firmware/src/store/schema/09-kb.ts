/**
 * Step 9: knowledge base (知识库, firmware/src/backoffice/kb). `kb_articles` is the contract; the
 * search index tables are the kb module's own:
 * - `kb_search_docs`: one row per article, a stable integer `doc` (the FTS rowid) and the article's
 *   plain text (Markdown stripped) for snippets;
 * - `kb_fts`: FTS5 over pre-tokenized title and body (CJK bigrams + words, see kb/text.ts), porter
 *   stemming for English words, ranked with bm25();
 * - `kb_revisions`: every saved version of an article (who, when, title and body);
 * - `kb_uses`: each time an agent marked an article as used in a call or ticket.
 */
export const STEP_KB = `
  CREATE TABLE kb_articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
    views INTEGER NOT NULL DEFAULT 0,
    uses INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX kb_articles_category ON kb_articles(category);
  CREATE INDEX kb_articles_popular ON kb_articles(status, uses, views);

  CREATE TABLE kb_search_docs (
    doc INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL UNIQUE REFERENCES kb_articles(id) ON DELETE CASCADE,
    plain_title TEXT NOT NULL,
    plain_body TEXT NOT NULL
  ) STRICT;

  CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 0');

  CREATE TABLE kb_revisions (
    article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (article_id, version)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE kb_uses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    call_id TEXT,
    ticket_id TEXT
  ) STRICT;
  CREATE INDEX kb_uses_article ON kb_uses(article_id, ts);
`;
