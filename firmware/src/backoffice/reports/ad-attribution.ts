/**
 * Advertising attribution (广告监测). An inbound call that starts at t on line L belongs to an
 * airing when startsAt ≤ t < endsAt + response window (the airing's, else its campaign's) and the
 * campaign's line is L or unset. When several airings match, the one that started LAST wins (the
 * ad the caller most likely just saw); on equal starts a campaign naming the line beats one for
 * any line, then the smaller airing id. A call belongs to at most one airing.
 *
 * Conversion: an order (not cancelled) converts for the airing of its call when it names that call
 * (orders.call_id); otherwise for the airing of the latest attributed call of the same customer
 * (caller ID → customer_phones, all stored forms) at most ORDER_WINDOW_DAYS days before it. Each
 * order counts once. Orders are looked up to ORDER_WINDOW_DAYS after the range for its calls.
 *
 * Cost: the cost of the airings starting in the range, plus the lump spend dated in it.
 */
import type { Database } from '../../store/db.js';
import { normalizePhone, phoneKeys } from '../common/phone.js';
import { iso } from './input.js';
import type { AdAiringRow, AdCampaignRow, AdsReport } from './types.js';

export const ORDER_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;
/** Airings starting this long before the range can still reach into it (24 h airing + 24 h window). */
const LOOKBACK_MS = 2 * DAY_MS;

interface Airing {
  id: string;
  campaign_id: string;
  name: string;
  media: string;
  line: string | null;
  starts_at: number;
  ends_at: number;
  window_ms: number;
  cost_cents: number;
}

interface CallRow {
  id: string;
  started_at: number;
  caller_id: string | null;
  line: string | null;
}

const div = (a: number, b: number): number | null => (b > 0 ? Math.round(a / b) : null);

/** Which airing claims a call at `t` on `line` (see the rule above); airings sorted by start. */
export function pickAiring<A extends { id: string; line: string | null; starts_at: number; ends_at: number; window_ms: number }>(
  airings: A[],
  t: number,
  line: string | null,
): A | null {
  let best: A | null = null;
  for (const a of airings) {
    if (a.starts_at > t) break;
    if (t >= a.ends_at + a.window_ms) continue;
    if (a.line !== null && a.line !== line) continue;
    if (
      best === null ||
      a.starts_at > best.starts_at ||
      (a.starts_at === best.starts_at && a.line !== null && best.line === null) ||
      (a.starts_at === best.starts_at && (a.line === null) === (best.line === null) && a.id < best.id)
    ) {
      best = a;
    }
  }
  return best;
}

