// The customers search at scale (schema step 22): the trigram index only narrows the candidates,
// so every search gives what the plain LIKE rules give (checked against a reference filter over
// random customers, edited, tagged, renumbered and erased through the real service); the plans
// use the indexes; masked viewers search numbers by the last 4 digits only.
import t from 'tap';
import { normalizePhone, phoneKeys } from '../../../firmware/src/backoffice/common/phone.js';
import type { Customer } from '../../../firmware/src/backoffice/customers/types.js';
import { mulberry32 as rng } from '../../../scripts/lib/rng.mjs';
import { AGENT, customersBox, errorFrom, OWNER, SUPERVISOR } from './fixtures/box.js';

const CHARS = ['a', 'A', 'b', 'é', 'É', '客', '户', '王', '%', '_', '"', "'", ' ', '1', '3', '8', '\\', '*', 'ß', 'ǅ'];

/** LIKE without wildcards: ASCII letters case-insensitive, anything else exact. */
const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likes = (field: string, text: string): boolean => fold(field).includes(fold(text));

/** What the LIKE scan gives for an owner's query `q` (the rules of CustomersCore.search). */
function reference(all: Customer[], q: string): string[] {
  const digits = /^[+\d\s\-()（）]+$/.test(q) ? q.replace(/\D/g, '') : '';
  let keys: string[] = [];
  if (digits.length >= 7) {
    try {
      keys = phoneKeys(normalizePhone(q), 'CN');
    } catch {
      keys = [];
    }
  }
  return all
    .filter(
      (c) =>
        c.erasedAt === null &&
        ((c.name !== null && likes(c.name, q)) ||
          likes(c.notes, q) ||
          c.tags.some((tag) => likes(tag, q)) ||
          (digits.length >= 3 && c.phones.some((p) => p.phone.includes(digits))) ||
          c.phones.some((p) => keys.includes(p.phone))),
    )
    .sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1))
    .map((c) => c.id);
}

