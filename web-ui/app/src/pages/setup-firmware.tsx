/**
 * 固件 / firmware (GET /api/v1/firmware): the running version and, under the OTA launcher, the
 * current and confirmed release, an install waiting for its confirmation and the last rollback
 * (which release was refused and why); the upload of a signed bundle (POST /api/v1/firmware/upload:
 * the box checks it and installs it with its OTA job runner) and the newest update job's progress —
 * queued, the step and percent, succeeded, or failed with the reason and the release running again
 * — polled every second while it runs. Without the launcher the page says so and offers no upload.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FirmwareInfo, FirmwareJob } from '../../../../firmware/src/service/types.js';
import { ApiError, api } from '../api.js';
import { fmtDateTime, type Key, t, tOr } from '../i18n.js';
import { errText } from '../ui.js';

const running = (j: FirmwareJob | undefined) => j?.status === 'QUEUED' || j?.status === 'IN_PROGRESS';
const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));

/** The box's refusal in the page's language (its own message kept where it explains the case). */
function uploadError(err: unknown): string {
  if (!(err instanceof ApiError)) return errText(err);
  const reason = (err.details as { reason?: string } | null)?.reason ?? err.code;
  const key = `firmware.err.${err.code}`;
  const text = tOr(key, '');
  return text ? text.replace('{reason}', reason).replace('{message}', err.message) : errText(err);
}

function JobCard({ job }: { job: FirmwareJob }) {
  return (
    <div class="card setup-card" id="firmware-job" data-status={job.status} aria-live="polite">
      <h3>{t('firmware.job')}</h3>
      <p class="muted small">
        {t('firmware.jobText', {
          version: job.version ?? '—',
          source: tOr(`firmware.source.${job.source}`, job.source),
          at: fmtDateTime(job.createdAt),
        })}
      </p>
      <p>
        <span class={`badge ${job.status === 'FAILED' ? 'down' : job.status === 'SUCCEEDED' ? 'ok' : 'degraded'}`} id="firmware-job-status">
          {t(`firmware.status.${job.status}` as Key)}
        </span>
        {job.step ? ` · ${tOr(`firmware.step.${job.step}`, job.step)}` : ''}
        {running(job) ? ` · ${job.percent}%` : ''}
      </p>
      {running(job) ? <progress max={100} value={job.percent} aria-label={t('firmware.job')} /> : null}
      {job.status === 'FAILED' ? (
        <p class="error" id="firmware-job-reason">
          {t('firmware.failed', { reason: job.reason ?? job.code ?? '—' })}
          {job.rolledBackTo ? ` ${t('firmware.rolledBack', { v: job.rolledBackTo })}` : ''}
        </p>
      ) : null}
    </div>
  );
}

export function FirmwareSection() {
  const [info, setInfo] = useState<FirmwareInfo | null>(null);
  const [error, setError] = useState('');
  const [uploadErr, setUploadErr] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => api.get<FirmwareInfo>('/api/v1/firmware').then(setInfo, (e: unknown) => setError(errText(e)));
  useEffect(() => {
    void load();
  }, []);
  const job = info?.jobs[0];
  // while a job runs, its progress every second
  useEffect(() => {
    if (!running(job)) return;
    const timer = setTimeout(load, 1000);
    return () => clearTimeout(timer);
  }, [info]);
  const ota = info?.ota;
  const upload = async (f: File) => {
    setUploadErr('');
    if (!info) return;
    if (f.size > info.upload.maxBytes) return setUploadErr(t('firmware.tooLarge', { mb: mb(info.upload.maxBytes) }));
    setBusy(true);
    try {
      await api.upload('/api/v1/firmware/upload', f, 'application/octet-stream');
      await load();
    } catch (e) {
      setUploadErr(uploadError(e));
    } finally {
      setBusy(false);
    }
  };
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
                <dd id="firmware-current">
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
          <p class="muted small" id="firmware-how">
            {info.upload.available ? t('firmware.howTo') : t('firmware.noOta')}
          </p>
        </div>
      ) : null}
      {info?.upload.available ? (
        <div class="card setup-card" id="firmware-upload">
          <h3>{t('firmware.upload')}</h3>
          <label>
            {t('firmware.file', { mb: mb(info.upload.maxBytes) })}{' '}
            <input
              id="firmware-file"
              type="file"
              accept=".bundle,application/octet-stream"
              disabled={busy || running(job)}
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (f) void upload(f);
              }}
            />
          </label>
          {busy ? <p class="muted">{t('firmware.uploading')}</p> : null}
          <p class="error" role="alert" id="firmware-upload-error">
            {uploadErr}
          </p>
        </div>
      ) : null}
      {job ? <JobCard job={job} /> : null}
    </section>
  );
}
