// Traffic for one crash trial: parallel loops over the REST API (simulated calls, customers,
// tickets, orders, config changes). A record counts as acknowledged only once its 201 (200 for the
// config) and its body were received: those are the records that must survive the kill.

import { setTimeout as sleep } from 'node:timers/promises';
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
const phone = () => `1${rand(30, 89)}${String(rand(0, 99_999_999)).padStart(8, '0')}`;

/** One POST; the parsed body on `expect` status, else null (refusals and in-flight kills alike). */
async function post(box, path, body, expect = 201, method = 'POST') {
  try {
    const r = await fetch(`${box.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${box.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    return r.status === expect ? JSON.parse(text) : null;
  } catch {
    return null; // the box was killed mid-request: not acknowledged
  }
}

/** The product orders are taken for: made once per run, acknowledged like any record. */
export async function ensureProduct(box, state, acked) {
  if (state.productId) return;
  const p = await post(box, '/api/v1/products', { name: '诗莉薇排毒养颜茶', spec: '60袋/盒', costCents: 4000, priceCents: 12800 });
  if (!p) throw new Error('could not create the product');
  state.productId = p.id;
  acked.push({ kind: 'product', id: p.id });
}

/**
 * Runs the loops until `stop()` is called (`slower`: pauses times this); every acknowledged record is pushed to `acked` as
 * { kind, id }. `state.config` holds { acked, sent }: the highest shop-name counter acknowledged and
 * the highest ever sent (the name after a restart must lie between them).
 */
export function runTraffic(box, state, acked, { slower = 1 } = {}) {
  let stopped = false;
  // slower: the pauses times this (the power-loss harness traces every write, so it sends less)
  const loop = async (pauseMs, op) => {
    while (!stopped) {
      await op();
      await sleep(rand(pauseMs[0] * slower, pauseMs[1] * slower));
    }
  };
  const customer = async () => {
    const c = await post(box, '/api/v1/customers', { name: `王小明${rand(1, 9999)}`, phones: [phone()], tags: ['VIP'], notes: '要发票' });
    if (c) acked.push({ kind: 'customer', id: c.id });
  };
  const ticket = async () => {
    const t = await post(box, '/api/v1/tickets', { subject: `退换货 ${rand(1, 9999)}`, description: '客户反映包装破损，要求换货' });
    if (t) acked.push({ kind: 'ticket', id: t.id });
  };
  const order = async () => {
    const body = {
      phone: phone(),
      shipName: '张三',
      shipAddress: '云南省昆明市盘龙区北京路1号',
      lines: [{ productId: state.productId, qty: rand(1, 3) }],
    };
    const o = await post(box, '/api/v1/orders', body);
    if (o) acked.push({ kind: 'order', id: o.id });
  };
  const call = async () => {
    const body = { channel: `fxo${rand(1, 4)}`, callerId: phone(), digits: '1', hangupAfterS: rand(3, 12) };
    const c = await post(box, '/api/v1/sim/calls', body);
    if (c) acked.push({ kind: 'call', id: c.callId });
  };
  const config = async () => {
    const n = ++state.config.sent;
    const r = await post(box, '/api/v1/config', { shop: { name: `chaos-${n}` } }, 200, 'PATCH');
    if (r && n > state.config.acked) state.config.acked = n;
    if (r && state.config.versions) state.config.versions[n] = r.version; // the answer names the new version
  };
  const loops = [
    loop([10, 60], customer),
    loop([10, 60], customer),
    loop([20, 80], ticket),
    loop([20, 80], order),
    loop([50, 150], call),
    loop([200, 400], config),
  ];
  return async () => {
    stopped = true;
    await Promise.all(loops);
  };
}