t.test('trigram candidates + LIKE recheck = the LIKE scan, through inserts, edits, tags, phones and erasure', async (t) => {
  const { bo, clock } = customersBox();
  const rand = rng(20261127);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const word = (n: number): string => Array.from({ length: n }, () => pick(CHARS)).join('');
  // names and tags are trimmed: no space at either end
  const solid = (n: number): string => {
    const w = word(n);
    return w.trim() === w && w.length > 0 ? w : `${pick(CHARS.slice(0, 8))}${w.trim()}`;
  };
  const usedPhones = new Set<string>();
  const phone = (): string => {
    for (;;) {
      const p = `13${Math.floor(rand() * 1e9)
        .toString()
        .padStart(9, '0')}`;
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) {
    clock.advance(rand() < 0.3 ? 0 : 1000); // equal updated_at too: the id breaks the tie
    const c = bo.customers.create(OWNER, {
      name: solid(1 + Math.floor(rand() * 6)),
      notes: rand() < 0.5 ? word(Math.floor(rand() * 12)) : '',
      phones: Array.from({ length: Math.floor(rand() * 3) }, phone),
      tags: Array.from({ length: Math.floor(rand() * 3) }, () => solid(1 + Math.floor(rand() * 4))),
    });
    ids.push(c.id);
  }
  for (let i = 0; i < 80; i++) {
    clock.advance(1000);
    const id = pick(ids);
    if (bo.customers.get(OWNER, id)?.erasedAt !== null) continue;
    const r = rand();
    if (r < 0.3) bo.customers.update(OWNER, id, { name: solid(2 + Math.floor(rand() * 4)) });
    else if (r < 0.5) bo.customers.update(OWNER, id, { notes: word(Math.floor(rand() * 10)) });
    else if (r < 0.7) bo.customers.update(OWNER, id, { tags: [solid(3)] });
    else if (r < 0.9) bo.customers.update(OWNER, id, { phones: [phone()], name: solid(3) });
    else bo.customers.erase(OWNER, id, 'test');
  }
  const all = ids.map((id) => bo.customers.get(OWNER, id) as Customer);
  const docs = all.flatMap((c) => [c.name ?? '', c.notes, ...c.tags, ...c.phones.map((p) => p.phone)]).filter((s) => s.length > 0);
  const queries: string[] = [
    '138',
    '1381',
    '13 8',
    '%',
    '_',
    '"',
    '客户',
    'aé',
    'AB',
    '\\',
    'É',
    'ß',
    '"""',
    'a"b',
    '*',
    'a*',
    'NEAR(a b)',
    'a OR b',
    'AND',
    '^a',
    'x\u0000yz',
    '😀😀😀',
    '(1)',
  ];
  for (let i = 0; i < 250; i++) {
    const d = pick(docs);
    const from = Math.floor(rand() * d.length);
    const sub = d.slice(from, from + 1 + Math.floor(rand() * 8));
    const q = rand() < 0.3 ? sub.toUpperCase() : rand() < 0.2 ? word(1 + Math.floor(rand() * 4)) : sub;
    if (q.trim()) queries.push(q.trim());
  }
  let nonEmpty = 0;
  for (const q of queries) {
    const want = reference(all, q);
    const got = bo.customers.search(OWNER, { q, limit: 500 });
    if (want.length > 0) nonEmpty++;
    if (
      !t.same(
        got.items.map((c) => c.id),
        want,
        `q=${JSON.stringify(q)}`,
      )
    )
      break;
    t.equal(got.total, want.length, `total q=${JSON.stringify(q)}`);
  }
  t.ok(nonEmpty > 150, `most queries find someone (${nonEmpty} of ${queries.length})`);
  const erased = all.filter((c) => c.erasedAt !== null);
  t.ok(erased.length > 0, 'some customers were erased');
});

t.test('plans: the list walks customers_live (no sort, no table scan); a text search reads customer_search', async (t) => {
  const { bo, db } = customersBox();
  bo.customers.create(OWNER, { name: '张三', phones: ['13812345678'] });
  const plan = (sql: string): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  const list = plan('SELECT c.id FROM customers c WHERE c.erased_at IS NULL ORDER BY c.updated_at DESC, c.id DESC LIMIT 50 OFFSET 10000');
  t.match(list, /customers_live/);
  t.notMatch(list, /TEMP B-TREE/);
  t.match(plan('SELECT COUNT(*) FROM customers c WHERE c.erased_at IS NULL'), /customers_live/);
  // the statement the store prepares for q=138, caught at prepare time
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  t.equal(bo.customers.search(OWNER, { q: '138' }).total, 1);
  db.prepare = prepare;
  const select = seen.find((s) => s.startsWith('SELECT c.id')) ?? '';
  t.match(select, /customer_search MATCH/);
  const detail = (
    db.prepare(`EXPLAIN QUERY PLAN ${select}`).all({ pat: '%138%', digits: '%138%', match: '"138" OR "138"', limit: 50, offset: 0 }) as {
      detail: string;
    }[]
  )
    .map((r) => r.detail)
    .join(' | ');
  t.match(detail, /SEARCH c USING INTEGER PRIMARY KEY/, 'candidates by rowid, not a scan of customers');
  t.match(detail, /customer_search VIRTUAL TABLE/);
});

t.test('masked viewers search numbers by the last 4 digits only, at the end of the number', async (t) => {
  const { bo } = customersBox();
  const a = bo.customers.create(OWNER, { name: '周杰', phones: ['13812345678'] });
  const b = bo.customers.create(OWNER, { name: '吴磊', phones: ['13956781234'] });
  const ids = (who: typeof OWNER, q: string) => bo.customers.search(who, { q }).items.map((x) => x.id);
  t.same(ids(AGENT, '5678'), [a.id], 'the last 4 digits');
  t.same(ids(OWNER, '5678'), [b.id, a.id], 'owners match digits anywhere');
  t.same(ids(AGENT, '678'), [a.id], '3 of the last digits');
  t.same(ids(AGENT, '1234'), [b.id], 'not the hidden middle digits of another number');
  t.same(ids(AGENT, '138'), [], 'not the first digits either');
  t.same(ids(OWNER, '138'), [a.id]);
  t.same(ids(SUPERVISOR, '1381234'), [a.id], 'supervisors see whole numbers: any digits');
  for (const q of ['12345678', '138 1234 5678', '+86 138-1234-5678']) {
    t.match(
      errorFrom(() => bo.customers.search(AGENT, { q })),
      { code: 'FORBIDDEN', field: 'q' },
      `agent q=${q}`,
    );
  }
  t.same(ids(AGENT, '周'), [a.id], 'names as before');
});
