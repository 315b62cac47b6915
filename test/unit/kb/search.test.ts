// Knowledge-base search over the real index (FTS5 in SQLite): Chinese bigrams, English words with
// stemming, AND of every query word, ranking (title before body), folding, Markdown stripped,
// snippets, re-index on update, archived and deleted articles left out.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { indexTokens, markdownToText, matchExpression } from '../../../firmware/src/backoffice/kb/text.js';
import { testBackOffice } from './fixtures/backoffice.js';

const A = SYSTEM_ACTOR;

function seed() {
  const tb = testBackOffice();
  const kb = tb.bo.kb;
  const returns = kb.create(A, {
    title: '退货流程',
    body: '# 退货流程\n\n1. 客户在**七天内**申请退货。\n2. 客服登记工单，仓库收货后退款。',
    category: '售后',
  });
  const exchange = kb.create(A, {
    title: '换货政策',
    body: '质量问题可以换货。如需退款请走退货手续。运费由本店承担。',
    category: '售后',
  });
  const flow = kb.create(A, { title: '发货流程', body: '订单付款后 48 小时内发货，顺丰快递。', category: '物流' });
  const policy = kb.create(A, {
    title: 'Return policy',
    body: 'Customers may return any product within 7 days. Refunds are paid to the original card.',
    category: 'FAQ',
  });
  const shipping = kb.create(A, {
    title: 'Shipping times',
    body: 'We ship within two days. See the [return policy](https://shop.example/returns) for returns.',
    category: 'FAQ',
  });
  return { ...tb, kb, returns, exchange, flow, policy, shipping };
}

const ids = (page: { items: { article: { id: string } }[] }) => page.items.map((h) => h.article.id);

t.test('tokens: CJK bigrams, words folded, Markdown stripped', async (t) => {
  t.equal(indexTokens('退货流程'), '退货 货流 流程 程');
  t.equal(indexTokens('ＡＢＣ Return　Policy１２'), 'abc return policy12');
  t.equal(markdownToText('## 标题\n**粗体** [链接](http://x.cn/a) `code` > 引用'), '标题\n粗体 链接 code > 引用');
  t.equal(markdownToText('> 引用\n- 列表'), '引用\n列表');
  t.equal(matchExpression('退货 流程'), '"退货" AND "流程"');
  t.equal(matchExpression('退货流程'), '"退货 货流 流程"');
  t.equal(matchExpression('货'), '"货"*');
  t.equal(matchExpression('  ，。!!  '), null);
});

t.test('Chinese: 退货 finds 退货流程; 退货 流程 needs both; contiguous characters', async (t) => {
  const s = seed();
  const r1 = s.kb.search(A, { q: '退货' });
  t.same(new Set(ids(r1)), new Set([s.returns.id, s.exchange.id]));
  t.equal(r1.items[0]?.article.id, s.returns.id, 'title hit first');
  t.equal(r1.total, 2);
  t.same(ids(s.kb.search(A, { q: '退货 流程' })), [s.returns.id], 'AND: 换货政策 has 退货 but not 流程');
  t.same(ids(s.kb.search(A, { q: '流程' })).sort(), [s.returns.id, s.flow.id].sort());
  t.same(ids(s.kb.search(A, { q: '货流' })).sort(), [s.returns.id, s.flow.id].sort(), '货流 inside 退货流程 and 发货流程');
  t.same(ids(s.kb.search(A, { q: '退流' })), [], 'characters must be adjacent');
  t.same(ids(s.kb.search(A, { q: '顺丰' })), [s.flow.id]);
  t.same(ids(s.kb.search(A, { q: '丰' })), [s.flow.id], 'single character');
  t.same(ids(s.kb.search(A, { q: '程' })).sort(), [s.returns.id, s.flow.id].sort(), 'single character at the end of a run');
  t.same(ids(s.kb.search(A, { q: '48小时' })), [s.flow.id], 'digits and Han mixed');
});

