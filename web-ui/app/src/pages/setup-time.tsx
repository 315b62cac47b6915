/**
 * 日期与时间 / date and time: the shop's time zone (config shop.timezone — business hours, today's
 * counters, ticket numbers and reports follow it), the box's clock now in that zone (GET
 * /api/v1/setup/time, ticking), the system zone, and NTP as systemd reports it. The clock itself
 * is not set here: the box keeps it by NTP (or the board's RTC); see docs/api/setup.md.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { lang, t } from '../i18n.js';
import { type SectionProps, SelectField } from './setup-form.js';

interface BoxTime {
  now: string;
  timezone: string;
  systemTimezone: string | null;
  ntp: { enabled: boolean; synchronized: boolean } | null;
}

const COMMON = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];

function zones(current: string): string[] {
  const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([current, ...COMMON, ...all])];
}

/** The box's clock in `zone`, ticking each second (`skew`: the box's clock minus the browser's, ms). */
function BoxClock({ zone, skew }: { zone: string; skew: number }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  try {
    return (
      <>
        {new Intl.DateTimeFormat(lang(), { dateStyle: 'full', timeStyle: 'medium', timeZone: zone, hourCycle: 'h23' }).format(
          new Date(Date.now() + skew),
        )}
      </>
    );
  } catch {
    return <>{t('time.badZone')}</>;
  }
}

export function TimeSection({ cfg, update }: SectionProps) {
  const [box, setBox] = useState<BoxTime | null>(null);
  const [skew, setSkew] = useState(0);
  useEffect(() => {
    api.get<BoxTime>('/api/v1/setup/time').then(
      (b) => {
        setBox(b);
        setSkew(Date.parse(b.now) - Date.now());
      },
      () => undefined,
    );
  }, []);
  const zone = cfg.shop.timezone;
  // every zone the browser knows (about 400): built when the zone changes, not with each render
  const options = useMemo(() => zones(zone).map((z) => [z, z] as const), [zone]);
  const ntp = box?.ntp;
  return (
    <section aria-labelledby="h-time" class="setup-section">
      <h2 id="h-time">{t('time.title')}</h2>
      <div class="card setup-card">
        <SelectField
          id="time-zone"
          label="time.zone"
          path="/shop/timezone"
          value={zone}
          options={options}
          onChange={(v) => update((c) => (c.shop.timezone = v))}
        />
        <dl class="facts">
          <dt>{t('time.now')}</dt>
          <dd id="time-now">{box ? <BoxClock zone={zone} skew={skew} /> : t('setup.loading')}</dd>
          <dt>{t('time.system')}</dt>
          <dd>{box?.systemTimezone ?? t('noData')}</dd>
          <dt>{t('time.ntp')}</dt>
          <dd id="time-ntp">
            {ntp
              ? `${ntp.enabled ? t('time.ntpOn') : t('time.ntpOff')} · ${ntp.synchronized ? t('time.synced') : t('time.notSynced')}`
              : t('time.ntpUnknown')}
          </dd>
        </dl>
        <p class="muted small">{t('time.manual')}</p>
      </div>
    </section>
  );
}
