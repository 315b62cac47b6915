/**
 * The app's calls to the box: same-origin fetch with the session cookie; every state-changing
 * request carries the CSRF token from the login answer (or GET /api/v1/auth/session). Errors come
 * back as ApiError with the box's code (VALIDATION_FAILED, RATE_LIMITED …).
 */
import type { Role } from '../../../firmware/src/service/types.js';

export interface Session {
  username: string;
  role: Role;
  agentId: string | null;
  permissions: string[];
  csrfToken?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Seconds to wait, for RATE_LIMITED. */
  get retryAfterS(): number | null {
    const d = this.details as { retryAfterS?: unknown } | null;
    return typeof d?.retryAfterS === 'number' ? d.retryAfterS : null;
  }
}

let csrf: string | null = null;

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  file?: { data: Blob; type: string },
  extra: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (file) headers['content-type'] = file.type;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const payload = file ? file.data : body !== undefined ? JSON.stringify(body) : undefined;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(payload !== undefined ? { body: payload } : {}),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
  if (!res.ok) {
    const e = json?.error;
    throw new ApiError(res.status, e?.code ?? 'HTTP', e?.message ?? res.statusText, e?.details ?? null);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => request<T>('GET', path),
  post: <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', path, body),
  /** PUT a whole document; `ifMatch` is the version it was made from (409 CONFLICT when stale). */
  put: <T>(path: string, body: unknown, ifMatch?: string): Promise<T> =>
    request<T>('PUT', path, body, undefined, ifMatch ? { 'if-match': `"${ifMatch}"` } : {}),
  /** POST a file as the raw body (CSV import: the box detects UTF-8 or GBK itself). */
  upload: <T>(path: string, data: Blob, type: string, method: 'POST' | 'PUT' = 'POST'): Promise<T> =>
    request<T>(method, path, undefined, { data, type }),
  delete: <T>(path: string): Promise<T> => request<T>('DELETE', path),
};

/** The signed-in session, or null (signed out / expired). */
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await api.get<Session>('/api/v1/auth/session');
    csrf = s.csrfToken ?? null;
    return s;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  const s = await api.post<Session>('/api/v1/auth/login', { username, password });
  csrf = s.csrfToken ?? null;
  return s;
}

export async function signOut(everywhere = false): Promise<void> {
  await api.post(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout');
  csrf = null;
}
