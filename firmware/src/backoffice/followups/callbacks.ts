/**
 * Callbacks (回拨预约) an agent promises a customer — "I'll call you back at four": items of the
 * built-in 回拨 list (`defaultFor: 'callback'`, made on first use), for the agent themself
 * (`assignee`) or for anyone on the team (no assignee). The time is checked here: not in the past,
 * within a year, inside the list's calling hours in `shop.timezone`. The preview dialer does not
 * offer these items (items.ts `due`): the agent calls them from the console's 我的回拨 (`callNow`
 * in desk.ts) and records the outcome like any follow-up. Their due count is part of the
 * wallboard's callbacks pending.
 */
import { CallboxError } from '../../errors.js';
import { localDateString, localDateTimeString, localMidnight, wallTime, zoneOffsetMs } from '../../tz/zone.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import type { CustomerInfo } from './customer-info.js';
import { checkCallbackTime, nextCallingTime } from './hours.js';
import { type ItemRow, toItem } from './items.js';
import type { ListStore } from './lists.js';
import type { CallbackDay, CallbackInput, CallbackPreset, CallingHours, FollowupItem, ItemInput } from './types.js';

const DAY_MS = 86_400_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function invalidTime(problem: string, field = 'at'): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field, reason: 'format' });
}

/** The instant of a wall time "YYYY-MM-DDTHH:MM" in `tz`; VALIDATION_FAILED naming `field` when it is none. */
export function localToMs(local: string, tz: string, field = 'at'): number {
  const invalidAt = (problem: string) => invalidTime(problem, field);
  const m = LOCAL.exec(local);
  if (!m) throw invalidAt('must be a time like 2026-11-27T16:00 (the shop clock) or epoch milliseconds');
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wall);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1)
    throw invalidAt(`is not a real date and time (${local})`);
  // the offset at a guess, then at the instant found; a wall time in a DST gap (it never shows) lands an hour later
  const guess = wall - zoneOffsetMs(wall, tz);
  const at = wall - zoneOffsetMs(guess, tz);
  return wallTime(at, tz).hour === h ? at : Math.max(at, guess);
}

/** The start of the shop's tomorrow (a day and 3 hours past today's midnight, so a DST day of 23 or 25 hours lands right). */
function tomorrowStart(now: number, tz: string): number {
  return localMidnight(localMidnight(now, tz) + DAY_MS + 3_600_000 * 3, tz);
}