export function adsReport(
  db: Database,
  q: { from: number; to: number; fromDate: string; toDate: string; country: 'CN' | 'US' | 'EU' },
): AdsReport {
  const { from, to } = q;
  const airings = db
    .prepare<[number, number], Airing>(
      `SELECT a.id, a.campaign_id, c.name, c.media, c.line, a.starts_at, a.ends_at,
         COALESCE(a.response_min, c.response_min) * 60000 AS window_ms, a.cost_cents
       FROM ad_airings a JOIN ad_campaigns c ON c.id = a.campaign_id
       WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`,
    )
    .all(from - LOOKBACK_MS, to);
  const inbound =
    db
      .prepare<[number, number], { n: number }>(
        "SELECT COUNT(*) AS n FROM calls WHERE started_at >= ? AND started_at < ? AND direction = 'inbound'",
      )
      .get(from, to)?.n ?? 0;
  // Only calls inside some airing's window can be attributed: read those (with their line), not
  // every inbound call of the range (a month: ~1 200 of 8 600 calls, 25 -> 3 ms).
  const inWindow = db.prepare<[number, number], CallRow>(
    `SELECT c.id, c.started_at, c.caller_id, l.channel AS line
     FROM calls c LEFT JOIN call_legs l ON l.call_id = c.id AND l.idx = 0
     WHERE c.started_at >= ? AND c.started_at < ? AND c.direction = 'inbound' ORDER BY c.started_at`,
  );
  const calls: CallRow[] = [];
  for (const [lo, hi] of airingWindows(airings, from, to)) for (const c of inWindow.all(lo, hi)) calls.push(c);
  const callsOf = new Map<string, number>();
  const airingOfCall = new Map<string, Airing>();
  const byCustomer = new Map<string, Array<{ t: number; airing: Airing }>>();
  const attributed: Array<[CallRow, Airing]> = [];
  for (const c of calls) {
    const a = pickAiring(airings, c.started_at, c.line);
    if (a) attributed.push([c, a]);
  }
  const unattributed = inbound - attributed.length;
  // The customers of the attributed callers, every stored form of each number, in one query.
  const formsOf = new Map<string, string[]>();
  for (const [c] of attributed) if (c.caller_id && !formsOf.has(c.caller_id)) formsOf.set(c.caller_id, phoneForms(c.caller_id, q.country));
  const customerOfPhone = new Map<string, string>();
  if (formsOf.size > 0) {
    const rows = db
      .prepare<[string], { phone: string; customer_id: string }>(
        'SELECT phone, customer_id FROM customer_phones WHERE phone IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify([...new Set([...formsOf.values()].flat())]));
    for (const r of rows) customerOfPhone.set(r.phone, r.customer_id);
  }
  for (const [c, a] of attributed) {
    airingOfCall.set(c.id, a);
    callsOf.set(a.id, (callsOf.get(a.id) ?? 0) + 1);
    let customer: string | null = null;
    if (c.caller_id) {
      for (const k of formsOf.get(c.caller_id) ?? []) {
        customer = customerOfPhone.get(k) ?? null;
        if (customer) break;
      }
    }
    if (customer) {
      const list = byCustomer.get(customer) ?? [];
      list.push({ t: c.started_at, airing: a });
      byCustomer.set(customer, list);
    }
  }
  const ordersOf = new Map<string, { n: number; net: number }>();
  if (airingOfCall.size > 0) {
    const orders = db
      .prepare<[number, number], { customer_id: string | null; call_id: string | null; created_at: number; net: number }>(
        `SELECT customer_id, call_id, created_at, total_cents - refund_cents AS net FROM orders
         WHERE created_at >= ? AND created_at < ? AND status != 'cancelled'`,
      )
      .all(from, to + ORDER_WINDOW_DAYS * DAY_MS);
    for (const o of orders) {
      let a = o.call_id ? airingOfCall.get(o.call_id) : undefined;
      if (!a && !o.call_id && o.customer_id) {
        let bestT = -1;
        for (const x of byCustomer.get(o.customer_id) ?? []) {
          if (x.t <= o.created_at && o.created_at - x.t <= ORDER_WINDOW_DAYS * DAY_MS && x.t > bestT) {
            bestT = x.t;
            a = x.airing;
          }
        }
      }
      if (!a) continue;
      const s = ordersOf.get(a.id) ?? { n: 0, net: 0 };
      s.n++;
      s.net += o.net;
      ordersOf.set(a.id, s);
    }
  }
  const spend = db
    .prepare<[string, string], { campaign_id: string; cents: number }>(
      'SELECT campaign_id, SUM(amount_cents) AS cents FROM ad_spend WHERE date >= ? AND date <= ? GROUP BY campaign_id',
    )
    .all(q.fromDate, q.toDate);
  return summarize(db, airings, callsOf, ordersOf, spend, q, inbound, unattributed);
}

/** The airings' response windows [start, end + window) clipped to [from, to), merged, in time order. */
function airingWindows(airings: readonly Airing[], from: number, to: number): Array<[number, number]> {
  const spans = airings
    .map((a): [number, number] => [Math.max(a.starts_at, from), Math.min(a.ends_at + a.window_ms, to)])
    .filter(([lo, hi]) => hi > lo)
    .sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of spans) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function summarize(
  db: Database,
  airings: Airing[],
  callsOf: Map<string, number>,
  ordersOf: Map<string, { n: number; net: number }>,
  spend: Array<{ campaign_id: string; cents: number }>,
  q: { from: number; to: number },
  inbound: number,
  unattributed: number,
): AdsReport {
  const byAiring: AdAiringRow[] = [];
  const camps = new Map<string, AdCampaignRow>();
  const campaign = (id: string, name: string, media: string): AdCampaignRow => {
    let c = camps.get(id);
    if (!c) {
      c = {
        campaignId: id,
        campaign: name,
        media,
        airings: 0,
        calls: 0,
        orders: 0,
        orderNetCents: 0,
        costCents: 0,
        costPerCallCents: null,
        costPerOrderCents: null,
        conversion: null,
      };
      camps.set(id, c);
    }
    return c;
  };
  for (const a of airings) {
    const calls = callsOf.get(a.id) ?? 0;
    const orders = ordersOf.get(a.id) ?? { n: 0, net: 0 };
    const inRange = a.starts_at >= q.from && a.starts_at < q.to;
    if (!inRange && calls === 0) continue;
    const c = campaign(a.campaign_id, a.name, a.media);
    c.calls += calls;
    c.orders += orders.n;
    c.orderNetCents += orders.net;
    if (inRange) {
      c.airings++;
      c.costCents += a.cost_cents;
    }
    byAiring.push({
      airingId: a.id,
      campaignId: a.campaign_id,
      campaign: a.name,
      media: a.media,
      startsAt: iso(a.starts_at),
      endsAt: iso(a.ends_at),
      windowEndsAt: iso(a.ends_at + a.window_ms),
      calls,
      orders: orders.n,
      costCents: inRange ? a.cost_cents : 0,
    });
  }
  const named = db.prepare<[string], { name: string; media: string }>('SELECT name, media FROM ad_campaigns WHERE id = ?');
  for (const s of spend) {
    const n = named.get(s.campaign_id);
    if (n) campaign(s.campaign_id, n.name, n.media).costCents += s.cents;
  }
  const media = new Map<string, AdsReport['byMedia'][number]>();
  const byCampaign = [...camps.values()].sort((a, b) => a.media.localeCompare(b.media) || a.campaign.localeCompare(b.campaign));
  for (const c of byCampaign) {
    c.costPerCallCents = div(c.costCents, c.calls);
    c.costPerOrderCents = div(c.costCents, c.orders);
    c.conversion = c.calls > 0 ? c.orders / c.calls : null;
    const m = media.get(c.media) ?? { media: c.media, calls: 0, orders: 0, costCents: 0, costPerCallCents: null, costPerOrderCents: null };
    m.calls += c.calls;
    m.orders += c.orders;
    m.costCents += c.costCents;
    media.set(c.media, m);
  }
  const byMedia = [...media.values()].map((m) => ({
    ...m,
    costPerCallCents: div(m.costCents, m.calls),
    costPerOrderCents: div(m.costCents, m.orders),
  }));
  return {
    from: iso(q.from),
    to: iso(q.to),
    orderWindowDays: ORDER_WINDOW_DAYS,
    inboundCalls: inbound,
    unattributedCalls: unattributed,
    byCampaign,
    byMedia,
    byAiring,
  };
}

/** The stored forms of a caller ID in lookup order (none for a withheld or malformed number). */
function phoneForms(callerId: string, country: 'CN' | 'US' | 'EU'): string[] {
  try {
    return phoneKeys(normalizePhone(callerId), country);
  } catch {
    return [];
  }
}
