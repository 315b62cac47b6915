// Fuzz: every REST endpoint's input, against the real Koa app over the test FakeService (a real
// back office on an in-memory database). Routes are enumerated from the router; each case picks a
// route, fills its path parameters, and sends a random query string and a random JSON body (or
// garbage bytes) as the owner (all permissions, so the validators are reached). Every answer is
// 2xx/3xx/4xx, a 4xx carries {error:{code,message}}, none is 5xx, none hangs.
import fc from 'fast-check';
import t from 'tap';
import { startTestServer } from '../unit/web-ui/fixtures/helpers.js';
import { fillPath, listRoutes, type RouteInfo } from '../unit/web-ui/fixtures/routes.js';
import { holdsAsync, watchRejections, within } from './fixtures/fuzz.js';
import { nastyValue } from './fixtures/json-mutate.js';

/** Streams (stay open by design) and the routes that end the fuzzer's own session. */
const SKIP = new Set([
  'GET /api/v1/events/stream',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/password',
]);
const QUERY_KEYS =
  'active activeAt agent assignee before beforeSeq callId callerId category code customerId digits download due from kind language limit mode month number offset overdue personId productId q queue state status tag to trim format date'.split(
    ' ',
  );
const BODY_KEYS =
  'name phone phones note notes title body text status state priority category customerId productId orderId items quantity price amount month from to role username password agentId tags on paused code reason queue channel callerId digits disposition outcome id version config'.split(
    ' ',
  );

const paramValue = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    'x1',
    '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    '..',
    '../../etc/passwd',
    '%00',
    ' ',
    '张三',
    "' OR 1=1 --",
    'a'.repeat(300),
    'owner',
    'a1',
    'fxo1',
    'main',
  ),
  fc.string({ minLength: 1, maxLength: 20 }),
);
const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-1', '1e9', 'NaN', 'true', '2026-13-45', '2026-11', "' OR '1'='1", '%', '_', '*', '\u0000', '张'),
  fc.string({ maxLength: 15 }),
  fc.integer().map(String),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })),
  fc.oneof(queryValue, fc.array(queryValue, { maxLength: 3 })),
  { maxKeys: 4 },
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...BODY_KEYS), fc.string({ maxLength: 8 })), nastyValue, { maxKeys: 6 }) },
  { weight: 1, arbitrary: nastyValue },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ raw: s })) },
);

function qs(q: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  const s = p.toString();
  return s ? `?${s}` : '';
}

t.test('REST: random queries and bodies on every route never give a 5xx', async (t) => {
  const rejections = watchRejections(t);
  const s = await startTestServer(t, { withSim: true });
  const routes = listRoutes(s.fake).filter((r) => !SKIP.has(`${r.method} ${r.path}`));
  t.ok(routes.length > 100, `${routes.length} routes`);
  let token = await s.login();
  const statuses = new Map<number, number>();
  const hit = new Set<string>();
  await holdsAsync(
    t,
    'REST inputs',
    fc.asyncProperty(fc.nat(), paramValue, query, body, async (i, param, q, b) => {
      const r = routes[i % routes.length] as RouteInfo;
      hit.add(`${r.method} ${r.path}`);
      const url = s.url(fillPath(r.path, param) + qs(q));
      const raw = b && typeof b === 'object' && !Array.isArray(b) && 'raw' in b && Object.keys(b).length === 1 ? String(b.raw) : null;
      const send = () =>
        fetch(url, {
          method: r.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(r.method === 'GET' ? {} : { body: raw ?? JSON.stringify(b) ?? 'null' }),
          signal: AbortSignal.timeout(20_000),
        });
      let res = await within(`${r.method} ${url}`, send(), 25_000);
      if (res.status === 401) {
        // a random body may have changed the owner's session (setup, users): sign in again
        await res.body?.cancel();
        token = await s.login();
        res = await within(`${r.method} ${url}`, send(), 25_000);
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status >= 500)
        throw new Error(`${res.status} for ${r.method} ${url} body ${raw ?? JSON.stringify(b)}: ${text.slice(0, 300)}`);
      if (res.status >= 400) {
        const err = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
        if (typeof err?.code !== 'string' || typeof err.message !== 'string')
          throw new Error(`${res.status} without an error code: ${text.slice(0, 200)}`);
      }
    }),
    400,
    0.1, // make fuzz: 2 000 requests (each a real HTTP round trip)
  );
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}; routes hit: ${hit.size}/${routes.length}`);
  t.notOk(
    s.logs.some((l) => l.level >= 50 && /INTERNAL|unhandled/i.test(JSON.stringify(l))),
    'no INTERNAL error logged',
  );
  t.same(rejections, [], 'no unhandled rejection');
});
