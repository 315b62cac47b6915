// Schema step 23: the call history's ORDER BY started_at DESC, id DESC walks calls_newest (no sort
// of every row before a deep page), filters and time ranges too; pages stay in order with ties.
import t from 'tap';
import { CallStore } from '../../../firmware/src/store/call-store.js';
import { callSearchSql } from '../../../firmware/src/store/call-search.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

const plan = (db: ReturnType<typeof openDatabase>, sql: string, params: unknown[] = []): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

t.test('the list, a deep page, an agent filter and a time range use calls_newest without a sort', async (t) => {
  const db = openDatabase(':memory:');
  const cases = [{}, { agent: 'a3' }, { from: 0, to: 10 }, { outcomes: ['abandoned' as const] }];
  for (const q of cases) {
    const sql = callSearchSql({ limit: 50, ...q });
    const p = plan(db, `SELECT id FROM calls ${sql.where} ORDER BY started_at DESC, id DESC LIMIT 50 OFFSET 20000`, sql.params);
    t.match(p, /calls_newest/, JSON.stringify(q));
    t.notMatch(p, /TEMP B-TREE/, `no sort: ${JSON.stringify(q)}`);
  }
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE name = 'calls_started_at'").all(), [], 'calls_started_at replaced');
});

t.test('pages over calls with equal start times: newest first, then id descending, no row twice', async (t) => {
  const db = openDatabase(':memory:');
  const ins = db.prepare(
    "INSERT INTO calls (id, direction, state, started_at, outcome, ivr_path) VALUES (?, 'inbound', 'ended', ?, 'answered', '')",
  );
  const want: Array<[number, string]> = [];
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(i / 7) * 1000; // 7 calls per start time
    const id = `c${String((i * 37) % 1000).padStart(4, '0')}`;
    ins.run(id, at);
    want.push([at, id]);
  }
  want.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : b[0] - a[0]));
  const store = new CallStore(db);
  const got: string[] = [];
  for (let offset = 0; offset < 300; offset += 40) got.push(...store.searchCalls({ limit: 40, offset }).map((c) => c.id));
  t.same(
    got,
    want.map((w) => w[1]),
  );
});
