/**
 * The owner's entries: monthly expenses (费用) and base salaries (基础工资) effective from a month.
 * Both feed the month's net profit, so a closed month refuses changes (CONFLICT → 409).
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { parseMonth } from './month.js';
import type { PeopleStore, PersonRow } from './people.js';
import { centsField } from './rules.js';
import type { Expense, ExpenseInput, ExpensePatch, ExpenseQuery, SalaryInput, SalaryLine } from './types.js';

interface ExpenseRow {
  id: string;
  month: string;
  category: string;
  amount_cents: number;
  note: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

function toExpense(r: ExpenseRow): Expense {
  return {
    id: r.id,
    month: r.month,
    category: r.category,
    amountCents: r.amount_cents,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

function text(v: unknown, field: string, max: number, min = 1): string {
  if (typeof v !== 'string' || v.trim().length < min || v.length > max) {
    throw new CallboxError('VALIDATION_FAILED', `${field} must be a string of ${min}..${max} characters`, { field });
  }
  return v.trim();
}

export class Ledger {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly people: PeopleStore,
  ) {}

  isClosed(month: string): boolean {
    return this.deps.db.prepare('SELECT 1 FROM settlements WHERE month = ?').get(month) !== undefined;
  }

  /** The latest closed month, or null. */
  lastClosed(): string | null {
    const r = this.deps.db.prepare('SELECT MAX(month) AS m FROM settlements').get() as { m: string | null };
    return r.m;
  }

  private assertOpen(month: string, what: string): void {
    if (this.isClosed(month)) throw new CallboxError('CONFLICT', `${month} is closed: its ${what} can no longer change`, { month });
  }

  private expenseRow(id: string): ExpenseRow {
    const r = this.deps.db.prepare('SELECT * FROM finance_expenses WHERE id = ?').get(id) as ExpenseRow | undefined;
    if (!r) throw new CallboxError('NOT_FOUND', `no expense ${JSON.stringify(id)}`);
    return r;
  }

  expense(id: string): Expense {
    return toExpense(this.expenseRow(id));
  }

  expenses(q: ExpenseQuery): Page<Expense> {
    const month = parseMonth(q.month);
    const total = (this.deps.db.prepare('SELECT COUNT(*) AS n FROM finance_expenses WHERE month = ?').get(month) as { n: number }).n;
    const rows = this.deps.db
      .prepare('SELECT * FROM finance_expenses WHERE month = ? ORDER BY created_at, id LIMIT ? OFFSET ?')
      .all(month, q.limit ?? 50, q.offset ?? 0) as ExpenseRow[];
    return { items: rows.map(toExpense), total };
  }

  expensesCents(month: string): number {
    return (
      this.deps.db.prepare('SELECT COALESCE(SUM(amount_cents), 0) AS s FROM finance_expenses WHERE month = ?').get(month) as { s: number }
    ).s;
  }

  addExpense(actor: Actor, input: ExpenseInput): Expense {
    if (typeof input !== 'object' || input === null)
      throw new CallboxError('VALIDATION_FAILED', 'body must be an object', { field: 'body' });
    const month = parseMonth(input.month);
    const category = text(input.category, 'category', 64);
    const amount = centsField(input.amountCents, 'amountCents');
    const note = input.note === undefined ? '' : text(input.note, 'note', 1000, 0);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.assertOpen(month, 'expenses');
      this.deps.db
        .prepare(
          'INSERT INTO finance_expenses (id, month, category, amount_cents, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, month, category, amount, note, actor.username, now, now);
      this.deps.audit.record(actor.username, 'expense.add', 'expense', id, { month, category, amountCents: amount });
    })();
    return this.expense(id);
  }

  updateExpense(actor: Actor, id: string, patch: ExpensePatch): Expense {
    if (typeof patch !== 'object' || patch === null)
      throw new CallboxError('VALIDATION_FAILED', 'body must be an object', { field: 'body' });
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const r = this.expenseRow(id);
      if (patch.version !== undefined && patch.version !== r.version)
        throw new CallboxError('CONFLICT', `expense ${id} is at version ${r.version}`);
      const month = patch.month === undefined ? r.month : parseMonth(patch.month);
      const category = patch.category === undefined ? r.category : text(patch.category, 'category', 64);
      const amount = patch.amountCents === undefined ? r.amount_cents : centsField(patch.amountCents, 'amountCents');
      const note = patch.note === undefined ? r.note : text(patch.note, 'note', 1000, 0);
      this.assertOpen(r.month, 'expenses');
      this.assertOpen(month, 'expenses');
      this.deps.db
        .prepare(
          'UPDATE finance_expenses SET month = ?, category = ?, amount_cents = ?, note = ?, updated_at = ?, version = version + 1 WHERE id = ?',
        )
        .run(month, category, amount, note, now, id);
      this.deps.audit.record(actor.username, 'expense.update', 'expense', id, { month, category, amountCents: amount });
    })();
    return this.expense(id);
  }

  deleteExpense(actor: Actor, id: string): void {
    this.deps.db.transaction(() => {
      const r = this.expenseRow(id);
      this.assertOpen(r.month, 'expenses');
      this.deps.db.prepare('DELETE FROM finance_expenses WHERE id = ?').run(id);
      this.deps.audit.record(actor.username, 'expense.delete', 'expense', id, { month: r.month, amountCents: r.amount_cents });
    })();
  }

  /** The salary in force in `month` (latest set at or before it) and when it took effect. */
  salaryOf(personId: string, month: string): { cents: number; from: string | null } {
    const r = this.deps.db
      .prepare('SELECT month, base_salary_cents AS c FROM finance_salaries WHERE person_id = ? AND month <= ? ORDER BY month DESC LIMIT 1')
      .get(personId, month) as { month: string; c: number } | undefined;
    return r ? { cents: r.c, from: r.month } : { cents: 0, from: null };
  }

  salaryLine(p: PersonRow, month: string, counted: boolean): SalaryLine {
    const s = this.salaryOf(p.id, month);
    return { personId: p.id, name: p.name, kind: p.kind, status: p.status, fromMonth: s.from, baseSalaryCents: s.cents, counted };
  }

  setSalary(actor: Actor, input: SalaryInput, currentMonth: string): PersonRow {
    if (typeof input !== 'object' || input === null)
      throw new CallboxError('VALIDATION_FAILED', 'body must be an object', { field: 'body' });
    const month = parseMonth(input.month);
    const cents = centsField(input.baseSalaryCents, 'baseSalaryCents');
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      const p = this.people.get(input.personId);
      if (p.status === 'rejected') throw new CallboxError('CONFLICT', `person ${p.id} was rejected`);
      const last = this.lastClosed();
      if (last !== null && month <= last)
        throw new CallboxError('CONFLICT', `${month} is closed (closed up to ${last}): salaries can change from an open month on`, {
          month,
        });
      this.deps.db
        .prepare(
          `INSERT INTO finance_salaries (person_id, month, base_salary_cents, set_by, set_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(person_id, month) DO UPDATE SET base_salary_cents = excluded.base_salary_cents, set_by = excluded.set_by, set_at = excluded.set_at`,
        )
        .run(p.id, month, cents, actor.username, now);
      const nowSalary = this.salaryOf(p.id, currentMonth).cents;
      this.deps.db
        .prepare('UPDATE people SET base_salary_cents = ?, updated_at = ?, version = version + 1 WHERE id = ?')
        .run(nowSalary, now, p.id);
      this.deps.audit.record(actor.username, 'salary.set', 'person', p.id, { month, baseSalaryCents: cents });
    })();
    return this.people.get(input.personId);
  }
}
