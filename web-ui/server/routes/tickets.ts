/**
 * Tickets (工单) under /api/v1 (bearer): tickets, their workflow, notes, links and return visits
 * (回访); categories with SLA; the ticket settings. tickets.read / tickets.write (owner,
 * supervisor, agent) work tickets and read categories; tickets.admin (owner, supervisor) edits
 * categories and reads the settings; only the owner changes the settings. Technicians get 403. Bodies are checked for unknown fields here;
 * the service checks values and names the field.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { TicketQuery } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalPageQuery, pageOf, pageQuery } from '../validate.js';

const CREATE_FIELDS = [
  'subject',
  'description',
  'category',
  'priority',
  'department',
  'assignee',
  'source',
  'customerId',
  'phone',
  'callId',
];
const PATCH_FIELDS = ['subject', 'description', 'category', 'priority', 'department', 'assignee', 'customerId', 'phone', 'version'];
const FILTERS = ['q', 'status', 'assignee', 'customerId', 'category', 'source', 'overdue', 'limit', 'offset'];

function param(ctx: AppContext, name: string): string | undefined {
  const v = ctx.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(name, 'must be given once');
  return v;
}

/** ?q= &status= &assignee= (me: the caller) &customerId= &category= &source= &overdue=true|false &limit= &offset= */
function ticketQuery(ctx: AppContext): TicketQuery {
  for (const k of Object.keys(ctx.query)) {
    if (!FILTERS.includes(k)) throw invalid(k, `is not a known filter (expected: ${FILTERS.join(', ')})`);
  }
  const q: TicketQuery = pageQuery(ctx.query);
  const text = param(ctx, 'q');
  if (text !== undefined && text.trim() !== '') q.q = text;
  const status = param(ctx, 'status');
  if (status !== undefined) q.status = status as TicketQuery['status'];
  const assignee = param(ctx, 'assignee');
  if (assignee !== undefined) q.assignee = assignee === 'me' ? principalOf(ctx).username : assignee;
  const customerId = param(ctx, 'customerId');
  if (customerId !== undefined) q.customerId = customerId;
  const category = param(ctx, 'category');
  if (category !== undefined) q.category = category;
  const source = param(ctx, 'source');
  if (source !== undefined) q.source = source as TicketQuery['source'];
  const overdue = param(ctx, 'overdue');
  if (overdue !== undefined) {
    if (!['true', 'false', '1', '0'].includes(overdue)) throw invalid('overdue', 'must be true or false');
    q.overdue = overdue === 'true' || overdue === '1';
  }
  return q;
}

export function ticketsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const read = permit('tickets.read');
  const write = permit('tickets.write');
  const admin = permit('tickets.admin');
  const tickets = () => service.tickets;
  const id = (ctx: AppContext): string => ctx.params.id ?? '';

  router.post('/api/v1/tickets', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, CREATE_FIELDS);
    if (b.subject === undefined) throw invalid('subject', 'is required');
    ctx.status = 201;
    ctx.body = tickets().create(principalOf(ctx), b as never);
  });

  router.get('/api/v1/tickets', auth, read, (ctx) => {
    ctx.body = tickets().search(principalOf(ctx), ticketQuery(ctx));
  });

  router.get('/api/v1/tickets/:id', auth, read, (ctx) => {
    const found = tickets().detail(principalOf(ctx), id(ctx));
    if (!found) throw new CallboxError('NOT_FOUND', `no ticket ${JSON.stringify(id(ctx))}`);
    ctx.body = found;
  });

  router.patch('/api/v1/tickets/:id', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, PATCH_FIELDS);
    ctx.body = tickets().update(principalOf(ctx), id(ctx), b);
  });

  router.post('/api/v1/tickets/:id/transition', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['to', 'note', 'assignee', 'version']);
    if (b.to === undefined) throw invalid('to', 'is required');
    ctx.body = tickets().transition(principalOf(ctx), id(ctx), b as never);
  });

  router.post('/api/v1/tickets/:id/notes', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['body', 'internal']);
    if (b.body === undefined) throw invalid('body', 'is required');
    ctx.status = 201;
    ctx.body = tickets().addNote(principalOf(ctx), id(ctx), b as never);
  });

  router.post('/api/v1/tickets/:id/links', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['kind', 'refId']);
    if (b.kind === undefined) throw invalid('kind', 'is required');
    if (b.refId === undefined) throw invalid('refId', 'is required');
    ctx.status = 201;
    ctx.body = tickets().addLink(principalOf(ctx), id(ctx), b as never);
  });

  router.post('/api/v1/tickets/:id/return-visit', auth, write, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['dueAt', 'inDays', 'note', 'phone']);
    ctx.status = 201;
    ctx.body = tickets().scheduleReturnVisit(principalOf(ctx), id(ctx), b);
  });

  router.get('/api/v1/ticket-categories', auth, read, (ctx) => {
    ctx.body = pageOf(tickets().categories(principalOf(ctx)), optionalPageQuery(ctx.query));
  });

  router.post('/api/v1/ticket-categories', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['id', 'nameZh', 'nameEn', 'slaHours', 'sort']);
    if (b.nameZh === undefined) throw invalid('nameZh', 'is required');
    ctx.status = 201;
    ctx.body = tickets().createCategory(principalOf(ctx), b as never);
  });

  router.patch('/api/v1/ticket-categories/:id', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['nameZh', 'nameEn', 'slaHours', 'disabled', 'sort']);
    ctx.body = tickets().updateCategory(principalOf(ctx), id(ctx), b);
  });

  router.get('/api/v1/tickets-settings', auth, admin, (ctx) => {
    ctx.body = tickets().settings(principalOf(ctx));
  });

  router.put('/api/v1/tickets-settings', auth, admin, body, (ctx) => {
    const who = principalOf(ctx);
    if (who.role !== 'owner') throw new CallboxError('FORBIDDEN', `role ${who.role} may not change the ticket settings (owner only)`);
    const b = objectBody(ctx.state.body, [
      'missedCallTickets',
      'voicemailTickets',
      'smsTickets',
      'returnVisitOnResolve',
      'returnVisitAfterDays',
    ]);
    ctx.body = tickets().updateSettings(who, b);
  });
}
