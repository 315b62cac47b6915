/** The finance service (FinanceService): people, rules, expenses, salaries, profit, settlements. */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { CommissionLedger, type EntryRow, invalidateCommission, toEntry } from './commission.js';
import { Ledger } from './ledger.js';
import { parseMonth } from './month.js';
import { PeopleStore, type PersonRow, toPerson } from './people.js';
import { RulesStore, validateRules } from './rules.js';
import { activeIn, MonthBook } from './settlement.js';
import type {
  CommissionEntry,
  CommissionQuery,
  CommissionRules,
  Expense,
  ExpenseInput,
  ExpensePatch,
  ExpenseQuery,
  FinanceService,
  MonthProfit,
  MonthSettlement,
  MySettlement,
  PeopleQuery,
  Person,
  PersonApplication,
  PersonPatch,
  SalaryInput,
  SalaryLine,
} from './types.js';

const ENTRY_STATUSES = ['pending', 'settled', 'reversed'];

export class Finance implements FinanceService {
  private readonly peopleStore: PeopleStore;
  private readonly ledger: Ledger;
  private readonly rulesStore: RulesStore;
  private readonly book: MonthBook;

  constructor(private readonly deps: BackOfficeDeps) {
    this.peopleStore = new PeopleStore(deps);
    this.ledger = new Ledger(deps, this.peopleStore);
    this.rulesStore = new RulesStore(deps.db);
    this.book = new MonthBook(deps, this.peopleStore, this.ledger, this.rulesStore, new CommissionLedger(deps));
  }

  /** The person with the base salary in force this month (the salary history decides, not the mirror column). */
  private view(r: PersonRow): Person {
    const p = toPerson(r);
    const s = this.ledger.salaryOf(r.id, this.book.calendar().monthOf(this.deps.clock.now()));
    if (s.from !== null) p.baseSalaryCents = s.cents;
    return p;
  }

  people(_actor: Actor): Person[] {
    return this.peopleStore.all().map((r) => this.view(r));
  }

  listPeople(_actor: Actor, q: PeopleQuery): Page<Person> {
    const page = this.peopleStore.list(q);
    return { items: page.items.map((r) => this.view(r)), total: page.total };
  }

  person(_actor: Actor, id: string): Person {
    return this.view(this.peopleStore.get(id));
  }

  personOf(username: string): Person | null {
    const r = this.peopleStore.byUsername(username);
    return r ? this.view(r) : null;
  }

  apply(actor: Actor, input: PersonApplication): Person {
    return this.view(this.peopleStore.apply(actor, input));
  }

  approve(actor: Actor, id: string, version?: number): Person {
    return this.view(this.peopleStore.decide(actor, id, 'approved', version));
  }

  reject(actor: Actor, id: string, version?: number): Person {
    return this.view(this.peopleStore.decide(actor, id, 'rejected', version));
  }

  leave(actor: Actor, id: string, version?: number): Person {
    return this.view(this.peopleStore.decide(actor, id, 'left', version));
  }

  updatePerson(actor: Actor, id: string, patch: PersonPatch): Person {
    return this.view(this.peopleStore.update(actor, id, patch));
  }

  rules(): CommissionRules {
    return this.rulesStore.get();
  }

  setRules(actor: Actor, rules: CommissionRules): CommissionRules {
    const valid = validateRules(rules);
    this.deps.db.transaction(() => {
      this.rulesStore.put(valid, actor.username, this.deps.clock.now());
      invalidateCommission(this.deps.db, { unsettled: true });
      this.deps.audit.record(actor.username, 'finance.rules', 'finance_rules', '1', valid);
    })();
    return this.rulesStore.get();
  }

  expenses(_actor: Actor, q: ExpenseQuery): Page<Expense> {
    return this.ledger.expenses(q);
  }

  expense(_actor: Actor, id: string): Expense {
    return this.ledger.expense(id);
  }

  addExpense(actor: Actor, input: ExpenseInput): Expense {
    return this.ledger.addExpense(actor, input);
  }

  updateExpense(actor: Actor, id: string, patch: ExpensePatch): Expense {
    return this.ledger.updateExpense(actor, id, patch);
  }

  deleteExpense(actor: Actor, id: string): void {
    this.ledger.deleteExpense(actor, id);
  }

  salaries(_actor: Actor, month: string): SalaryLine[] {
    const m = parseMonth(month);
    const { from, to } = this.book.calendar().range(m);
    return this.peopleStore
      .all()
      .filter((p) => p.status === 'approved' || p.status === 'left')
      .map((p) => this.ledger.salaryLine(p, m, activeIn(p, from, to)));
  }

  setSalary(actor: Actor, input: SalaryInput): SalaryLine {
    const current = this.book.calendar().monthOf(this.deps.clock.now());
    const p = this.ledger.setSalary(actor, input, current);
    const { from, to } = this.book.calendar().range(input.month);
    return this.ledger.salaryLine(p, input.month, activeIn(p, from, to));
  }

  profit(_actor: Actor, month: string): MonthProfit {
    return this.book.profit(parseMonth(month));
  }

  settlement(_actor: Actor, month: string): MonthSettlement {
    return this.book.settlement(parseMonth(month));
  }

  closeMonth(actor: Actor, month: string): MonthSettlement {
    return this.book.close(actor, parseMonth(month));
  }

  commissions(_actor: Actor, q: CommissionQuery): Page<CommissionEntry> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.month !== undefined) {
      where.push('e.month = ?');
      args.push(parseMonth(q.month));
    }
    if (q.personId !== undefined) {
      where.push('e.person_id = ?');
      args.push(q.personId);
    }
    if (q.status !== undefined) {
      if (!ENTRY_STATUSES.includes(q.status)) {
        throw new CallboxError('VALIDATION_FAILED', `status must be one of ${ENTRY_STATUSES.join(', ')}`, { field: 'status' });
      }
      where.push('e.status = ?');
      args.push(q.status);
    }
    this.book.sync();
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM commission_entries e ${w}`).get(...args) as { n: number }).n;
    const rows = this.deps.db
      .prepare(
        `SELECT e.*, o.number AS order_number FROM commission_entries e LEFT JOIN orders o ON o.id = e.order_id ${w}
         ORDER BY e.due_at, e.id LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit ?? 50, q.offset ?? 0) as Array<EntryRow & { order_number: string | null }>;
    return { items: rows.map((r) => toEntry(r, r.order_number)), total };
  }

  mine(actor: Actor, month: string): MySettlement {
    const m = parseMonth(month);
    const row = this.peopleStore.byUsername(actor.username);
    if (!row) throw new CallboxError('NOT_FOUND', `no person is linked to the username ${actor.username}`);
    const s = this.book.settlement(m);
    const line = s.people.find((l) => l.personId === row.id) ?? {
      personId: row.id,
      name: row.name,
      kind: row.kind,
      baseSalaryCents: 0,
      salesCents: 0,
      referralCents: 0,
      rebateCents: 0,
      bonusCents: 0,
      bonusCapCutCents: 0,
      totalCents: 0,
    };
    const entries = this.commissions(actor, { month: m, personId: row.id, limit: 500 }).items;
    return { person: this.view(row), settlement: line, entries };
  }
}
