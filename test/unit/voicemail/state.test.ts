// Each voicemail is a task for the owner: new → heard → handled, with who handled it, when, and a
// note; the list by state, newest first; messages still being recorded stay out of sight.
import path from 'node:path';
import t, { type Test } from 'tap';
import { type Rig, rig, T0 } from './fixtures/helpers.js';

function row(r: Rig, id: string, at: number, state = 'new'): void {
  r.db
    .prepare(
      'INSERT INTO voicemails (id, call_id, box, caller_id, created_at, duration_ms, path, state) VALUES (?, ?, ?, ?, ?, 3000, ?, ?)',
    )
    .run(id, `call-${id}`, 'shop', '13800000001', at, `2026-03-03/${id}.wav`, state);
}

function seeded(t: Test): Rig {
  const r = rig(t);
  row(r, 'v1', T0);
  row(r, 'v2', T0 + 60_000);
  row(r, 'v3', T0 + 120_000);
  row(r, 'live', T0 + 180_000, 'recording');
  return r;
}

t.test('new → heard → handled, with who, when and a note', (t) => {
  const r = seeded(t);
  t.match(r.vm.get('v1'), {
    id: 'v1',
    callId: 'call-v1',
    box: 'shop',
    callerId: '13800000001',
    createdAt: new Date(T0).toISOString(),
    durationMs: 3000,
    state: 'new',
    handledBy: null,
    handledAt: null,
    note: null,
  });
  r.clock.advance(5_000);
  t.match(r.vm.setState('v1', 'heard', 'owner'), { state: 'heard', handledBy: null, handledAt: null, note: null });
  r.clock.advance(5_000);
  const handled = r.vm.setState('v1', 'handled', 'lily', '已回电 called back');
  t.match(handled, { state: 'handled', handledBy: 'lily', handledAt: new Date(T0 + 10_000).toISOString(), note: '已回电 called back' });
  r.clock.advance(5_000);
  t.match(
    r.vm.setState('v1', 'handled', 'owner'),
    { handledBy: 'lily', handledAt: handled.handledAt, note: '已回电 called back' },
    'handled again: who and when are kept, and the note without one',
  );
  t.match(r.vm.setState('v1', 'handled', 'owner', null), { note: null }, 'null clears the note');
  t.match(
    r.vm.setState('v1', 'new', 'owner', 'reopened'),
    { state: 'new', handledBy: null, handledAt: null, note: 'reopened' },
    'reopening clears who/when',
  );
  t.ok(r.lines.some((l) => l.msg === 'voicemail state changed' && l.voicemail === 'v1' && l.by === 'lily' && l.state === 'handled'));
  t.end();
});

t.test('unknown ids, messages being recorded, bad states and notes are refused', (t) => {
  const r = seeded(t);
  t.throws(() => r.vm.setState('nope', 'heard', 'owner'), { code: 'NOT_FOUND' });
  t.throws(() => r.vm.setState('live', 'heard', 'owner'), { code: 'NOT_FOUND' }, 'still being recorded');
  t.throws(() => r.vm.setState('v1', 'deleted' as never, 'owner'), { code: 'VALIDATION_FAILED' });
  t.throws(() => r.vm.setState('v1', 'heard', 'owner', 'x'.repeat(2001)), { code: 'VALIDATION_FAILED' });
  t.match(r.vm.setState('v1', 'heard', 'owner', 'x'.repeat(2000)), { state: 'heard' });
  t.equal(r.vm.get('live'), null);
  t.equal(r.vm.filePath('live'), null);
  t.equal(r.vm.get('nope'), null);
  t.equal(r.vm.filePath('nope'), null);
  t.equal(r.vm.filePath('v2'), path.join(r.dataDir, 'voicemail', '2026-03-03', 'v2.wav'));
  t.end();
});

t.test('list: newest first, by state, limit clamped', (t) => {
  const r = seeded(t);
  const ids = (q: Parameters<typeof r.vm.list>[0]) => r.vm.list(q).map((v) => v.id);
  t.same(ids({}), ['v3', 'v2', 'v1'], 'the message being recorded is not listed');
  r.vm.setState('v2', 'heard', 'owner');
  r.vm.setState('v3', 'handled', 'owner');
  t.same(ids({ state: 'new' }), ['v1']);
  t.same(ids({ state: 'heard' }), ['v2']);
  t.same(ids({ state: 'handled' }), ['v3']);
  t.same(ids({ limit: 2 }), ['v3', 'v2']);
  t.same(ids({ limit: 0 }), ['v3'], 'at least 1');
  t.throws(() => r.vm.list({ state: 'recording' as never }), { code: 'VALIDATION_FAILED' });
  t.end();
});
