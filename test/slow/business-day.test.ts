// One simulated business day through the real engine in virtual time (Poisson arrivals at 90
// calls/hour on 3 lines and 2 agents, 10 hours), then the KPIs the box reports are checked against
// an independent computation straight from the raw event log in SQL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

t.test('a business day: KPIs equal an independent SQL computation from the event log', async (t) => {
  // two agents for three lines: callers wait, some give up
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-day-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  (c.queues[0] as Config['queues'][number]).members = ['a1', 'a2'];
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir, demoCallsPerHour: 90 });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const from = clock.now();
  await clock.run(10 * 3_600_000);
  const to = clock.now();
  const k = box.service.kpis.report({ from, to });

  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  const count = (type: string) =>
    (db.prepare('SELECT count(*) AS n FROM events WHERE type = ? AND ts >= ? AND ts < ?').get(type, from, to) as { n: number }).n;
  const connects = db
    .prepare("SELECT json_extract(data, '$.waitMs') AS w FROM events WHERE type = 'queue.connect' AND ts >= ? AND ts < ?")
    .all(from, to) as { w: number }[];
  const abandons = db
    .prepare("SELECT json_extract(data, '$.waitMs') AS w FROM events WHERE type = 'queue.abandon' AND ts >= ? AND ts < ?")
    .all(from, to) as { w: number }[];
  const offered = count('queue.enter');
  const answered = connects.length;
  const within = connects.filter((c) => c.w <= 20_000).length;
  const short = abandons.filter((a) => a.w < 5_000).length;

  t.ok(offered > 500, `a busy day: ${offered} calls offered`);
  t.ok(abandons.length > 0 && within < answered, `callers waited: ${abandons.length} abandoned, ${answered - within} answered after 20 s`);
  t.equal(k.offered, offered, 'offered = queue.enter events');
  t.equal(k.answered, answered, 'answered = queue.connect events');
  t.equal(k.abandoned, abandons.length, 'abandoned = queue.abandon events');
  t.equal(k.shortAbandoned, short, 'short abandons (< 5 s)');
  t.equal(k.answeredWithinThreshold, within);
  t.equal(k.serviceLevel, within / answered, 'service level (20 s)');
  t.equal(k.serviceLevelWithAbandons, within / (answered + abandons.length - short), 'service level counting abandons');
  const asa = connects.reduce((s, c) => s + c.w, 0) / answered / 1000;
  t.ok(Math.abs((k.asaS ?? Number.NaN) - asa) < 1e-9, `ASA ${asa.toFixed(2)} s`);
  const talk = db
    .prepare("SELECT json_extract(data, '$.talkMs') AS m FROM events WHERE type = 'queue.complete' AND ts >= ? AND ts < ?")
    .all(from, to) as { m: number }[];
  const att = talk.reduce((s, r) => s + r.m, 0) / talk.length / 1000;
  t.ok(k.handled <= talk.length && k.handled >= talk.length - 4, 'handled: completed calls whose wrap-up is over');
  t.ok(Math.abs((k.attS ?? Number.NaN) - att) < 1, `ATT about ${att.toFixed(1)} s`);
  const cdrAnswered = (
    db.prepare("SELECT count(*) AS n FROM calls WHERE outcome = 'answered' AND started_at >= ? AND started_at < ?").get(from, to) as {
      n: number;
    }
  ).n;
  t.ok(Math.abs(cdrAnswered - answered) <= 4, 'CDR outcomes agree with the queue log (up to calls straddling the end)');
});
