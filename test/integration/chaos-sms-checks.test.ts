// The crash harness's SMS-in check (scripts/chaos/sms-checks.mjs) against a real box in virtual
// time with a fake EC25 on a socat pty (as make chaos has) and its REST API: a message the modem
// received is found (in the inbox once
// under its id, shown by GET /api/v1/sms/:id, and on its ticket); one the box never got is lost as
// "not in the inbox"; a second inbox row holding the same text is a duplicate; a message in the
// inbox under another id is lost.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import { checkSmsIn } from '../../scripts/chaos/sms-checks.mjs';
import { loginToken, serveApi } from '../helpers/http-api.js';
import { deliverPdu } from '../unit/atmodem/fixtures/deliver.js';
import { openModemBox } from './fixtures/modem-box.js';

t.test('SMS in: in the inbox once under its id and on its ticket', async (t) => {
  const { box: cb, modem, pump, dataDir } = await openModemBox(t, { model: 'EC25' });
  await pump('modem ready', () => cb.channels().find((c) => c.id === 'gsm1')?.state === 'idle');
  const http = await serveApi(t, cb.service);
  const box = { url: `http://127.0.0.1:${http.port}`, token: await loginToken(http.port, 'owner', 'test-password-1') };
  const inbox = () => cb.service.sms.list(SYSTEM_ACTOR, { direction: 'in' }).total;
  for (const [i, tag] of ['#c1#', '#c2#'].entries()) {
    modem.receiveSms(deliverPdu({ from: '+8613800000001', text: `到货了吗 ${tag}`, alphabet: 'ucs2' }));
    await pump(`SMS ${tag} in the inbox`, () => inbox() === i + 1);
  }
  await pump('SIM emptied', () => modem.storedCount() === 0);
  const db = new Database(join(dataDir, 'callbox.db'));
  t.teardown(() => db.close());
  // the ids the box's decoder gave them (sender + time stamp + text hash), as the harness knows them
  const ids = db.prepare('SELECT modem_id FROM sms_received ORDER BY id').pluck().all() as string[];
  const acks = [
    { kind: 'smsIn' as const, id: ids[0] as string, tag: '#c1#' },
    { kind: 'smsIn' as const, id: ids[1] as string, tag: '#c2#' },
    { kind: 'smsIn' as const, id: 'never-came', tag: '#c3#' },
  ];
  const first = await checkSmsIn(box, db, acks);
  t.same(
    first.found.map((a) => a.id),
    ids,
  );
  t.match(first.lost, [{ id: 'never-came', why: 'not in the inbox' }]);
  t.same(first.duplicates, []);

  // the same text stored again under another id (as a decoder that names a message twice would)
  db.prepare(`INSERT INTO sms_received (id, modem_id, phone, body, received_at) VALUES ('01X', 'again', '1', '到货了吗 #c1#', 1)`).run();
  // and one under an id that is not the message's
  db.prepare(`UPDATE sms_received SET modem_id = 'other' WHERE modem_id = ?`).run(ids[1]);
  const second = await checkSmsIn(box, db, acks.slice(0, 2));
  t.match(second.duplicates, [{ id: ids[0], tickets: [/^inbox /, /^inbox /] }]);
  t.same(
    second.found.map((a) => a.id),
    [ids[0]],
  );
  t.match(second.lost, [{ id: ids[1], why: 'in the inbox as other, not its id' }]);
});
