/**
 * 云端同步 / MQTT cloud settings (config `cloud`): on/off, broker URL, device id (the topic prefix
 * cb/v1/<id>/ and client id), user name, password (write-only: the box sends it back as
 * "********", which keeps the one in use; typing replaces it), the CA file on the box for mqtts://
 * and the protocol version; and the connection's status from GET /healthz (connected, outbox depth,
 * last sync, last error), refreshed every 5 s. Cloud settings apply after a restart (the save says so).
 */
import { useState } from 'preact/hooks';
import type { CloudStatusSnapshot, Config } from '../../../../firmware/src/service/types.js';
import { fmtDateTime, fmtInt, t } from '../i18n.js';
import { setOptional } from './config-values.js';
import { CheckField, FieldError, type SectionProps, SelectField, TextField, usePolled } from './setup-form.js';

type Cloud = NonNullable<Config['cloud']>;
const REDACTED = '********';

function CloudStatus() {
  const health = usePolled<{ cloud?: CloudStatusSnapshot }>('/healthz', 5000);
  if (health === null) return null;
  const s = health.cloud ?? null;
  return (
    <div class="card setup-card" id="cloud-status">
      <h3>{t('cloud.status')}</h3>
      {s === null ? (
        <p class="muted">{t('cloud.off')}</p>
      ) : (
        <dl class="facts">
          <dt>{t('cloud.connection')}</dt>
          <dd>
            <span class={`badge ${s.connected ? 'idle' : 'error'}`} data-connected={String(s.connected)}>
              {s.connected ? t('cloud.connected') : t('cloud.disconnected')}
            </span>
          </dd>
          <dt>{t('cloud.outbox')}</dt>
          <dd id="cloud-outbox">
            {fmtInt(s.outboxDepth)}
            {s.outboxAlarm ? ` · ${t('cloud.outboxAlarm')}` : ''}
          </dd>
          <dt>{t('cloud.lastSync')}</dt>
          <dd>{s.lastSyncAt ? fmtDateTime(s.lastSyncAt) : t('noData')}</dd>
          <dt>{t('cloud.lastConnected')}</dt>
          <dd>{s.lastConnectedAt ? fmtDateTime(s.lastConnectedAt) : t('noData')}</dd>
          {s.lastError ? (
            <>
              <dt>{t('cloud.lastError')}</dt>
              <dd class="error">{s.lastError}</dd>
            </>
          ) : null}
        </dl>
      )}
    </div>
  );
}

export function CloudSection({ cfg, update }: SectionProps) {
  const cloud = cfg.cloud;
  // the box had a password (sent back as ********): an emptied field keeps it
  const [hadSecret] = useState(cloud?.password === REDACTED);
  const set = (fn: (c: Cloud) => void) =>
    update((c) => {
      c.cloud ??= { enabled: false, url: 'mqtts://', deviceId: '' };
      fn(c.cloud);
    });
  return (
    <section aria-labelledby="h-cloud" class="setup-section">
      <h2 id="h-cloud">{t('cloud.title')}</h2>
      <p class="muted">{t('cloud.hint')}</p>
      <CloudStatus />
      <fieldset class="card setup-card">
        <legend>{t('cloud.settings')}</legend>
        <FieldError path="/cloud" />
        <CheckField
          id="cloud-enabled"
          label="cloud.enabled"
          path="/cloud/enabled"
          checked={cloud?.enabled === true}
          onChange={(on) => set((c) => (c.enabled = on))}
        />
        {cloud ? (
          <div class="setup-grid">
            <TextField
              id="cloud-url"
              label="cloud.url"
              path="/cloud/url"
              value={cloud.url}
              placeholder="mqtts://mqtt.example.cn:8883"
              onInput={(v) => set((c) => (c.url = v.trim()))}
            />
            <TextField
              id="cloud-device"
              label="cloud.deviceId"
              path="/cloud/deviceId"
              value={cloud.deviceId}
              onInput={(v) => set((c) => (c.deviceId = v.trim()))}
            />
            <TextField
              id="cloud-user"
              label="cloud.username"
              path="/cloud/username"
              value={cloud.username ?? ''}
              onInput={(v) => set((c) => setOptional(c, 'username', v))}
            />
            <div class="field">
              <label for="cloud-password">{t('cloud.password')}</label>
              <input
                id="cloud-password"
                type="password"
                autocomplete="new-password"
                data-path="/cloud/password"
                value={cloud.password === REDACTED ? '' : (cloud.password ?? '')}
                placeholder={cloud.password === REDACTED ? t('cloud.passwordKept') : ''}
                onInput={(e) =>
                  set((c) => {
                    const v = e.currentTarget.value;
                    if (v !== '') c.password = v;
                    else if (hadSecret) c.password = REDACTED;
                    else delete c.password;
                  })
                }
              />
              <FieldError path="/cloud/password" />
            </div>
            <TextField
              id="cloud-ca"
              label="cloud.caFile"
              path="/cloud/caFile"
              value={cloud.caFile ?? ''}
              placeholder="/etc/callbox/cloud-ca.pem"
              onInput={(v) => set((c) => setOptional(c, 'caFile', v))}
            />
            <SelectField
              id="cloud-protocol"
              label="cloud.protocol"
              path="/cloud/protocolVersion"
              value={String(cloud.protocolVersion ?? 5)}
              options={[
                ['5', 'MQTT 5'],
                ['4', 'MQTT 3.1.1'],
              ]}
              onChange={(v) => set((c) => (c.protocolVersion = v === '4' ? 4 : 5))}
            />
          </div>
        ) : null}
        <p class="muted small">{t('cloud.restart')}</p>
      </fieldset>
    </section>
  );
}
