/**
 * GET /api/v1/setup/time (setup.admin): the box's clock as the date/time setup page shows it —
 * `now` (the box's clock, ISO UTC), the shop's time zone (config shop.timezone: what every local
 * time of the box uses), the system's zone (/etc/localtime, for logs), and NTP as systemd reports it
 * (`timedatectl show`: on, synchronized; null where there is no systemd-timedated, e.g. a container).
 * The dashboard never sets the clock: docs/api/setup.md says why.
 */
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { permit } from '../middleware/permit.js';
import type { AppRouter, RouteDeps } from '../state.js';

export interface NtpState {
  enabled: boolean;
  synchronized: boolean;
}

/** `timedatectl show` output (KEY=value lines) → NTP state; null when the keys are missing. */
export function parseTimedatectl(text: string): NtpState | null {
  const kv = new Map(
    text
      .split('\n')
      .map((l) => l.trim().split('='))
      .filter((p) => p.length === 2) as [string, string][],
  );
  const ntp = kv.get('NTP');
  const sync = kv.get('NTPSynchronized');
  if (ntp === undefined || sync === undefined) return null;
  return { enabled: ntp === 'yes', synchronized: sync === 'yes' };
}

function ntpState(): Promise<NtpState | null> {
  return new Promise((resolve) => {
    execFile('timedatectl', ['show', '--property=NTP', '--property=NTPSynchronized'], { timeout: 2000 }, (err, stdout) =>
      resolve(err ? null : parseTimedatectl(String(stdout))),
    );
  });
}

function systemZone(): string | null {
  try {
    const m = /zoneinfo\/(.+)$/.exec(readlinkSync('/etc/localtime'));
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

export function setupTimeRoutes(router: AppRouter, { service }: RouteDeps): void {
  router.get('/api/v1/setup/time', bearerAuth(service), permit('setup.admin'), async (ctx) => {
    const ntp = await ntpState();
    ctx.body = {
      now: new Date().toISOString(),
      timezone: service.config.get().config.shop.timezone,
      systemTimezone: systemZone(),
      ntp,
    };
  });
}
