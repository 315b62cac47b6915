/**
 * 备份与恢复 / backup and restore (owner: backup.admin; docs/api/backup.md): download a backup of the
 * box (database snapshot, config, own prompts) and restore one in two steps — the box first checks
 * the file and shows what it holds (time, firmware, schema, shop), then the owner ticks that the
 * current data will be replaced and confirms; the box restarts its services with the backup's data.
 */
import { useState } from 'preact/hooks';
import type { StagedRestore } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { fmtDateTime, fmtInt, t } from '../i18n.js';
import { Messages, useRun } from '../ui.js';

export function BackupSection() {
  const [staged, setStaged] = useState<StagedRestore | null>(null);
  const [sure, setSure] = useState(false);
  const [restarting, setRestarting] = useState(false);
  const { error, busy, run } = useRun();
  return (
    <section aria-labelledby="h-backup" class="setup-section">
      <h2 id="h-backup">{t('backup.title')}</h2>
      <div class="card setup-card">
        <h3>{t('backup.download')}</h3>
        <p class="muted">{t('backup.downloadHint')}</p>
        <a class="button" id="backup-download" href="/api/v1/backup" download>
          {t('backup.download')}
        </a>
      </div>
      <div class="card setup-card">
        <h3>{t('backup.restore')}</h3>
        <p class="muted">{t('backup.restoreHint')}</p>
        <label>
          {t('backup.file')}{' '}
          <input
            id="backup-file"
            type="file"
            accept=".gz,.tgz,application/gzip"
            disabled={busy || restarting}
            onChange={async (e) => {
              const f = e.currentTarget.files?.[0];
              setStaged(null);
              setSure(false);
              if (f) setStaged((await run(() => api.upload<StagedRestore>('/api/v1/backup/restore', f, 'application/gzip'))) ?? null);
            }}
          />
        </label>
        {staged ? (
          <div id="backup-staged">
            <dl class="facts">
              <dt>{t('backup.createdAt')}</dt>
              <dd>{fmtDateTime(staged.manifest.createdAt)}</dd>
              <dt>{t('backup.shop')}</dt>
              <dd>{staged.summary.shopName}</dd>
              <dt>{t('backup.firmware')}</dt>
              <dd>
                {staged.manifest.firmwareVersion} · {t('backup.schema', { n: staged.manifest.schemaVersion })}
              </dd>
              <dt>{t('backup.contents')}</dt>
              <dd>{t('backup.sizes', { kb: fmtInt(Math.round(staged.summary.databaseBytes / 1024)), prompts: staged.summary.prompts })}</dd>
            </dl>
            <p class="error">{t('backup.warning')}</p>
            <div class="field field-check">
              <input id="backup-sure" type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
              <label for="backup-sure">{t('backup.sure')}</label>
            </div>
            <button
              type="button"
              class="danger"
              id="backup-confirm"
              disabled={!sure || busy || restarting}
              onClick={async () => {
                const r = await run(() => api.post<{ restarting: boolean }>(`/api/v1/backup/restore/${staged.token}/confirm`));
                if (r) setRestarting(true);
              }}
            >
              {t('backup.confirm')}
            </button>
          </div>
        ) : null}
        <Messages error={error} done={restarting ? t('backup.restarting') : ''} id="backup-status" />
      </div>
    </section>
  );
}
