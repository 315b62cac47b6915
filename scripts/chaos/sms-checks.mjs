// The SMS checks of the crash harness (sms-network.mjs makes the traffic). Inbound: a message the
// box deleted from the SIM is in the inbox (sms_received) exactly once — one row holding its text
// (found by its tag), under the message's id (modem_id), readable through GET /api/v1/sms/:id as a
// received message — and in an SMS ticket or a note on one, its text there exactly once, the
// ticket linked to it (link kind 'sms', the message's id) and readable through GET /api/v1/tickets/:id. Outbound: every 202 is readable through
// GET /api/v1/sms/:id after each restart, and at the end of the run sent (or delivered) and among
// the texts the modem sent (twice is allowed: a message cut off mid-send is queued again).

import { setTimeout as sleep } from 'node:timers/promises';
import { get } from './checks.mjs';

/** tag number → the tickets whose description or system notes hold it, once per occurrence. */
export function smsTexts(db) {
  const where = new Map();
  const add = (text, ticketId) => {
    for (const m of text.matchAll(/#c(\d+)#/g)) {
      const list = where.get(`#c${m[1]}#`) ?? [];
      list.push(ticketId);
      where.set(`#c${m[1]}#`, list);
    }
  };
  for (const t of db.prepare("SELECT id, description FROM tickets WHERE source = 'sms'").all()) add(t.description, t.id);
  for (const n of db.prepare("SELECT ticket_id, body FROM ticket_notes WHERE author = 'system'").all()) add(n.body, n.ticket_id);
  return where;
}

/** tag → the inbox rows (sms_received) whose text holds it: [{ id, modemId }]. */
export function inboxTexts(db) {
  const where = new Map();
  for (const r of db.prepare('SELECT id, modem_id, body FROM sms_received').all()) {
    for (const m of r.body.matchAll(/#c(\d+)#/g)) {
      const list = where.get(`#c${m[1]}#`) ?? [];
      list.push({ id: r.id, modemId: r.modem_id });
      where.set(`#c${m[1]}#`, list);
    }
  }
  return where;
}

/**
 * A message in the inbox: null when it is there once under its id and the API shows it, else why not.
 * `rows`: the inbox rows holding its tag (inboxTexts).
 */
export async function inboxProblem(box, a, rows) {
  const own = rows.find((r) => r.modemId === a.id);
  if (!own) return rows.length ? `in the inbox as ${rows.map((r) => r.modemId).join(', ')}, not its id` : 'not in the inbox';
  const r = await get(box, `/api/v1/sms/${own.id}`);
  if (r.status !== 200) return `GET /api/v1/sms/${own.id}: ${r.status}`;
  if (r.body.direction !== 'in' || !r.body.text.includes(a.tag)) return `GET /api/v1/sms/${own.id}: not this received message`;
  return null;
}

/**
 * Inbound messages { kind: 'smsIn', id, tag } against the database: { found, lost, duplicates }.
 * Lost: not in the inbox once under its id (or the API does not show it there), its text is in no
 * ticket, no ticket is linked to its inbox row, or the ticket holding it is not the linked one, or
 * the API does not show that ticket. Duplicates: its text held more than once in tickets or in the inbox.
 */
export async function checkSmsIn(box, db, acked) {
  const texts = smsTexts(db);
  const inbox = inboxTexts(db);
  const linked = db.prepare("SELECT ticket_id FROM ticket_links WHERE kind = 'sms' AND ref_id = ?");
  const found = [];
  const lost = [];
  const duplicates = [];
  for (const a of acked) {
    const at = texts.get(a.tag) ?? [];
    if (at.length > 1) duplicates.push({ ...a, tickets: at });
    const rows = inbox.get(a.tag) ?? [];
    if (rows.length > 1) duplicates.push({ ...a, tickets: rows.map((r) => `inbox ${r.id}`) });
    const notInInbox = await inboxProblem(box, a, rows);
    if (notInInbox) {
      lost.push({ ...a, why: notInInbox });
      continue;
    }
    // the ticket links the message by its inbox id (what GET /api/v1/sms/:id opens)
    const own = rows.find((r) => r.modemId === a.id);
    const links = linked.all(own.id).map((r) => r.ticket_id);
    const ticket = at.find((t) => links.includes(t));
    if (!ticket) {
      lost.push({ ...a, why: at.length ? `text on ${at.join(', ')}, links to ${links.join(', ') || 'none'}` : 'text not found' });
      continue;
    }
    const r = await get(box, `/api/v1/tickets/${ticket}`);
    if (r.status === 200) found.push(a);
    else lost.push({ ...a, why: `GET ticket ${ticket}: ${r.status}` });
  }
  return { found, lost, duplicates };
}

/**
 * The end of the run, after the customers stopped: waits (up to `waitMs`) for the SIM to empty,
 * then every message the network sent must be in the database exactly once.
 */
export async function finalSmsIn(box, db, net, waitMs = 60_000) {
  const until = Date.now() + waitMs;
  while (net.modem.storedCount() > 0 && Date.now() < until) await sleep(250);
  const all = net.messages.map((m) => ({
    kind: 'smsIn',
    id: m.id,
    tag: m.tag,
    acked: m.ackedAt !== null,
    deleted: m.deleted,
    parts: m.partLog,
  }));
  const res = await checkSmsIn(box, db, all);
  return { ...res, leftOnSim: net.leftOnSim(), sentByNetwork: all.length };
}

/**
 * The end of the run: waits (up to `waitMs`) until no acknowledged outbound message is queued or
 * sending, then counts the modem's copies of each. { sent, notSent, resent } (messages).
 */
export async function finalSmsOut(box, net, acked, waitMs = 120_000) {
  const until = Date.now() + waitMs;
  const status = new Map();
  for (;;) {
    for (const a of acked) {
      if (['sent', 'delivered', 'failed'].includes(status.get(a.id))) continue;
      const r = await get(box, `/api/v1/sms/${a.id}`);
      status.set(a.id, r.status === 200 ? r.body.status : `HTTP ${r.status}`);
    }
    const open = acked.filter((a) => ['queued', 'sending'].includes(status.get(a.id)));
    if (!open.length || Date.now() > until) break;
    await sleep(1000);
  }
  const sent = [];
  const notSent = [];
  const resent = [];
  for (const a of acked) {
    const copies = net.sentCount(a.tag);
    const s = status.get(a.id);
    if ((s === 'sent' || s === 'delivered') && copies >= 1) sent.push(a);
    else notSent.push({ ...a, status: s, copies });
    if (copies > 1) resent.push({ ...a, copies });
  }
  return { sent, notSent, resent };
}
