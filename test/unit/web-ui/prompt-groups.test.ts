// The prompts page's groups (web-ui/app/src/pages/prompt-groups.ts): every built-in prompt of
// firmware/prompts/zh-CN falls in a group by its use (only shop-made names in 'own'), groups come in
// the page's order, each sorted by name, and the search matches the name or the group's label.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { groupPrompts, PROMPT_GROUPS, promptGroup } from '../../../web-ui/app/src/pages/prompt-groups.js';
import { setupAdminZh } from '../../../web-ui/app/src/text/setup-admin.js';
import { ROOT } from '../../helpers/box.js';

const label = (g: string) => (setupAdminZh as Record<string, string>)[`prompts.group.${g}`] ?? '';

t.test('every built-in prompt has a use', (t) => {
  const names = [...new Set(readdirSync(join(ROOT, 'firmware/prompts/zh-CN')).map((f) => f.replace(/\.[a-z0-9]+$/, '')))];
  t.ok(names.length > 50, `${names.length} built-in prompts`);
  t.same(
    names.filter((n) => promptGroup(n) === 'own'),
    [],
    'no built-in prompt left in the catch-all group',
  );
  for (const g of PROMPT_GROUPS) t.not(label(g), '', `a label for ${g}`);
  t.equal(promptGroup('queue-position-before'), 'queue');
  t.equal(promptGroup('carrier-sf'), 'order');
  t.equal(promptGroup('enter-code'), 'code');
  t.equal(promptGroup('fc-paused'), 'phone');
  t.equal(promptGroup('month-12'), 'speech');
  t.equal(promptGroup('promo-double11'), 'own', 'a name the shop made');
  t.end();
});

t.test('groups in order, sorted, filtered by name or use', (t) => {
  const ps = ['welcome', 'num-2', 'queue-all-busy', 'closed', 'promo-double11', 'num-1'].map((name) => ({ name }));
  const all = groupPrompts(ps, '', label);
  t.same(
    all.map((g) => [g.group, g.prompts.map((p) => p.name)]),
    [
      ['ivr', ['closed', 'welcome']],
      ['queue', ['queue-all-busy']],
      ['speech', ['num-1', 'num-2']],
      ['own', ['promo-double11']],
    ],
  );
  t.same(
    groupPrompts(ps, ' CLOSED ', label).map((g) => g.prompts.map((p) => p.name)),
    [['closed']],
    'by name, any case',
  );
  t.same(
    groupPrompts(ps, '排队', label).map((g) => g.group),
    ['queue'],
    'by the use (group label)',
  );
  t.same(groupPrompts(ps, 'nothing-like-this', label), [], 'no match: no group');
  t.end();
});
