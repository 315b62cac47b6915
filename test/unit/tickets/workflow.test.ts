// Every workflow move (工单流转) through the real service: each status × each target, allowed or
// refused with CONFLICT naming from and to; reopen counts and clears resolved/closed times.
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { Actor, Ticket, TicketStatus } from '../../../firmware/src/service/types.js';
import { world } from './fixtures/world.js';

const AGENT: Actor = { username: 'xiaoli', role: 'agent' };
const ALL: TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed'];
const ALLOWED: Record<TicketStatus, TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'waiting_customer', 'resolved'],
  in_progress: ['waiting_customer', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};
/** How to reach each status from new. */
const PATH: Record<TicketStatus, TicketStatus[]> = {
  new: [],
  assigned: ['assigned'],
  in_progress: ['in_progress'],
  waiting_customer: ['in_progress', 'waiting_customer'],
  resolved: ['resolved'],
  closed: ['resolved', 'closed'],
};

function ticketIn(status: TicketStatus) {
  const w = world();
  const tk = w.bo.tickets;
  let cur = tk.create(AGENT, { subject: '咨询产品用法' });
  for (const to of PATH[status]) cur = tk.transition(AGENT, cur.id, { to, ...(to === 'assigned' ? { assignee: 'xiaoli' } : {}) });
  return { w, tk, cur };
}

for (const from of ALL) {
  for (const to of ALL) {
    const allowed = ALLOWED[from].includes(to);
    t.test(`${from} -> ${to}: ${allowed ? 'allowed' : 'refused'}`, async (t) => {
      const { tk, cur } = ticketIn(from);
      t.equal(cur.status, from);
      const args = { to, ...(to === 'assigned' ? { assignee: 'xiaoli' } : {}) };
      if (allowed) {
        const next = tk.transition(AGENT, cur.id, args);
        t.equal(next.status, to);
        t.equal(next.version, cur.version + 1);
        if (to === 'resolved') t.ok(next.resolvedAt);
        if (to === 'closed') t.ok(next.closedAt);
        if ((from === 'resolved' || from === 'closed') && to === 'in_progress') {
          t.equal(next.reopenCount, 1, 'a move back to work is a reopen');
          t.equal(next.resolvedAt, null);
          t.equal(next.closedAt, null);
        }
      } else {
        let err: unknown;
        try {
          tk.transition(AGENT, cur.id, args);
        } catch (e) {
          err = e;
        }
        t.ok(err instanceof CallboxError, 'refused with a CallboxError');
        t.match(err, { code: 'CONFLICT', details: { from, to } });
        t.match((err as Error).message, `from ${from} to ${to}`);
        t.equal(tk.get(AGENT, cur.id)?.version, cur.version, 'nothing changed');
      }
    });
  }
}

t.test('reopen by name, only from resolved or closed', async (t) => {
  const { tk, cur } = ticketIn('closed');
  const r = tk.transition(AGENT, cur.id, { to: 'reopen', note: '客户又来电 / customer called again' });
  t.match(r, { status: 'in_progress', reopenCount: 1, resolvedAt: null, closedAt: null });
  const again = tk.transition(AGENT, tk.transition(AGENT, r.id, { to: 'resolved' }).id, { to: 'reopen' });
  t.equal(again.reopenCount, 2);
  t.throws(() => tk.transition(AGENT, again.id, { to: 'reopen' }), { code: 'CONFLICT', details: { from: 'in_progress', to: 'reopen' } });
  const events = tk.detail(AGENT, cur.id)?.events ?? [];
  t.same(
    events.filter((e) => e.type === 'reopen').map((e) => [e.fromStatus, e.toStatus]),
    [
      ['closed', 'in_progress'],
      ['resolved', 'in_progress'],
    ],
  );
  t.equal(events.find((e) => e.type === 'reopen')?.body, '客户又来电 / customer called again');
});

t.test('assigning needs an assignee; picking up an unassigned ticket takes it', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: 'A' });
  t.throws(() => tk.transition(AGENT, a.id, { to: 'assigned' }), { code: 'VALIDATION_FAILED', details: { field: 'assignee' } });
  const b: Ticket = tk.transition(AGENT, a.id, { to: 'in_progress' });
  t.equal(b.assignee, 'xiaoli');
  t.throws(() => tk.transition(AGENT, a.id, { to: 'done' as never }), { code: 'VALIDATION_FAILED', details: { field: 'to' } });
  t.throws(() => tk.transition(AGENT, 'nope', { to: 'resolved' }), { code: 'NOT_FOUND' });
  t.throws(() => tk.transition(AGENT, a.id, { to: 'resolved', version: 1 }), { code: 'CONFLICT' });
});
