// One year of a busy shop for bench/backoffice.bench.mjs, written through the real schema.
//
// DATA (seeded PRNG, Asia/Shanghai, 2025-12-01 .. 2026-11-30): 10 agents in two shifts (08-16,
// 14-22, log-in a few minutes early or late, 3 % absent days) with their staff_shifts rows; 7 lines;
// CALLS inbound 08:00-22:00 with an evening peak, each with its legs and the events the engine
// writes (as read from a real box: call.ringing, call.callerId, call.answered, ivr.menu, ivr.key,
// ivr.done, queue.enter, queue.offer, agent.state ringing/onCall/wrapUp/available, queue.connect,
// queue.complete, call.ended; abandons with queue.abandon; 5 % end in the IVR; 30 % a survey
// score); a simulated queue decides waits (free agent, caller patience ~ exp(90 s)). Callers come
// from 40 000 phones, 30 000 of them customers (10 % with a second phone). TICKETS from answered
// calls (and some manual), ORDERS with 1-3 lines from answered calls; 4 TV campaigns with daily
// airings and monthly spend. Inserted with prepared statements in one transaction per day; events
// through the real EventLog.
import { mulberry32 } from '../scripts/lib/rng.mjs';

export const FIRST_DAY = Date.UTC(2025, 11, 1) / 86_400_000;
export const DAYS = 365;
const TZ_MS = 8 * 3_600_000;
export const AGENTS = Array.from({ length: 10 }, (_, i) => `a${i + 1}`);
export const LINES = ['fxo1', 'fxo2', 'fxo3', 'fxo4', 'fxo5', 'fxo6', 'gsm1'];

const rand = mulberry32(20261127);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const expo = (mean) => -Math.log(1 - rand()) * mean;
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID (26 characters, as the box makes for calls and back-office records) at time `ms`; random part from crypto (the seeded PRNG stays untouched). */
const ulid = (ms = 0) => {
  let out = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) out = B32[t % 32] + out;
  for (const b of crypto.getRandomValues(new Uint8Array(16))) out += B32[b % 32];
  return out;
};
const localMs = (day, minutes) => day * 86_400_000 + minutes * 60_000 - TZ_MS;
// Arrivals by local hour 8..21 (an evening TV peak).
const HOUR_WEIGHTS = [3, 6, 8, 8, 6, 5, 6, 7, 7, 8, 10, 14, 12, 6];