t.test('English: every word anywhere, stemming, case and full width folded', async (t) => {
  const s = seed();
  t.same(ids(s.kb.search(A, { q: 'return policy' })), [s.policy.id, s.shipping.id], 'title hit before body hit');
  t.same(ids(s.kb.search(A, { q: 'RETURN　ＰＯＬＩＣＹ' })), [s.policy.id, s.shipping.id], 'full-width and case folded');
  t.same(ids(s.kb.search(A, { q: 'refund card' })), [s.policy.id]);
  t.same(ids(s.kb.search(A, { q: 'returns product' })), [s.policy.id], 'stem: returns ~ return; product in only one');
  t.same(ids(s.kb.search(A, { q: 'policy missingword' })), [], 'AND: a missing word means no hit');
  t.same(ids(s.kb.search(A, { q: 'https' })), [], 'link targets are not indexed');
  t.same(ids(s.kb.search(A, { q: 'shop example' })), [], 'link target host is not indexed');
});

t.test('Markdown syntax does not pollute results; snippets mark the hit', async (t) => {
  const s = seed();
  const md = s.kb.create(A, { title: 'Markdown', body: '**bold** and __under__ `tick`\n\n| a | b |\n|---|---|\n| 价格 | 99 |' });
  t.same(ids(s.kb.search(A, { q: 'bold' })), [md.id]);
  t.same(ids(s.kb.search(A, { q: '价格 99' })), [md.id]);
  const hit = s.kb.search(A, { q: '七天' }).items[0];
  t.match(hit?.snippet, /<mark>七天<\/mark>内申请退货/);
  t.notMatch(hit?.snippet, /\*\*/);
  const en = s.kb.search(A, { q: 'refund' }).items[0];
  t.match(en?.snippet, /<mark>Refunds<\/mark> are paid/);
  const fw = s.kb.create(A, { title: 'Ｆｕｌｌ', body: '说明：ＳＴＯＲＥ营业时间 <b>9点</b>' });
  const fwHit = s.kb.search(A, { q: 'store' }).items.find((h) => h.article.id === fw.id);
  t.match(fwHit?.snippet, /<mark>ＳＴＯＲＥ<\/mark>营业时间/, 'original text marked, full width kept');
  t.notMatch(fwHit?.snippet, /<b>/, 'HTML from the body is stripped/escaped');
  const long = s.kb.create(A, { title: '长文', body: `${'前言'.repeat(100)}关键字在这里${'后记'.repeat(100)}` });
  const lh = s.kb.search(A, { q: '关键字' }).items.find((h) => h.article.id === long.id);
  t.match(lh?.snippet, /^…前言.*<mark>关键字<\/mark>在这里后记.*…$/);
  t.ok((lh?.snippet.length ?? 999) < 140);
});

t.test('ranking: title beats body even when the body repeats the word', async (t) => {
  const s = seed();
  const heavy = s.kb.create(A, { title: '常见问题', body: '保修 保修 保修 保修 保修 保修 保修 保修 保修 保修，保修卡' });
  const titled = s.kb.create(A, { title: '保修说明', body: '整机一年，详见说明书。' });
  const r = s.kb.search(A, { q: '保修' });
  t.same(ids(r), [titled.id, heavy.id]);
  t.ok((r.items[1]?.score ?? 0) > 0, 'scores are positive');
  const twice = s.kb.create(A, { title: '其他', body: '保修一次。' });
  const r2 = s.kb.search(A, { q: '保修' });
  t.same(ids(r2), [titled.id, heavy.id, twice.id], 'more hits in the body rank higher among body hits');
  t.ok((r2.items[1]?.score ?? 0) > (r2.items[2]?.score ?? 0));
  t.same(ids(s.kb.search(A, { q: '保修', limit: 1, offset: 1 })), [heavy.id]);
  t.equal(s.kb.search(A, { q: '保修', limit: 1 }).total, 3);
});