export class CallbackBook {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly lists: ListStore,
    private readonly customers: CustomerInfo,
    /** The service's checked insert (phone or customer, do-not-call), inside the caller's transaction. */
    private readonly add: (actor: Actor, listId: string, input: ItemInput) => FollowupItem,
  ) {}

  private tz(): string {
    return this.deps.config().shop.timezone;
  }

  schedule(actor: Actor, input: CallbackInput): FollowupItem {
    if (typeof input !== 'object' || input === null)
      throw new CallboxError('VALIDATION_FAILED', 'body must be an object', { field: 'body' });
    const now = this.deps.clock.now();
    const tz = this.tz();
    let at: number;
    if (typeof input.at === 'string') at = localToMs(input.at, tz);
    else if (typeof input.at === 'number' && Number.isFinite(input.at)) at = Math.trunc(input.at);
    else throw invalidTime('is required: a time like 2026-11-27T16:00 (the shop clock)');
    const customerId = input.customerId ?? null;
    if (customerId !== null) {
      const c = typeof customerId === 'string' ? this.customers.get(customerId) : null;
      if (!c || c.erased)
        throw new CallboxError('VALIDATION_FAILED', `customerId is not a known customer (${String(customerId)})`, {
          field: 'customerId',
          reason: 'unknownCustomer',
        });
    }
    return this.deps.db.transaction(() => {
      const list = this.lists.callbackList(actor);
      checkCallbackTime(list.callingHours, tz, at, now, 'at');
      const phone = typeof input.phone === 'string' ? input.phone : customerId ? this.customers.firstPhone(customerId) : null;
      const blocked = phone ? this.customers.blocked(customerId, phone) : null;
      if (blocked) throw new CallboxError('CONFLICT', `this customer must not be called (${blocked})`, { reason: blocked });
      const item = this.add(actor, list.id, {
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        customerId,
        dueAt: at,
        assignee: input.assignee,
        ...(input.note !== undefined ? { note: input.note } : {}),
      });
      this.deps.audit.record(actor.username, 'followup.callback', 'followup_item', item.id, {
        at: new Date(at).toISOString(),
        assignee: input.assignee,
      });
      return item;
    })();
  }

  /**
   * Agent `agent`'s open callbacks (and the team's) due before the end of the shop's today, or in
   * the next 12 hours when that is later (in the evening, one after midnight), soonest first.
   */
  day(actor: Actor, agent: string): CallbackDay {
    const now = this.deps.clock.now();
    const tz = this.tz();
    const list = this.deps.db.transaction(() => this.lists.callbackList(actor))();
    const dayEnd = Math.max(tomorrowStart(now, tz), now + 12 * 3_600_000);
    const open = `list_id = @list AND ((state IN ('pending', 'offered') AND (assignee IS NULL OR assignee = @agent))
      OR (state = 'dialing' AND offered_to = @agent))`;
    const p = { list: list.id, agent, dayEnd };
    const rows = this.deps.db
      .prepare<typeof p, ItemRow>(
        `SELECT * FROM followup_items WHERE ${open} AND (next_at < @dayEnd OR state = 'dialing') ORDER BY next_at, id LIMIT 200`,
      )
      .all(p);
    const later = this.deps.db
      .prepare<typeof p, { n: number }>(
        `SELECT COUNT(*) AS n FROM followup_items WHERE ${open} AND next_at >= @dayEnd AND state <> 'dialing'`,
      )
      .get(p);
    const today = localDateString(now, tz);
    const items = rows.map((r) => {
      const c = r.customer_id ? this.customers.get(r.customer_id) : null;
      const local = localDateTimeString(r.next_at, tz);
      return {
        ...toItem(r, actor),
        customerName: c && !c.erased ? c.name : null,
        due: r.next_at <= now,
        local: local.startsWith(today) ? local.slice(11) : local.slice(5),
      };
    });
    return {
      agent,
      items,
      later: later?.n ?? 0,
      timezone: tz,
      now: new Date(now).toISOString(),
      nowLocal: localDateTimeString(now, tz).replace(' ', 'T'),
      callingHours: list.callingHours,
      listId: list.id,
      presets: presets(list.callingHours, tz, now),
    };
  }

  /** Open callbacks whose time has come (pending or offered, next_at ≤ now). */
  due(): number {
    const r = this.deps.db
      .prepare<[number], { n: number }>(
        `SELECT COUNT(*) AS n FROM followup_items i JOIN followup_lists l ON l.id = i.list_id
         WHERE l.default_for = 'callback' AND i.state IN ('pending', 'offered') AND i.next_at <= ?`,
      )
      .get(this.deps.clock.now());
    return r?.n ?? 0;
  }
}

/**
 * Quick choices, each moved into the calling hours: in an hour (to the next 5 minutes), today
 * 16:00 (while it is ahead and inside the hours), tomorrow morning (the first calling time tomorrow).
 */
export function presets(hours: CallingHours, tz: string, now: number): CallbackPreset[] {
  const out: CallbackPreset[] = [];
  const push = (key: CallbackPreset['key'], at: number | null) => {
    if (at !== null && !out.some((p) => p.at === new Date(at).toISOString()))
      out.push({ key, at: new Date(at).toISOString(), local: localDateTimeString(at, tz).slice(5) });
  };
  const step = 5 * 60_000;
  push('in1h', nextCallingTime(hours, tz, Math.ceil((now + 3_600_000) / step) * step));
  const w = wallTime(now, tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  const four = localToMs(`${w.year}-${pad(w.month)}-${pad(w.day)}T16:00`, tz);
  if (four > now && nextCallingTime(hours, tz, four) === four) push('today16', four);
  const tomorrow = tomorrowStart(now, tz);
  push('tomorrow', nextCallingTime(hours, tz, tomorrow));
  return out;
}
