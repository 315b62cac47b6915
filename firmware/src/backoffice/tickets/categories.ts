/** Ticket categories (工单分类) with their SLA in hours: eight built in, more added by the owner. */
import { CallboxError } from '../../errors.js';
import type { Database } from '../../store/db.js';
import type { CategoryInput, CategoryPatch, TicketCategory } from './types.js';
import { bool, int, invalid, LIMITS, notFound, object, text } from './validate.js';

interface Row {
  id: string;
  name_zh: string;
  name_en: string;
  sla_hours: number | null;
  builtin: number;
  disabled: number;
  sort: number;
}

const ID = /^[a-z][a-z0-9_]{1,39}$/;

function toCategory(r: Row): TicketCategory {
  return {
    id: r.id,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    slaHours: r.sla_hours,
    builtin: r.builtin === 1,
    disabled: r.disabled === 1,
    sort: r.sort,
  };
}

function sla(value: unknown): number | null {
  if (value === null) return null;
  return int(value, 'slaHours', 1, LIMITS.slaHours);
}

export class CategoryStore {
  constructor(
    private readonly db: Database,
    private readonly newId: () => string,
  ) {}

  all(): TicketCategory[] {
    return (this.db.prepare('SELECT * FROM ticket_categories ORDER BY sort, id').all() as Row[]).map(toCategory);
  }

  get(id: string): TicketCategory | null {
    const r = this.db.prepare('SELECT * FROM ticket_categories WHERE id = ?').get(id) as Row | undefined;
    return r ? toCategory(r) : null;
  }

  /** A category a ticket may use now (known, not disabled); VALIDATION_FAILED naming `category`. */
  usable(id: unknown): TicketCategory {
    if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.id) throw invalid('category', 'must be a category id');
    const c = this.get(id);
    if (!c) throw invalid('category', `is not a known category (${id}); see GET /api/v1/ticket-categories`);
    if (c.disabled) throw invalid('category', `is disabled (${id})`);
    return c;
  }

  create(input: CategoryInput): TicketCategory {
    const b = object(input);
    for (const k of Object.keys(b)) {
      if (!['id', 'nameZh', 'nameEn', 'slaHours', 'sort'].includes(k)) throw invalid(k, 'is not a known field');
    }
    let id: string;
    if (b.id === undefined) id = `c_${this.newId().toLowerCase()}`;
    else {
      if (typeof b.id !== 'string' || !ID.test(b.id))
        throw invalid('id', 'must be 2..40 lowercase letters, digits or _ starting with a letter');
      id = b.id;
    }
    const nameZh = text(b.nameZh, 'nameZh', LIMITS.name);
    const nameEn = b.nameEn === undefined ? nameZh : text(b.nameEn, 'nameEn', LIMITS.name);
    const slaHours = b.slaHours === undefined ? null : sla(b.slaHours);
    const sort = b.sort === undefined ? 100 : int(b.sort, 'sort', 0, 100_000);
    if (this.get(id)) throw new CallboxError('CONFLICT', `category ${id} already exists`, { id });
    this.db
      .prepare('INSERT INTO ticket_categories (id, name_zh, name_en, sla_hours, builtin, disabled, sort) VALUES (?, ?, ?, ?, 0, 0, ?)')
      .run(id, nameZh, nameEn, slaHours, sort);
    return this.get(id) as TicketCategory;
  }

  update(id: string, patch: CategoryPatch): TicketCategory {
    const b = object(patch);
    const cur = this.get(id);
    if (!cur) throw notFound('ticket category', id);
    for (const k of Object.keys(b)) {
      if (!['nameZh', 'nameEn', 'slaHours', 'disabled', 'sort'].includes(k)) throw invalid(k, 'is not a known field');
    }
    const next = {
      nameZh: b.nameZh === undefined ? cur.nameZh : text(b.nameZh, 'nameZh', LIMITS.name),
      nameEn: b.nameEn === undefined ? cur.nameEn : text(b.nameEn, 'nameEn', LIMITS.name),
      slaHours: b.slaHours === undefined ? cur.slaHours : sla(b.slaHours),
      disabled: b.disabled === undefined ? cur.disabled : bool(b.disabled, 'disabled'),
      sort: b.sort === undefined ? cur.sort : int(b.sort, 'sort', 0, 100_000),
    };
    if (next.disabled && id === 'inquiry') throw invalid('disabled', 'the inquiry category is the default and cannot be disabled');
    this.db
      .prepare('UPDATE ticket_categories SET name_zh = ?, name_en = ?, sla_hours = ?, disabled = ?, sort = ? WHERE id = ?')
      .run(next.nameZh, next.nameEn, next.slaHours, next.disabled ? 1 : 0, next.sort, id);
    return this.get(id) as TicketCategory;
  }
}
