/**
 * Text messages (短信) through the box's GSM modem (owner, supervisor, agent: `sms.send`): queue
 * one (to a number, or to a customer's or a ticket's phone), list sent and received ones (paged; by
 * direction, status, unread, customer, ticket), one by id, mark a received one read. A message is
 * stored before it is sent; its status moves queued → sending → sent (or failed after the retries).
 * Every received message is in the inbox whatever the ticket settings. Numbers are masked for agents.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { SmsQuery, SmsStatus } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalString, pageQuery, requiredString } from '../validate.js';

const STATUSES: readonly SmsStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];
const FILTERS = ['direction', 'status', 'unread', 'customerId', 'ticketId', 'limit', 'offset'];
const ID = { max: 64, pattern: /^[A-Za-z0-9_-]+$/, hint: 'like 01JD…' };

export function smsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const may = permit('sms.send');

  router.post('/api/v1/sms', auth, may, jsonBody({ limit: jsonLimit }), (ctx) => {
    const b = objectBody(ctx.state.body, ['to', 'text', 'customerId', 'ticketId', 'replyTo']);
    const text = requiredString(b, 'text', { max: 2000 });
    const to = optionalString(b, 'to', { max: 32 });
    const customerId = optionalString(b, 'customerId', ID);
    const ticketId = optionalString(b, 'ticketId', ID);
    const replyTo = optionalString(b, 'replyTo', ID);
    const msg = service.sms.send(principalOf(ctx), {
      text,
      ...(replyTo ? { replyTo } : {}),
      ...(to ? { to } : {}),
      ...(customerId ? { customerId } : {}),
      ...(ticketId ? { ticketId } : {}),
    });
    ctx.status = 202;
    ctx.body = msg;
  });

  router.get('/api/v1/sms', auth, may, (ctx) => {
    ctx.body = service.sms.list(principalOf(ctx), smsQuery(ctx.query));
  });

  router.get('/api/v1/sms/:id', auth, may, (ctx) => {
    const msg = service.sms.get(principalOf(ctx), ctx.params.id ?? '');
    if (!msg) throw new CallboxError('NOT_FOUND', `no text message ${JSON.stringify(ctx.params.id)}`);
    ctx.body = msg;
  });

  router.post('/api/v1/sms/:id/read', auth, may, (ctx) => {
    ctx.body = service.sms.markRead(principalOf(ctx), ctx.params.id ?? '');
  });
}

/** ?direction=in|out &status= &unread=true|false &customerId= &ticketId= &limit= &offset= */
function smsQuery(query: Record<string, unknown>): SmsQuery {
  for (const k of Object.keys(query)) {
    if (!FILTERS.includes(k)) throw invalid(k, `is not a known filter (expected: ${FILTERS.join(', ')})`);
  }
  const q: SmsQuery = pageQuery(query);
  const one = (f: string): string | undefined => {
    const v = query[f];
    if (v !== undefined && typeof v !== 'string') throw invalid(f, 'must be given once');
    return v;
  };
  const direction = one('direction');
  if (direction !== undefined) {
    if (direction !== 'in' && direction !== 'out') throw invalid('direction', 'must be in or out');
    q.direction = direction;
  }
  const status = one('status');
  if (status !== undefined) {
    if (!STATUSES.includes(status as SmsStatus)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
    q.status = status as SmsStatus;
  }
  const unread = one('unread');
  if (unread !== undefined) {
    if (!['true', 'false', '1', '0'].includes(unread)) throw invalid('unread', 'must be true or false');
    q.unread = unread === 'true' || unread === '1';
  }
  for (const f of ['customerId', 'ticketId'] as const) {
    const v = one(f);
    if (v === undefined) continue;
    if (!ID.pattern.test(v) || v.length > ID.max) throw invalid(f, 'must be an id');
    q[f] = v;
  }
  return q;
}
