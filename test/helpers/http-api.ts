/**
 * For tests of the REST API: `serveApi` starts the HTTP server of a box's service on a free
 * loopback port (closed at the test's end); `tokenOf` logs in (POST /api/v1/auth/token),
 * `tokens` holds one bearer token per named login (taken in order), and `call(who, method, path,
 * json?)` sends a request as that login and gives the status and the parsed JSON body (null if empty).
 */
import { pino } from 'pino';
import type { BoxService } from '../../firmware/src/service/types.js';
import { startHttpServer } from '../../web-ui/server/app.js';

/** The REST API of `service` on a free loopback port, closed at the test's end. */
export async function serveApi(t: { teardown(fn: () => unknown): void }, service: BoxService) {
  const http = await startHttpServer({ service, log: pino({ level: 'silent' }), port: 0 });
  t.teardown(() => http.close());
  return http;
}

/** A bearer token for `username` from POST /api/v1/auth/token on the server at `port`. */
export async function loginToken(port: number, username: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return ((await res.json()) as { token: string }).token;
}

export async function apiAs<K extends string>(port: number, logins: Record<K, [username: string, password: string]>) {
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;
  const tokenOf = (username: string, password: string) => loginToken(port, username, password);
  const tokens = {} as Record<K, string>;
  for (const who of Object.keys(logins) as K[]) {
    const [username, password] = logins[who];
    tokens[who] = await tokenOf(username, password);
  }
  const call = async (who: K, method: string, path: string, json?: unknown) => {
    const res = await fetch(url(path), {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  return { url, tokenOf, tokens, call };
}
