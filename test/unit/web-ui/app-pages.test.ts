// The app's back-office pages, without a browser: every page path of pages.tsx is served as the
// app by the box (a reload of /customers/<id> must not be a 404 — it was, before 'calls',
// 'customers', 'tickets' and 'kb' were added to APP_PAGES); the app's copy of the ticket workflow
// offers exactly the firmware's moves; and the knowledge base's Markdown renderer (bundled by
// esbuild as the app is) turns HTML and unsafe links into plain text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import t from 'tap';
import { allowedFrom } from '../../../firmware/src/backoffice/tickets/workflow.js';
import { nextStatuses, TICKET_STATUSES, transitionTarget } from '../../../web-ui/app/src/ticket-flow.js';
import { APP_PAGES } from '../../../web-ui/server/static.js';
import { ROOT } from '../../helpers/box.js';

t.test('every page of the app is served as the app', (t) => {
  const src = readFileSync(join(ROOT, 'web-ui/app/src/pages.tsx'), 'utf8');
  const paths = [...src.matchAll(/path: '([a-z0-9-]+)'/g)].map((m) => m[1] as string);
  t.ok(paths.length >= 8, `pages found: ${paths.join(', ')}`);
  for (const p of ['calls', 'customers', 'tickets', 'kb']) t.ok(paths.includes(p), `${p} is a page`);
  for (const p of paths) t.ok(APP_PAGES.has(p), `/${p} serves the app`);
  t.end();
});

t.test("the app's ticket workflow is the firmware's", (t) => {
  for (const s of TICKET_STATUSES) t.same([...nextStatuses(s)].sort(), [...allowedFrom(s)].sort(), s);
  t.equal(transitionTarget('closed', 'in_progress'), 'reopen');
  t.equal(transitionTarget('resolved', 'in_progress'), 'reopen');
  t.equal(transitionTarget('waiting_customer', 'in_progress'), 'in_progress');
  t.equal(transitionTarget('resolved', 'closed'), 'closed');
  t.end();
});

interface VNodeLike {
  type: unknown;
  props: { children?: unknown; href?: string; rel?: string; dangerouslySetInnerHTML?: unknown };
}

/** Tag names and text of a rendered tree; fails on any innerHTML. */
function walk(node: unknown, tags: string[], text: string[], attrs: VNodeLike['props'][]): void {
  if (node === null || node === undefined || typeof node === 'boolean') return;
  if (typeof node === 'string' || typeof node === 'number') {
    text.push(String(node));
    return;
  }
  if (Array.isArray(node)) {
    for (const n of node) walk(n, tags, text, attrs);
    return;
  }
  const v = node as VNodeLike;
  if (typeof v.type === 'string') tags.push(v.type);
  attrs.push(v.props);
  walk(v.props.children, tags, text, attrs);
}

t.test('Markdown renders safely', async (t) => {
  const out = await build({
    entryPoints: [join(ROOT, 'web-ui/app/src/markdown.tsx')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  const { renderMarkdown } = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
    renderMarkdown: (md: string) => unknown[];
  };
  const render = (md: string) => {
    const tags: string[] = [];
    const text: string[] = [];
    const attrs: VNodeLike['props'][] = [];
    walk(renderMarkdown(md), tags, text, attrs);
    return { tags, text: text.join(''), attrs };
  };

  const r = render(
    '# 退货流程\n\n1. 七天内可申请**退货**\n2. 客服*登记*工单\n\n- `SKU-1`\n- [官网](https://shop.example/a?b=1)\n\n> 注意\n\n```\n<b>code</b>\n```',
  );
  t.same(r.tags, ['h3', 'ol', 'li', 'strong', 'li', 'em', 'ul', 'li', 'code', 'li', 'a', 'blockquote', 'pre', 'code']);
  t.match(r.text, /<b>code<\/b>/, 'code blocks keep their characters as text');
  const link = r.attrs.find((a) => a.href);
  t.match(link, { href: 'https://shop.example/a?b=1', rel: 'noopener noreferrer nofollow' });

  for (const evil of [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox)',
    '**<svg onload=alert(1)>**',
  ]) {
    const e = render(evil);
    t.notOk(e.tags.includes('a') || e.tags.includes('script') || e.tags.includes('img') || e.tags.includes('svg'), `${evil}: no element`);
    t.ok(
      e.attrs.every((a) => a.dangerouslySetInnerHTML === undefined),
      `${evil}: no innerHTML`,
    );
    t.ok(e.text.includes(evil.replace(/\*\*/g, '')), `${evil}: shown as text`);
  }
  t.same(render('第一行\n第二行').tags, ['p', 'br'], 'a line break inside a paragraph is kept');
  t.same(render('').tags, [], 'empty');
});
