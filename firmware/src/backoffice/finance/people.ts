/**
 * People who earn money from the shop: staff (员工), salespeople (销售员) and distributors (分销商).
 * Everyone joins by application (applied → approved | rejected; approved → left), filed by an agent
 * or the owner and decided by the owner. The inviter (邀请人) is set at application and must be an
 * approved person; changing it later must not make a cycle.
 */
import { CallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { invalidateCommission } from './commission.js';
import type { PeopleQuery, Person, PersonApplication, PersonKind, PersonPatch, PersonStatus } from './types.js';

export const KINDS: readonly PersonKind[] = ['staff', 'salesperson', 'distributor'];
export const STATUSES: readonly PersonStatus[] = ['applied', 'approved', 'rejected', 'left'];

export interface PersonRow {
  id: string;
  name: string;
  kind: PersonKind;
  phone: string | null;
  agent_id: string | null;
  username: string | null;
  inviter_id: string | null;
  status: PersonStatus;
  base_salary_cents: number;
  bonus_cap_cents: number | null;
  note: string;
  applied_at: number;
  decided_at: number | null;
  decided_by: string | null;
  left_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    phone: r.phone,
    agentId: r.agent_id,
    username: r.username,
    inviterId: r.inviter_id,
    status: r.status,
    baseSalaryCents: r.base_salary_cents,
    bonusCapCents: r.bonus_cap_cents,
    note: r.note,
    appliedAt: new Date(r.applied_at).toISOString(),
    decidedAt: iso(r.decided_at),
    decidedBy: r.decided_by,
    leftAt: iso(r.left_at),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

function text(v: unknown, field: string, max: number, min = 1): string {
  if (typeof v !== 'string' || v.trim().length < min || v.length > max)
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  return v.trim();
}

function optText(v: unknown, field: string, max: number, pattern?: RegExp): string | null | undefined {
  if (v === undefined || v === null) return v;
  const s = text(v, field, max);
  if (pattern && !pattern.test(s)) throw invalid(field, `has a wrong format`);
  return s;
}

const PHONE = /^\+?[0-9 -]{3,20}$/;

export class PeopleStore {
  constructor(private readonly deps: BackOfficeDeps) {}

  row(id: string): PersonRow | undefined {
    return this.deps.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
  }

  get(id: string): PersonRow {
    const r = typeof id === 'string' ? this.row(id) : undefined;
    if (!r) throw new CallboxError('NOT_FOUND', `no person ${JSON.stringify(id)}`);
    return r;
  }

  all(): PersonRow[] {
    return this.deps.db.prepare('SELECT * FROM people ORDER BY name, id').all() as PersonRow[];
  }

  byUsername(username: string): PersonRow | undefined {
    return this.deps.db.prepare('SELECT * FROM people WHERE username = ?').get(username) as PersonRow | undefined;
  }

  list(q: PeopleQuery): Page<PersonRow> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.kind !== undefined) {
      if (!KINDS.includes(q.kind)) throw invalid('kind', `must be one of ${KINDS.join(', ')}`);
      where.push('kind = ?');
      args.push(q.kind);
    }
    if (q.status !== undefined) {
      if (!STATUSES.includes(q.status)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.q) {
      where.push("(name LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE '\\')");
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like, like);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM people ${w}`).get(...args) as { n: number }).n;
    const rows = this.deps.db
      .prepare(`SELECT * FROM people ${w} ORDER BY name, id LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? 50, q.offset ?? 0) as PersonRow[];
    return { items: rows, total };
  }

  private checkUnique(field: 'username' | 'agentId', value: string | null | undefined, selfId: string | null): void {
    if (value === null || value === undefined) return;
    const col = field === 'username' ? 'username' : 'agent_id';
    const other = this.deps.db.prepare(`SELECT id FROM people WHERE ${col} = ?`).get(value) as { id: string } | undefined;
    if (other && other.id !== selfId) throw new CallboxError('CONFLICT', `${field} ${value} belongs to another person`, { field });
  }

  /** The inviter must exist and be approved; and following inviters up from it must not reach `selfId`. */
  private checkInviter(inviterId: string | null | undefined, selfId: string | null): void {
    if (inviterId === null || inviterId === undefined) return;
    const inviter = typeof inviterId === 'string' ? this.row(inviterId) : undefined;
    if (!inviter) throw invalid('inviterId', `names no person (${JSON.stringify(inviterId)})`);
    if (inviter.status !== 'approved') throw invalid('inviterId', `must be an approved person (is ${inviter.status})`);
    const seen = new Set<string>();
    for (let at: PersonRow | undefined = inviter; at; at = at.inviter_id ? this.row(at.inviter_id) : undefined) {
      if (at.id === selfId) throw invalid('inviterId', 'would make a cycle of inviters');
      if (seen.has(at.id)) break;
      seen.add(at.id);
    }
  }

  apply(actor: Actor, input: PersonApplication): PersonRow {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const name = text(input.name, 'name', 100);
    if (!KINDS.includes(input.kind)) throw invalid('kind', `must be one of ${KINDS.join(', ')}`);
    const phone = optText(input.phone, 'phone', 20, PHONE) ?? null;
    const agentId = optText(input.agentId, 'agentId', 64) ?? null;
    const username = optText(input.username, 'username', 64) ?? null;
    if (username !== null && username !== actor.username && !can(actor.role, 'finance.write')) {
      // Linking a sign-in shows that person's money to it: only the owner links other usernames.
      throw new CallboxError('FORBIDDEN', 'only the owner may link another username to a person', {
        field: 'username',
        permission: 'finance.write',
      });
    }
    const note = input.note === undefined ? '' : text(input.note, 'note', 1000, 0);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.checkInviter(input.inviterId, null);
      this.checkUnique('username', username, null);
      this.checkUnique('agentId', agentId, null);
      this.deps.db
        .prepare(
          `INSERT INTO people (id, name, kind, phone, agent_id, username, inviter_id, status, applied_at, note,
             created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'applied', ?, ?, ?, ?, ?)`,
        )
        .run(id, name, input.kind, phone, agentId, username, input.inviterId ?? null, now, note, actor.username, now, now);
      this.deps.audit.record(actor.username, 'person.apply', 'person', id, { kind: input.kind, inviterId: input.inviterId ?? null });
    })();
    return this.get(id);
  }

  /** applied → approved | rejected; approved → left. CONFLICT from any other status or a stale version. */
  decide(actor: Actor, id: string, to: 'approved' | 'rejected' | 'left', version?: number): PersonRow {
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const r = this.get(id);
      if (version !== undefined && version !== r.version) throw new CallboxError('CONFLICT', `person ${id} is at version ${r.version}`);
      const from: PersonStatus = to === 'left' ? 'approved' : 'applied';
      if (r.status !== from) throw new CallboxError('CONFLICT', `person ${id} is ${r.status}; only ${from} can become ${to}`);
      if (to === 'left') {
        this.deps.db
          .prepare("UPDATE people SET status = 'left', left_at = ?, updated_at = ?, version = version + 1 WHERE id = ?")
          .run(now, now, id);
      } else {
        this.deps.db
          .prepare('UPDATE people SET status = ?, decided_at = ?, decided_by = ?, updated_at = ?, version = version + 1 WHERE id = ?')
          .run(to, now, actor.username, now, id);
      }
      invalidateCommission(this.deps.db, { person: id });
      this.deps.audit.record(actor.username, `person.${to}`, 'person', id, {});
    })();
    return this.get(id);
  }

  update(actor: Actor, id: string, patch: PersonPatch): PersonRow {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const r = this.get(id);
      if (patch.version !== undefined && patch.version !== r.version)
        throw new CallboxError('CONFLICT', `person ${id} is at version ${r.version}`);
      const next = { ...r };
      if (patch.name !== undefined) next.name = text(patch.name, 'name', 100);
      if (patch.phone !== undefined) next.phone = optText(patch.phone, 'phone', 20, PHONE) ?? null;
      if (patch.agentId !== undefined) next.agent_id = optText(patch.agentId, 'agentId', 64) ?? null;
      if (patch.username !== undefined) next.username = optText(patch.username, 'username', 64) ?? null;
      if (patch.note !== undefined) next.note = text(patch.note, 'note', 1000, 0);
      if (patch.bonusCapCents !== undefined) {
        const c = patch.bonusCapCents;
        if (c !== null && (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0))
          throw invalid('bonusCapCents', 'must be cents ≥ 0 or null');
        next.bonus_cap_cents = c;
      }
      if (patch.inviterId !== undefined && patch.inviterId !== r.inviter_id) {
        if (patch.inviterId === id) throw invalid('inviterId', 'cannot be the person themself');
        this.checkInviter(patch.inviterId, id);
        next.inviter_id = patch.inviterId;
      }
      this.checkUnique('username', next.username, id);
      this.checkUnique('agentId', next.agent_id, id);
      this.deps.db
        .prepare(
          `UPDATE people SET name = ?, phone = ?, agent_id = ?, username = ?, note = ?, bonus_cap_cents = ?, inviter_id = ?,
             updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(next.name, next.phone, next.agent_id, next.username, next.note, next.bonus_cap_cents, next.inviter_id, now, id);
      invalidateCommission(this.deps.db, { person: id });
      this.deps.audit.record(actor.username, 'person.update', 'person', id, { fields: Object.keys(patch).filter((k) => k !== 'version') });
    })();
    return this.get(id);
  }
}
