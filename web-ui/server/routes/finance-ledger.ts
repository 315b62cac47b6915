/**
 * The owner's money entries under /api/v1/finance (bearer; finance.read / finance.write, owner
 * only): monthly expenses (费用) CRUD and base salaries (基础工资) effective from a month.
 * Registered by finance.ts.
 */
import type { ExpenseInput, ExpensePatch } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, pageQuery } from '../validate.js';

export function monthQuery(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}$/.test(value)) throw invalid('month', 'must be a month YYYY-MM');
  return value;
}

export function financeLedgerRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const base = '/api/v1/finance';

  router.get(`${base}/expenses`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.expenses(principalOf(ctx), { month: monthQuery(ctx.query.month), ...pageQuery(ctx.query) });
  });

  router.post(`${base}/expenses`, auth, permit('finance.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, ['month', 'category', 'amountCents', 'note']);
    ctx.status = 201;
    ctx.body = service.finance.addExpense(principalOf(ctx), b as unknown as ExpenseInput);
  });

  router.get(`${base}/expenses/:id`, auth, permit('finance.read'), (ctx) => {
    ctx.body = service.finance.expense(principalOf(ctx), ctx.params.id ?? '');
  });

  router.patch(`${base}/expenses/:id`, auth, permit('finance.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, ['month', 'category', 'amountCents', 'note', 'version']);
    if (b.version !== undefined && (typeof b.version !== 'number' || !Number.isInteger(b.version)))
      throw invalid('version', 'must be an integer');
    ctx.body = service.finance.updateExpense(principalOf(ctx), ctx.params.id ?? '', b as ExpensePatch);
  });

  router.delete(`${base}/expenses/:id`, auth, permit('finance.write'), (ctx) => {
    service.finance.deleteExpense(principalOf(ctx), ctx.params.id ?? '');
    ctx.status = 204;
  });

  router.get(`${base}/salaries`, auth, permit('finance.read'), (ctx) => {
    const month = monthQuery(ctx.query.month);
    ctx.body = { month, items: service.finance.salaries(principalOf(ctx), month) };
  });

  router.put(`${base}/salaries/:personId`, auth, permit('finance.write'), body, (ctx) => {
    const b = objectBody(ctx.state.body, ['month', 'baseSalaryCents']);
    ctx.body = service.finance.setSalary(principalOf(ctx), {
      personId: ctx.params.personId ?? '',
      month: monthQuery(b.month),
      baseSalaryCents: b.baseSalaryCents as number,
    });
  });
}
