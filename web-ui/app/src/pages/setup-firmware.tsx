/**
 * 固件 / firmware (GET /api/v1/firmware): the running version and, under the OTA launcher, the
 * current and confirmed release, an install waiting for its confirmation and the last rollback
 * (which release was refused and why). Updates are signed bundles installed by a cloud job or
 * `callbox ota install` (docs/ota.md); an upload from this page is not offered yet.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FirmwareInfo } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';
import { errText } from '../ui.js';

export function FirmwareSection() {
  const [info, setInfo] = useState<FirmwareInfo | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.get<FirmwareInfo>('/api/v1/firmware').then(setInfo, (e: unknown) => setError(errText(e)));
  }, []);
  const ota = info?.ota;
  return (
    <section aria-labelledby="h-firmware" class="setup-section">
      <h2 id="h-firmware">{t('firmware.title')}</h2>
      <p class="error" role="alert">
        {error}
      </p>
      {info ? (
        <div class="card setup-card" id="firmware-info">
          <dl class="facts">
            <dt>{t('firmware.version')}</dt>
            <dd id="firmware-version">{info.version}</dd>
            {ota ? (
              <>
                <dt>{t('firmware.current')}</dt>
                <dd>
                  {ota.current ?? t('noData')} {ota.confirmed === ota.current ? `· ${t('firmware.confirmed')}` : ''}
                </dd>
                <dt>{t('firmware.pending')}</dt>
                <dd>
                  {ota.pending ? t('firmware.pendingText', { v: ota.pending.version, at: fmtDateTime(ota.pending.startedAt) }) : t('none')}
                </dd>
                <dt>{t('firmware.rollback')}</dt>
                <dd id="firmware-rollback">
                  {ota.lastRollback
                    ? t('firmware.rollbackText', {
                        from: ota.lastRollback.from,
                        to: ota.lastRollback.to,
                        at: fmtDateTime(ota.lastRollback.at),
                        reason: ota.lastRollback.reason,
                      })
                    : t('none')}
                </dd>
              </>
            ) : null}
          </dl>
          <p class="muted small">{ota ? t('firmware.howTo') : t('firmware.noOta')}</p>
        </div>
      ) : null}
    </section>
  );
}
