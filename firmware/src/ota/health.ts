/**
 * Is the new release healthy? GET `/healthz` of the restarted box and judge the body: the service
 * answers, it is the new version, its self-check passed (status ok: every essential module up,
 * the database opened), lines were found, and the cloud is connected if it was before the update.
 */
export interface HealthVerdict {
  ok: boolean;
  /** Why not (shown in the FAILED job update). */
  reason: string;
}

export interface HealthBody {
  status?: unknown;
  version?: unknown;
  channels?: unknown;
  cloud?: { connected?: unknown } | undefined;
}

export function judgeHealth(body: HealthBody, expect: { version: string; cloudWasConnected?: boolean }): HealthVerdict {
  if (body.version !== expect.version) return { ok: false, reason: `running version is ${String(body.version)}, not ${expect.version}` };
  if (body.status !== 'ok') return { ok: false, reason: `self-check status is ${String(body.status)}` };
  if (!Array.isArray(body.channels) || body.channels.length === 0) return { ok: false, reason: 'no lines found' };
  if (expect.cloudWasConnected && body.cloud?.connected !== true) return { ok: false, reason: 'cloud not reachable (it was before)' };
  return { ok: true, reason: 'healthy' };
}

/** One probe of `${baseUrl}/healthz` (loopback). Never throws: a refused connection is a verdict. */
export async function probeHealth(
  baseUrl: string,
  expect: { version: string; cloudWasConnected?: boolean },
  timeoutMs = 2000,
): Promise<HealthVerdict> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return { ok: false, reason: `/healthz answered HTTP ${res.status}` };
    return judgeHealth((await res.json()) as HealthBody, expect);
  } catch (err) {
    return { ok: false, reason: `/healthz unreachable (${(err as Error).message})` };
  }
}
