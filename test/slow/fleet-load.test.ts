// Issue 7 "Load": 500 simulated boxes (mqtt.js v5 clients in this process, real contract: birth +
// last will, rec batches built by buildBatch, each acked alone, tel) against a private mosquitto and
// the reference consumer (`callbox fleet consume`, SQLite, production bundle). Every record stored
// once and acked, every box's birth seen, within a hard deadline (test/slow/fixtures/fleet-load.ts).
import t from 'tap';
import { runFleetLoad } from './fixtures/fleet-load.js';

t.test('500 boxes x 2 streams x 20 records: all stored once, all acked, births seen, < 120 s', async (t) => {
  const boxes = 500;
  const perStream = 20;
  const r = await runFleetLoad({ boxes, perStream, perBatch: 10, wave: 50, deadlineMs: 120_000, log: (m) => t.comment(m) });
  t.comment(JSON.stringify(r));
  t.equal(r.records, boxes * 2 * perStream);
  t.equal(r.stored, r.records, 'every record is in the consumer store');
  t.equal(r.storedDistinct, r.stored, 'none twice');
  t.equal(r.acked, boxes * 2 * 2, 'every batch acked (2 batches per stream per box)');
  t.equal(r.births, boxes, "every box's retained birth reached the consumer");
  t.equal(r.offline, boxes, 'every clean stop left {state:"offline"}');
});

t.test('the hard deadline fires (a run that cannot finish rejects, it does not hang)', async (t) => {
  await t.rejects(runFleetLoad({ boxes: 20, perStream: 200, perBatch: 1, deadlineMs: 300 }), /hard deadline/);
});