/** Writes the year into a new database at `path` (schema through m.openDatabase); returns it open. */
export function generate(m, path, { calls: CALLS, tickets: TICKETS, orders: ORDERS }) {
  const db = m.openDatabase(path);
  const log = new m.EventLog(db);
  const q = (sql) => db.prepare(sql);
  const insCall = q(`INSERT INTO calls (id, direction, state, caller_id, started_at, answered_at, ended_at, outcome, ivr_path, queue, agent)
    VALUES (?, 'inbound', 'ended', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insLeg = q(
    'INSERT INTO call_legs (call_id, idx, channel, kind, role, started_at, answered_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insCustomer = q("INSERT INTO customers (id, name, source, created_at, updated_at) VALUES (?, ?, 'callerId', ?, ?)");
  const insPhone = q('INSERT INTO customer_phones (phone, customer_id, added_at) VALUES (?, ?, ?)');
  const insTag = q('INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)');
  const insTicket = q(`INSERT INTO tickets (id, number, subject, category, priority, status, source, customer_id, phone, call_id, assignee,
    first_response_at, resolved_at, closed_at, reopen_count, created_by, created_at, updated_at) VALUES
    (?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?)`);
  const insProduct = q(
    'INSERT INTO products (id, sku, name, cost_cents, price_cents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)',
  );
  const insOrder = q(`INSERT INTO orders (id, number, customer_id, call_id, seller_id, status, subtotal_cents, total_cents, cost_cents,
    refund_cents, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?)`);
  const insLine = q(
    'INSERT INTO order_lines (order_id, idx, product_id, name, qty, unit_price_cents, unit_cost_cents) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insShift = q('INSERT INTO staff_shifts (id, agent, date, start, end, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)');
  const insCampaign = q(
    'INSERT INTO ad_campaigns (id, name, media, line, response_min, created_at, updated_at) VALUES (?, ?, ?, ?, 30, 0, 0)',
  );
  const insAiring = q(
    'INSERT INTO ad_airings (id, campaign_id, starts_at, ends_at, cost_cents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)',
  );
  const insSpend = q('INSERT INTO ad_spend (id, campaign_id, date, amount_cents, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');

  const phones = Array.from({ length: 40_000 }, (_, i) => `13${String(100_000_000 + i * 1237).slice(0, 9)}`);
  const customerOf = new Map();
  const products = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}`, name: `商品 ${i}`, price: 5000 + ((i * 1733) % 40000), cost: 0 }));
  db.transaction(() => {
    for (let i = 0; i < 30_000; i++) {
      const id = ulid();
      insCustomer.run(id, `客户${i}`, 0, 0);
      insPhone.run(`+86${phones[i]}`, id, 0);
      if (i % 10 === 0) insPhone.run(`0755${String(20_000_000 + i)}`, id, 0);
      if (i % 7 === 0) insTag.run(id, 'VIP');
      customerOf.set(phones[i], id);
    }
    for (const p of products) {
      p.cost = Math.round(p.price * 0.4);
      insProduct.run(p.id, `SKU${p.id}`, p.name, p.cost, p.price);
    }
    const campaigns = [
      ['湖南卫视', null],
      ['CCTV-1', 'fxo2'],
      ['东方卫视', null],
      ['江苏卫视', 'fxo3'],
    ].map(([media, line], i) => {
      const id = ulid();
      insCampaign.run(id, `健康节目 ${i + 1}`, media, line);
      return id;
    });
    for (let d = 0; d < DAYS; d++) {
      const day = FIRST_DAY + d;
      for (const [i, c] of campaigns.entries()) {
        const at = localMs(day, 19 * 60 + i * 25 + Math.floor(rand() * 10));
        insAiring.run(ulid(), c, at, at + 300_000, 100_000 + Math.floor(rand() * 400_000));
      }
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (date.endsWith('-01')) for (const c of campaigns) insSpend.run(ulid(), c, date, 2_000_000);
    }
  })();

  const callsPerDay = CALLS / DAYS;
  const ticketP = TICKETS / (CALLS * 0.8);
  const orderP = ORDERS / (CALLS * 0.8);
  let nCalls = 0;
  let nTickets = 0;
  let nOrders = 0;
  let nEvents = 0;
  for (let d = 0; d < DAYS; d++) {
    const day = FIRST_DAY + d;
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const ev = [];
    const push = (ts, type, callId, data) => ev.push([ts, ev.length, type, callId, data]);
    const on = new Map();
    db.transaction(() => {
      for (const [i, a] of AGENTS.entries()) {
        const [s, e] = i < 5 ? [8 * 60, 16 * 60] : [14 * 60, 22 * 60];
        insShift.run(ulid(), a, date, `${String(s / 60).padStart(2, '0')}:00`, `${String(e / 60).padStart(2, '0')}:00`);
        if (rand() < 0.03) continue;
        const login = localMs(day, s) + Math.round((rand() * 15 - 8) * 60_000);
        const logout = localMs(day, e) + Math.round((rand() * 10 - 3) * 60_000);
        on.set(a, { login, logout, free: login });
        push(login, 'agent.state', null, { agent: a, state: 'available', prev: 'loggedOut' });
      }
      const n = Math.round(callsPerDay * (0.8 + rand() * 0.4));
      const total = HOUR_WEIGHTS.reduce((x, y) => x + y, 0);
      const arrivals = [];
      for (let k = 0; k < n; k++) {
        let w = rand() * total;
        let h = 0;
        while (w > HOUR_WEIGHTS[h]) w -= HOUR_WEIGHTS[h++];
        arrivals.push(localMs(day, (8 + h) * 60) + Math.floor(rand() * 3_600_000));
      }
      arrivals.sort((x, y) => x - y);
      for (const t0 of arrivals) {
        nCalls++;
        const id = ulid(t0);
        const phone = rand() < 0.92 ? phones[Math.floor(rand() * rand() * phones.length)] : null;
        const line = pick(LINES);
        const kind = line.startsWith('gsm') ? 'gsm' : 'fxo';
        push(t0, 'call.ringing', id, { channel: line, kind });
        push(t0 + 1500, 'call.callerId', id, { number: phone, name: null });
        push(t0 + 1500, 'call.answered', id, { channel: line });
        push(t0 + 1500, 'ivr.menu', id, { menu: 'main' });
        if (rand() < 0.05) {
          const end = t0 + 12_000;
          push(end, 'ivr.done', id, { menu: 'main', action: 'hangup', target: null, reason: 'timeout' });
          push(end, 'call.ended', id, { outcome: 'abandoned', reason: 'ivrHangup', durationMs: end - t0 });
          insCall.run(id, phone, t0, t0 + 1500, end, 'abandoned', '', null, null);
          insLeg.run(id, 0, line, kind, 'caller', t0, t0 + 1500, end);
          continue;
        }
        const tq = t0 + 6500;
        push(tq, 'ivr.key', id, { menu: 'main', digit: '1' });
        push(tq, 'ivr.done', id, { menu: 'main', action: 'queue', target: 'main', reason: 'selected' });
        push(tq, 'queue.enter', id, { queue: 'main', position: 1, priority: 0 });
        let best = null;
        for (const [a, s] of on) if (s.login <= tq && s.logout > tq && (!best || s.free < best[1].free)) best = [a, s];
        const wait = best ? Math.max(0, best[1].free - tq) + 3000 : Number.POSITIVE_INFINITY;
        const patience = expo(90_000);
        if (!best || wait > patience || best[1].free > best[1].logout) {
          const end = tq + Math.round(Math.min(patience, 300_000));
          push(end, 'queue.abandon', id, { queue: 'main', position: 1, origPosition: 1, waitMs: end - tq });
          push(end, 'call.ended', id, { outcome: 'abandoned', reason: 'callerHangup', durationMs: end - t0 });
          insCall.run(id, phone, t0, t0 + 1500, end, 'abandoned', '1', 'main', null);
          insLeg.run(id, 0, line, kind, 'caller', t0, t0 + 1500, end);
          continue;
        }
        const [agent, s] = best;
        const tr = tq + wait - 3000;
        const tc = tq + wait;
        const talk = Math.round(10_000 + expo(170_000));
        const end = tc + talk;
        const wrap = 15_000;
        const ext = `fxs${agent.slice(1)}`;
        push(tr, 'queue.offer', id, { queue: 'main', agent, channel: ext });
        push(tr, 'agent.state', id, { agent, state: 'ringing', prev: 'available' });
        push(tc, 'agent.state', id, { agent, state: 'onCall', prev: 'ringing' });
        push(tc, 'queue.connect', id, { queue: 'main', agent, waitMs: wait, ringMs: 3000 });
        push(end, 'queue.complete', id, { queue: 'main', agent, waitMs: wait, talkMs: talk, by: 'caller' });
        push(end, 'call.ended', id, { outcome: 'answered', reason: 'callerHangup', durationMs: end - t0 });
        push(end, 'agent.state', null, { agent, state: 'wrapUp', prev: 'onCall' });
        push(end + wrap, 'agent.state', null, { agent, state: 'available', prev: 'wrapUp' });
        if (rand() < 0.3) push(end + 4000, 'survey.score', id, { queue: 'main', agent, score: 1 + Math.floor(rand() * 5) });
        s.free = end + wrap;
        insCall.run(id, phone, t0, t0 + 1500, end, 'answered', '1', 'main', agent);
        insLeg.run(id, 0, line, kind, 'caller', t0, t0 + 1500, end);
        insLeg.run(id, 1, ext, 'fxs', 'agent', tr, tc, end);
        const customer = phone ? (customerOf.get(phone) ?? null) : null;
        if (rand() < ticketP && nTickets < TICKETS) {
          nTickets++;
          const created = end + 60_000;
          const resolved = rand() < 0.85 ? created + Math.round(expo(20 * 3_600_000)) : null;
          const status =
            resolved === null ? pick(['new', 'assigned', 'in_progress', 'waiting_customer']) : rand() < 0.5 ? 'closed' : 'resolved';
          insTicket.run(
            ulid(),
            `T${nTickets}`,
            '来电咨询',
            pick(['inquiry', 'authenticity', 'usage', 'order', 'return', 'quality_complaint']),
            status,
            'call',
            customer,
            phone,
            id,
            agent,
            created + Math.round(expo(1_800_000)),
            resolved,
            status === 'closed' ? resolved : null,
            rand() < 0.05 ? 1 : 0,
            created,
            created,
          );
        }
        if (rand() < orderP && nOrders < ORDERS) {
          nOrders++;
          const oid = ulid();
          const created = end - 30_000;
          const lines = 1 + Math.floor(rand() * 3);
          let total = 0;
          let cost = 0;
          const ls = [];
          for (let li = 0; li < lines; li++) {
            const p = pick(products);
            const qty = 1 + Math.floor(rand() * 3);
            total += p.price * qty;
            cost += p.cost * qty;
            ls.push([oid, li, p.id, p.name, qty, p.price, p.cost]);
          }
          const st = rand();
          const status =
            st < 0.75 ? 'delivered' : st < 0.8 ? 'shipped' : st < 0.85 ? 'paid' : st < 0.88 ? 'new' : st < 0.95 ? 'cancelled' : 'returned';
          insOrder.run(
            oid,
            String(2_000_000_000 + nOrders),
            customer,
            id,
            agent,
            status,
            total,
            total,
            cost,
            status === 'returned' ? total : 0,
            created,
            created,
          );
          for (const l of ls) insLine.run(...l);
        }
      }
      for (const [a, s] of on) {
        const out = Math.max(s.logout, s.free);
        push(out, 'agent.state', null, { agent: a, state: 'loggedOut', prev: 'available' });
      }
      ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const [ts, , type, callId, data] of ev) log.append(type, callId, data, ts);
      nEvents += ev.length;
    })();
  }
  // Manual tickets to reach the target.
  db.transaction(() => {
    for (; nTickets < TICKETS; nTickets++) {
      const created = localMs(FIRST_DAY + Math.floor(rand() * DAYS), 9 * 60 + Math.floor(rand() * 600));
      insTicket.run(
        ulid(),
        `T${nTickets + 1}`,
        '手工工单',
        'inquiry',
        'resolved',
        'manual',
        null,
        null,
        null,
        'a1',
        created + 600_000,
        created + 3_600_000,
        null,
        0,
        created,
        created,
      );
    }
  })();
  return { db, counts: { calls: nCalls, events: nEvents, tickets: nTickets, orders: nOrders, customers: 30_000, phones: 40_000 } };
}
