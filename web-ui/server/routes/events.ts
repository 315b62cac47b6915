/**
 * GET /api/v1/events/stream: the live event stream (Server-Sent Events) for the wallboard and the
 * agent console. Auth by session cookie or bearer token, permission live.read. Sends the missed
 * events after `Last-Event-ID` (header, or `?lastEventId=` for the first connect) when the event
 * log still has them all (at most 200), then `event: snapshot` (the wallboard), then every engine event as
 * `event: event` (id = event log seq) and a fresh snapshot after each burst; the follow-up dialer's
 * offers as `event: offer` to the agent they are for (the user's linked agent, else the user name:
 * like GET /api/v1/followups/offer) and to roles with followups.write. GET /api/v1/wallboard
 * answers the same snapshot once (JSON).
 */
import { can } from '../../../firmware/src/service/permissions.js';
import type { LiveClient } from '../live/hub.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid } from '../validate.js';

function lastEventId(header: string, query: unknown): number | null {
  const raw = header !== '' ? header : typeof query === 'string' ? query : '';
  if (raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) throw invalid('lastEventId', 'must be an event seq (digits)');
  return Number(raw);
}

export function eventsRoutes(router: AppRouter, { service, live }: RouteDeps): void {
  const auth = bearerAuth(service);
  const read = permit('live.read');

  router.get('/api/v1/wallboard', auth, read, (ctx) => {
    ctx.body = live.snapshot();
  });

  router.get('/api/v1/events/stream', auth, read, (ctx) => {
    const resume = lastEventId(ctx.get('Last-Event-ID'), ctx.query.lastEventId);
    const who = principalOf(ctx);
    const res = ctx.res;
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setTimeout(0);
    ctx.respond = false;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: LiveClient = {
      phones: can(who.role, 'customers.phones'),
      agent: can(who.role, 'followups.work') ? (service.auth.getUser(who.username)?.agentId ?? who.username) : null,
      allOffers: can(who.role, 'followups.write'),
      write: (chunk) => {
        if (!res.destroyed) res.write(chunk);
        return res.writableLength;
      },
      drop: () => res.destroy(),
    };
    const remove = live.add(client, resume);
    res.on('close', remove);
  });
}
