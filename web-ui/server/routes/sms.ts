/**
 * Text messages (短信) sent through the box's GSM modem (owner, supervisor, agent: `sms.send`):
 * queue one (to a number, or to a customer's or a ticket's phone), list the ones sent (by status,
 * customer, ticket), one by id. The message is stored before it is sent; its status moves
 * queued → sending → sent (or failed after the retries). Numbers are masked for agents.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { SmsQuery, SmsStatus } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalString, queryInt, requiredString } from '../validate.js';

const STATUSES: readonly SmsStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed'];
const ID = { max: 64, pattern: /^[A-Za-z0-9_-]+$/, hint: 'like 01JD…' };

export function smsRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const may = permit('sms.send');

  router.post('/api/v1/sms', auth, may, jsonBody({ limit: jsonLimit }), (ctx) => {
    const b = objectBody(ctx.state.body, ['to', 'text', 'customerId', 'ticketId']);
    const text = requiredString(b, 'text', { max: 2000 });
    const to = optionalString(b, 'to', { max: 32 });
    const customerId = optionalString(b, 'customerId', ID);
    const ticketId = optionalString(b, 'ticketId', ID);
    const msg = service.sms.send(principalOf(ctx), {
      text,
      ...(to ? { to } : {}),
      ...(customerId ? { customerId } : {}),
      ...(ticketId ? { ticketId } : {}),
    });
    ctx.status = 202;
    ctx.body = msg;
  });

  router.get('/api/v1/sms', auth, may, (ctx) => {
    const q: SmsQuery = { limit: queryInt(ctx.query.limit, 'limit', 1, 500, 50) };
    const status = ctx.query.status;
    if (status !== undefined) {
      if (typeof status !== 'string' || !STATUSES.includes(status as SmsStatus))
        throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
      q.status = status as SmsStatus;
    }
    for (const f of ['customerId', 'ticketId'] as const) {
      const v = ctx.query[f];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !ID.pattern.test(v) || v.length > ID.max) throw invalid(f, 'must be an id');
      q[f] = v;
    }
    ctx.body = { messages: service.sms.list(principalOf(ctx), q) };
  });

  router.get('/api/v1/sms/:id', auth, may, (ctx) => {
    const msg = service.sms.get(principalOf(ctx), ctx.params.id ?? '');
    if (!msg) throw new CallboxError('NOT_FOUND', `no text message ${JSON.stringify(ctx.params.id)}`);
    ctx.body = msg;
  });
}
