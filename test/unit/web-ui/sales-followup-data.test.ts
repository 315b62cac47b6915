// Pure helpers of the products, orders and follow-ups pages: yuan typed by a person ↔ cents
// (bad amounts refused, never rounded silently), the order workflow's legal moves, the orders
// list's query, record ids in the address, follow-ups grouped into overdue / today / later by
// the local day, datetime-local values ↔ ISO times, and a day's calling hours as typed.
import t from 'tap';
import type { FollowupItem } from '../../../firmware/src/service/types.js';
import { groupFollowups, isoFromLocalInput, localInputValue, parseWindows } from '../../../web-ui/app/src/pages/followup-data.js';
import { NO_FILTERS, nextStatuses, ordersQuery, parseYuan, recordId, yuanText } from '../../../web-ui/app/src/pages/sales-data.js';

t.test('yuan ↔ cents', (t) => {
  t.equal(parseYuan('128'), 12800);
  t.equal(parseYuan('128.5'), 12850);
  t.equal(parseYuan(' 99.05 '), 9905);
  t.equal(parseYuan('¥1,280.00'), 128000);
  t.equal(parseYuan('￥0.01'), 1);
  for (const bad of ['', '4x', '1.234', '-5', '1e3', '.5', '12.']) t.equal(parseYuan(bad), null, JSON.stringify(bad));
  t.equal(yuanText(12800), '128.00');
  t.equal(yuanText(9905), '99.05');
  t.equal(yuanText(7), '0.07');
  t.equal(parseYuan(yuanText(123456)), 123456, 'round trip');
  t.end();
});

t.test('order workflow: only the legal moves', (t) => {
  t.same(nextStatuses('new'), ['paid', 'cancelled']);
  t.same(nextStatuses('paid'), ['shipped', 'cancelled']);
  t.same(nextStatuses('shipped'), ['delivered', 'returned']);
  t.same(nextStatuses('delivered'), ['returned']);
  t.same(nextStatuses('returned'), []);
  t.same(nextStatuses('cancelled'), []);
  t.end();
});

t.test('orders query and record ids', (t) => {
  t.equal(ordersQuery(NO_FILTERS, 0, 50), 'limit=50&offset=0');
  t.equal(
    ordersQuery({ q: ' 王女士 ', status: 'paid', from: '2026-11-01', to: '2026-11-30', createdBy: 'a1' }, 50, 50),
    `q=${encodeURIComponent('王女士').replace(/%20/g, '+')}&status=paid&from=2026-11-01&to=2026-11-30&createdBy=a1&limit=50&offset=50`,
  );
  t.equal(recordId('/orders/01JDZ', 'orders'), '01JDZ');
  t.equal(recordId('/orders', 'orders'), null);
  t.equal(recordId('/orders/', 'orders'), null);
  t.equal(recordId('/customers/01JDZ', 'orders'), null);
  t.equal(recordId('/orders/a%2Fb', 'orders'), 'a/b');
  t.end();
});

function item(id: string, nextAt: Date, state: FollowupItem['state'] = 'pending'): FollowupItem {
  const iso = nextAt.toISOString();
  return {
    id,
    listId: 'l1',
    customerId: null,
    phone: '13900000001',
    dueAt: iso,
    nextAt: iso,
    ticketId: null,
    orderId: null,
    assignee: null,
    state,
    attempts: 0,
    outcome: null,
    note: '',
    offeredTo: null,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
}

t.test('follow-ups: overdue before today, due today, later; open ones only, soonest first', (t) => {
  const now = new Date(2026, 10, 27, 15, 0);
  const g = groupFollowups(
    [
      item('later', new Date(2026, 10, 28, 0, 0)),
      item('today-late', new Date(2026, 10, 27, 23, 59)),
      item('today-past', new Date(2026, 10, 27, 9, 0), 'offered'),
      item('overdue', new Date(2026, 10, 26, 23, 59)),
      item('older', new Date(2026, 10, 20, 9, 0), 'dialing'),
      item('done', new Date(2026, 10, 27, 9, 0), 'done'),
      item('cancelled', new Date(2026, 10, 20, 9, 0), 'cancelled'),
    ],
    now,
  );
  t.same(
    g.overdue.map((i) => i.id),
    ['older', 'overdue'],
  );
  t.same(
    g.today.map((i) => i.id),
    ['today-past', 'today-late'],
    'due earlier today counts as today',
  );
  t.same(
    g.later.map((i) => i.id),
    ['later'],
  );
  t.end();
});

t.test('datetime-local ↔ ISO', (t) => {
  const d = new Date(2026, 10, 27, 16, 5);
  t.equal(localInputValue(d), '2026-11-27T16:05');
  t.equal(isoFromLocalInput('2026-11-27T16:05'), d.toISOString());
  t.equal(isoFromLocalInput(''), null);
  t.equal(isoFromLocalInput('tomorrow'), null);
  t.end();
});

t.test('calling hours as typed → windows', (t) => {
  t.same(parseWindows('09:00-12:00 14:00-20:00'), ['09:00-12:00', '14:00-20:00']);
  t.same(parseWindows(' 09:00-12:00，14:00-24:00 '), ['09:00-12:00', '14:00-24:00'], 'Chinese comma, 24:00 as the end');
  t.same(parseWindows(''), [], 'empty: no calls that day');
  t.equal(parseWindows('9:00-12:00'), null, 'HH:MM');
  t.equal(parseWindows('12:00-09:00'), null, 'start before end');
  t.equal(parseWindows('09:00-09:00'), null, 'not empty');
  t.equal(parseWindows('24:00-24:00'), null, '24:00 only as an end');
  t.equal(parseWindows('09:00~12:00'), null);
  t.equal(parseWindows(Array.from({ length: 9 }, (_, i) => `0${i}:00-0${i}:30`).join(' ')), null, 'at most 8');
  t.end();
});
