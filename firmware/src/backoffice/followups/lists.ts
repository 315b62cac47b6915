/** Follow-up lists: rows, validation, and the default list of each purpose (the `schedule()` target). */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { checkCallingHours, defaultCallingHours } from './hours.js';
import type { FollowupList, FollowupPurpose, ListInput, ListPatch } from './types.js';

export const PURPOSES: readonly FollowupPurpose[] = ['return_visit', 'satisfaction', 'order_confirmation', 'other'];

/** Names of the lists made on first use by `schedule()`. */
const DEFAULT_NAMES: Record<FollowupPurpose, string> = {
  return_visit: '回访 / Return visits',
  satisfaction: '满意度调查 / Satisfaction survey',
  order_confirmation: '订单确认 / Order confirmation',
  other: '其他回访 / Other follow-ups',
};

/** The built-in 回拨 list (callbacks.ts): agents' promised callbacks, 09:00–21:00 every day until the shop changes it. */
const CALLBACK_LIST: ListInput = {
  name: '回拨 / Callbacks',
  purpose: 'other',
  callingHours: {
    mon: ['09:00-21:00'],
    tue: ['09:00-21:00'],
    wed: ['09:00-21:00'],
    thu: ['09:00-21:00'],
    fri: ['09:00-21:00'],
    sat: ['09:00-21:00'],
    sun: ['09:00-21:00'],
  },
  script: '您好，我是店里的客服，您之前约了这个时间回电，现在方便吗？',
};

interface Row {
  id: string;
  name: string;
  purpose: FollowupPurpose;
  default_for: FollowupPurpose | 'callback' | null;
  calling_hours: string;
  max_attempts: number;
  retry_delay_min: number;
  script: string;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

function toList(r: Row): FollowupList {
  return {
    id: r.id,
    name: r.name,
    purpose: r.purpose,
    callingHours: JSON.parse(r.calling_hours) as FollowupList['callingHours'],
    maxAttempts: r.max_attempts,
    retryDelayMin: r.retry_delay_min,
    script: r.script,
    active: r.active === 1,
    defaultFor: r.default_for,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  return value;
}

function str(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max)
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  return value;
}

export function purposeOf(value: unknown, field = 'purpose'): FollowupPurpose {
  if (typeof value !== 'string' || !PURPOSES.includes(value as FollowupPurpose))
    throw invalid(field, `must be one of ${PURPOSES.join(', ')}`);
  return value as FollowupPurpose;
}

export class ListStore {
  constructor(private readonly deps: BackOfficeDeps) {}

  all(): FollowupList[] {
    return this.deps.db.prepare<[], Row>('SELECT * FROM followup_lists ORDER BY created_at, id').all().map(toList);
  }

  get(id: string): FollowupList | null {
    const r = this.deps.db.prepare<[string], Row>('SELECT * FROM followup_lists WHERE id = ?').get(id);
    return r ? toList(r) : null;
  }

  need(id: string): FollowupList {
    const l = typeof id === 'string' ? this.get(id) : null;
    if (!l) throw new CallboxError('NOT_FOUND', `no follow-up list ${JSON.stringify(id)}`);
    return l;
  }

  create(actor: Actor, input: ListInput, defaultFor: FollowupPurpose | 'callback' | null = null): FollowupList {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.deps.db
      .prepare(
        `INSERT INTO followup_lists (id, name, purpose, default_for, calling_hours, max_attempts, retry_delay_min, script, active, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        str(input.name, 'name', 1, 100).trim(),
        purposeOf(input.purpose),
        defaultFor,
        JSON.stringify(input.callingHours === undefined ? defaultCallingHours() : checkCallingHours(input.callingHours)),
        input.maxAttempts === undefined ? 3 : int(input.maxAttempts, 'maxAttempts', 1, 20),
        input.retryDelayMin === undefined ? 60 : int(input.retryDelayMin, 'retryDelayMin', 1, 7 * 24 * 60),
        input.script === undefined ? '' : str(input.script, 'script', 0, 5000),
        input.active === false ? 0 : 1,
        actor.username,
        now,
        now,
      );
    return this.need(id);
  }

  update(id: string, patch: ListPatch): FollowupList {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    const cur = this.need(id);
    if (patch.version !== undefined && patch.version !== cur.version) {
      throw new CallboxError('CONFLICT', `list ${id} is at version ${cur.version}, not ${patch.version}`, { version: cur.version });
    }
    if (patch.active !== undefined && typeof patch.active !== 'boolean') throw invalid('active', 'must be true or false');
    const next = {
      name: patch.name === undefined ? cur.name : str(patch.name, 'name', 1, 100).trim(),
      purpose: patch.purpose === undefined ? cur.purpose : purposeOf(patch.purpose),
      hours: JSON.stringify(patch.callingHours === undefined ? cur.callingHours : checkCallingHours(patch.callingHours)),
      max: patch.maxAttempts === undefined ? cur.maxAttempts : int(patch.maxAttempts, 'maxAttempts', 1, 20),
      retry: patch.retryDelayMin === undefined ? cur.retryDelayMin : int(patch.retryDelayMin, 'retryDelayMin', 1, 7 * 24 * 60),
      script: patch.script === undefined ? cur.script : str(patch.script, 'script', 0, 5000),
      active: patch.active === undefined ? cur.active : patch.active,
    };
    // a default list keeps its purpose (the 回拨 list's is `other`)
    const fixed = cur.defaultFor === 'callback' ? 'other' : cur.defaultFor;
    if (fixed && next.purpose !== fixed) throw invalid('purpose', `cannot change: this is the default list for ${cur.defaultFor}`);
    this.deps.db
      .prepare(
        `UPDATE followup_lists SET name = ?, purpose = ?, calling_hours = ?, max_attempts = ?, retry_delay_min = ?, script = ?, active = ?,
         updated_at = ?, version = version + 1 WHERE id = ?`,
      )
      .run(next.name, next.purpose, next.hours, next.max, next.retry, next.script, next.active ? 1 : 0, this.deps.clock.now(), id);
    return this.need(id);
  }

  /** The list `schedule()` fills for `purpose`, created on first use. Call inside a transaction. */
  defaultFor(actor: Actor, purpose: FollowupPurpose): FollowupList {
    const r = this.deps.db.prepare<[string], Row>('SELECT * FROM followup_lists WHERE default_for = ?').get(purpose);
    return r ? toList(r) : this.create(actor, { name: DEFAULT_NAMES[purpose], purpose }, purpose);
  }

  /** The built-in 回拨 list, created on first use. Call inside a transaction. */
  callbackList(actor: Actor): FollowupList {
    const r = this.deps.db.prepare<[], Row>("SELECT * FROM followup_lists WHERE default_for = 'callback'").get();
    return r ? toList(r) : this.create(actor, CALLBACK_LIST, 'callback');
  }

  delete(id: string): void {
    this.deps.db.prepare('DELETE FROM followup_lists WHERE id = ?').run(id);
  }
}
