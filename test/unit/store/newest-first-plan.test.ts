// Schema step 24: the tickets and orders lists (ORDER BY created_at DESC, id DESC) walk their
// *_newest index to a deep page without sorting every row, and created_at ranges use it too.
import t from 'tap';
import { openDatabase } from '../../../firmware/src/store/db.js';

t.test('tickets and orders: deep pages and created_at ranges use the newest-first index, no sort', async (t) => {
  const db = openDatabase(':memory:');
  const plan = (sql: string): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  for (const table of ['tickets', 'orders']) {
    const deep = plan(`SELECT * FROM ${table} ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 10000`);
    t.match(deep, new RegExp(`${table}_newest`), `${table}: deep page`);
    t.notMatch(deep, /TEMP B-TREE/, `${table}: no sort`);
    t.match(
      plan(`SELECT COUNT(*) FROM ${table} WHERE created_at >= 5 AND created_at < 10`),
      new RegExp(`${table}_newest`),
      `${table}: range`,
    );
    t.same(db.prepare('SELECT name FROM sqlite_master WHERE name = ?').all(`${table}_created_at`), [], `${table}_created_at replaced`);
  }
});
