/**
 * Knowledge base (知识库) under /api/v1/kb (bearer): articles in Markdown, ranked Chinese/English
 * search with snippets, categories, most used. kb.read (owner, supervisor, agent) reads, searches
 * and marks an article used; kb.write (owner, supervisor) creates, edits, archives and deletes,
 * and may list or search drafts and archived articles.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import type { ArticlePatch, ArticleQuery, ArticleStatus } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, type JsonObject, objectBody, optionalString, pageQuery, requiredString } from '../validate.js';

const STATUSES: readonly ArticleStatus[] = ['draft', 'published', 'archived'];
const FIELDS = ['title', 'body', 'category', 'tags', 'status'];

function statusOf(value: unknown, field: string): ArticleStatus {
  if (typeof value !== 'string' || !STATUSES.includes(value as ArticleStatus)) {
    throw invalid(field, `must be one of ${STATUSES.join(', ')}`);
  }
  return value as ArticleStatus;
}

function tagsOf(b: JsonObject): string[] | undefined {
  const v = b.tags;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 20 || v.some((t) => typeof t !== 'string' || t.trim() === '' || t.length > 32)) {
    throw invalid('tags', 'must be a list of at most 20 strings of 1..32 characters');
  }
  return v as string[];
}

/** ?category= and ?status= (statuses other than published need kb.write). */
function filters(ctx: AppContext): ArticleQuery {
  const q: ArticleQuery = pageQuery(ctx.query);
  const category = ctx.query.category;
  if (category !== undefined) {
    if (typeof category !== 'string' || category.length > 64) throw invalid('category', 'must be a string of 0..64 characters');
    q.category = category;
  }
  if (ctx.query.status !== undefined) {
    q.status = statusOf(ctx.query.status, 'status');
    const who = principalOf(ctx);
    if (q.status !== 'published' && !can(who.role, 'kb.write')) {
      throw new CallboxError('FORBIDDEN', `role ${who.role} may only see published articles (needs kb.write)`, { permission: 'kb.write' });
    }
  }
  return q;
}

function queryText(ctx: AppContext): string {
  const q = ctx.query.q;
  if (typeof q !== 'string' || q.trim() === '' || q.length > 200) throw invalid('q', 'must be a string of 1..200 characters');
  return q;
}

export function kbRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('kb.read');
  const write = permit('kb.write');
  const kb = () => service.kb;

  router.get('/api/v1/kb/articles', auth, read, (ctx) => {
    const who = principalOf(ctx);
    const f = filters(ctx);
    if (ctx.query.q !== undefined) {
      ctx.body = kb().search(who, { ...f, q: queryText(ctx) });
      return;
    }
    // Readers without kb.write see published articles only.
    if (f.status === undefined && !can(who.role, 'kb.write')) f.status = 'published';
    ctx.body = kb().list(who, f);
  });

  router.get('/api/v1/kb/search', auth, read, (ctx) => {
    ctx.body = kb().search(principalOf(ctx), { ...filters(ctx), q: queryText(ctx) });
  });

  router.get('/api/v1/kb/categories', auth, read, (ctx) => {
    ctx.body = { items: kb().categories(principalOf(ctx)) };
  });

  router.get('/api/v1/kb/popular', auth, read, (ctx) => {
    const items = kb().popular(principalOf(ctx), pageQuery(ctx.query));
    ctx.body = { items, total: items.length };
  });

  router.post('/api/v1/kb/articles', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, FIELDS);
    const title = requiredString(b, 'title', { max: 200 });
    const text = requiredString(b, 'body', { max: 100_000 });
    const category = optionalString(b, 'category', { min: 0, max: 64 });
    const tags = tagsOf(b);
    const status = b.status === undefined ? undefined : statusOf(b.status, 'status');
    ctx.status = 201;
    ctx.body = kb().create(principalOf(ctx), {
      title,
      body: text,
      ...(category != null ? { category } : {}),
      ...(tags ? { tags } : {}),
      ...(status ? { status } : {}),
    });
  });

  router.get('/api/v1/kb/articles/:id', auth, read, (ctx) => {
    const who = principalOf(ctx);
    const id = ctx.params.id ?? '';
    const found = kb().get(who, id);
    if (!found || (found.status !== 'published' && !can(who.role, 'kb.write'))) {
      throw new CallboxError('NOT_FOUND', `no article ${JSON.stringify(id)}`);
    }
    ctx.body = kb().view(who, id);
  });

  router.patch('/api/v1/kb/articles/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, [...FIELDS, 'version']);
    const patch: ArticlePatch = {};
    const title = optionalString(b, 'title', { max: 200 });
    if (title != null) patch.title = title;
    const text = optionalString(b, 'body', { max: 100_000 });
    if (text != null) patch.body = text;
    const category = optionalString(b, 'category', { min: 0, max: 64 });
    if (category != null) patch.category = category;
    const tags = tagsOf(b);
    if (tags) patch.tags = tags;
    if (b.status !== undefined) patch.status = statusOf(b.status, 'status');
    if (b.version !== undefined) {
      if (typeof b.version !== 'number' || !Number.isInteger(b.version) || b.version < 1)
        throw invalid('version', 'must be a positive integer');
      patch.version = b.version;
    }
    ctx.body = kb().update(principalOf(ctx), ctx.params.id ?? '', patch);
  });

  router.post('/api/v1/kb/articles/:id/archive', auth, write, (ctx) => {
    ctx.body = kb().update(principalOf(ctx), ctx.params.id ?? '', { status: 'archived' });
  });

  router.delete('/api/v1/kb/articles/:id', auth, write, (ctx) => {
    kb().remove(principalOf(ctx), ctx.params.id ?? '');
    ctx.status = 204;
  });

  router.post('/api/v1/kb/articles/:id/used', auth, read, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['callId', 'ticketId']);
    const callId = optionalString(b, 'callId', { max: 64, nullable: true });
    const ticketId = optionalString(b, 'ticketId', { max: 64, nullable: true });
    const who = principalOf(ctx);
    const id = ctx.params.id ?? '';
    const found = kb().get(who, id);
    if (!found || found.status === 'archived') throw new CallboxError('NOT_FOUND', `no article ${JSON.stringify(id)}`);
    ctx.body = kb().markUsed(who, id, { callId: callId ?? null, ticketId: ticketId ?? null });
  });
}