t.test('re-index on update; archived, drafts and deleted are left out', async (t) => {
  const s = seed();
  const v2 = s.kb.update(A, s.flow.id, { title: '发货说明', body: '改用中通快递。', version: 1 });
  t.equal(v2.version, 2);
  t.same(ids(s.kb.search(A, { q: '顺丰' })), [], 'old words gone');
  t.same(ids(s.kb.search(A, { q: '中通' })), [s.flow.id], 'new words found');
  t.throws(() => s.kb.update(A, s.flow.id, { title: 'x', version: 1 }), { code: 'CONFLICT' });
  s.kb.update(A, s.returns.id, { status: 'archived' });
  t.same(ids(s.kb.search(A, { q: '退货' })), [s.exchange.id]);
  t.same(ids(s.kb.search(A, { q: '退货', status: 'archived' })), [s.returns.id]);
  const draft = s.kb.create(A, { title: '草稿 退货', body: '未发布', status: 'draft' });
  t.same(ids(s.kb.search(A, { q: '退货' })), [s.exchange.id]);
  s.kb.update(A, draft.id, { status: 'published' });
  t.same(ids(s.kb.search(A, { q: '退货' })), [draft.id, s.exchange.id]);
  s.kb.remove(A, s.exchange.id);
  t.same(ids(s.kb.search(A, { q: '退货' })), [draft.id]);
  t.equal(s.kb.get(A, s.exchange.id), null);
  t.throws(() => s.kb.remove(A, s.exchange.id), { code: 'NOT_FOUND' });
  const fts = s.db.prepare('SELECT COUNT(*) AS n FROM kb_fts').get() as { n: number };
  const docs = s.db.prepare('SELECT COUNT(*) AS n FROM kb_search_docs').get() as { n: number };
  t.equal(fts.n, docs.n, 'no orphan index rows');
  t.same(ids(s.kb.search(A, { q: '售后', category: '售后' })), [], 'category is not body text');
  t.same(ids(s.kb.search(A, { q: '退货', category: '物流' })), []);
});

t.test('outbox, revisions, views, uses, popular, categories', async (t) => {
  const s = seed();
  const rows = s.bo.outbox.pending('kb', 100);
  t.equal(rows.length, 5);
  t.same(rows[0]?.body, s.returns);
  s.kb.update(A, s.returns.id, { body: '新内容' });
  t.equal(s.bo.outbox.pending('kb', 100).length, 6);
  const revs = s.db.prepare('SELECT version FROM kb_revisions WHERE article_id = ? ORDER BY version').all(s.returns.id);
  t.same(revs, [{ version: 1 }, { version: 2 }]);
  s.kb.view(A, s.policy.id);
  s.kb.view(A, s.policy.id);
  s.kb.view(A, s.flow.id);
  s.kb.markUsed(A, s.exchange.id, { callId: 'c1' });
  t.equal(s.kb.get(A, s.exchange.id)?.uses, 1);
  t.equal(s.kb.get(A, s.exchange.id)?.version, 1, 'counters do not bump the version');
  t.same(
    s.kb.popular(A, { limit: 3 }).map((a) => a.id),
    [s.exchange.id, s.policy.id, s.flow.id],
  );
  t.same(s.kb.categories(A), [
    { name: 'FAQ', articles: 2 },
    { name: '售后', articles: 2 },
    { name: '物流', articles: 1 },
  ]);
  t.throws(() => s.kb.view(A, 'nope'), { code: 'NOT_FOUND' });
  t.throws(() => s.kb.create(A, { title: ' ', body: 'x' }), { code: 'VALIDATION_FAILED', details: { field: 'title' } });
  t.throws(() => s.kb.search(A, { q: '' }), { code: 'VALIDATION_FAILED', details: { field: 'q' } });
  t.same(s.kb.search(A, { q: '!!!' }), { items: [], total: 0 });
  t.equal(s.kb.list(A, {}).total, 5);
});
