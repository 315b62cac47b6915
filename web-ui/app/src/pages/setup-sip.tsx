/**
 * SIP 分机 / SIP phones, part of 线路与通道 (config `sip`, docs/sip.md): the box's SIP address, port
 * and realm to type into a desk phone (GET /api/v1/setup/sip, every 3 s with each phone's
 * registration); the SIP extensions (user + password: a generated one is shown until saved, then
 * only "set" — the box never sends a password back, it answers "********", which keeps the one in
 * use); the outside-line prefix; the called numbers (DID) with their own IVR menu. Saved with the
 * page like every section; the SIP service reads `sip` at start, so changes work after a restart
 * (the save says so). Agents are put on a phone (`sip-<user>`) in 坐席与技能.
 */
import type { Config, SipSetupStatus } from '../../../../firmware/src/service/types.js';
import { fmtDateTime, t } from '../i18n.js';
import { setOptional } from './config-values.js';
import { FieldError, type SectionProps, SelectField, TextField, usePolled } from './setup-form.js';

type Sip = NonNullable<Config['sip']>;
const REDACTED = '********';
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 12 characters from the browser's CSPRNG (no look-alikes: 0/O, 1/l/I). */
export function newPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

function PhoneSettings({ s }: { s: SipSetupStatus | null }) {
  if (s === null) return null;
  return (
    <div class="card setup-card" id="sip-server">
      <h3>{t('sip.server')}</h3>
      {s.running ? (
        <dl class="facts">
          <dt>{t('sip.address')}</dt>
          <dd id="sip-address">
            {s.address}:{s.port}
          </dd>
          <dt>{t('sip.transport')}</dt>
          <dd>{s.transports.map((x) => x.toUpperCase()).join(' + ')}</dd>
          <dt>{t('sip.realm')}</dt>
          <dd>{s.realm}</dd>
        </dl>
      ) : (
        <p class="muted">{t('sip.notRunning')}</p>
      )}
      <p class="muted small">{t('sip.phoneHow')}</p>
      {s.restartRequired ? (
        <p class="error" id="sip-restart">
          {t('sip.restart')}
        </p>
      ) : null}
    </div>
  );
}

function Registration({ s, user }: { s: SipSetupStatus | null; user: string }) {
  const p = s?.phones.find((x) => x.user === user);
  if (!p) return null;
  const c = p.contacts[0];
  const state = !p.running ? 'pending' : p.registered ? 'registered' : 'unregistered';
  return (
    <p class="small" data-registration={state}>
      <span class={`badge ${p.registered ? 'ok' : p.running ? 'down' : 'degraded'}`}>{t(`sip.${state}`)}</span>
      {c ? ` ${t('sip.from', { at: `${c.address}:${c.port}`, until: fmtDateTime(c.expiresAt) })}` : ''}
    </p>
  );
}

export function SipSection({ cfg, update }: SectionProps) {
  const status = usePolled<SipSetupStatus>('/api/v1/setup/sip', 3000);
  const sip: Sip = cfg.sip ?? { extensions: [] };
  const menus = Object.keys(cfg.ivr.menus).map((m) => [m, m] as const);
  const set = (fn: (s: Sip) => void) =>
    update((c) => {
      c.sip ??= { extensions: [] };
      fn(c.sip);
    });
  const addPhone = () =>
    set((s) => {
      let n = 101;
      while (s.extensions.some((e) => e.user === String(n))) n++;
      s.extensions.push({ user: String(n), password: newPassword() });
    });
  return (
    <div id="sip-section">
      <h3>{t('sip.title')}</h3>
      <p class="muted">{t('sip.hint')}</p>
      <PhoneSettings s={status} />
      <FieldError path="/sip" />
      <FieldError path="/sip/extensions" />
      {sip.extensions.map((e, i) => {
        const base = `/sip/extensions/${i}`;
        const secret = e.password === REDACTED;
        return (
          <fieldset class="card setup-card" key={i} data-sip={e.user}>
            <legend>{t('sip.phone', { user: e.user, channel: `sip-${e.user}` })}</legend>
            <div class="setup-grid">
              <TextField
                id={`sip-${i}-user`}
                label="sip.user"
                path={`${base}/user`}
                value={e.user}
                onInput={(v) => set((s) => ((s.extensions[i] as typeof e).user = v.trim()))}
              />
              {secret ? (
                <div class="field">
                  <span class="label">{t('sip.password')}</span>
                  <span id={`sip-${i}-password`} data-masked="true">
                    {t('sip.passwordSet')}
                  </span>
                  <FieldError path={`${base}/password`} />
                </div>
              ) : (
                <TextField
                  id={`sip-${i}-password`}
                  label="sip.password"
                  path={`${base}/password`}
                  value={e.password}
                  onInput={(v) => set((s) => ((s.extensions[i] as typeof e).password = v))}
                />
              )}
            </div>
            {secret ? null : <p class="muted small">{t('sip.passwordOnce')}</p>}
            <Registration s={status} user={e.user} />
            <button
              type="button"
              id={`sip-${i}-generate`}
              onClick={() => set((s) => ((s.extensions[i] as typeof e).password = newPassword()))}
            >
              {secret ? t('sip.newPassword') : t('sip.generate')}
            </button>{' '}
            <button type="button" class="link danger" onClick={() => set((s) => s.extensions.splice(i, 1))}>
              {t('sip.remove', { user: e.user })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" id="sip-add" onClick={addPhone}>
        {t('sip.add')}
      </button>
      <div class="card setup-card">
        <TextField
          id="sip-prefix"
          label="sip.prefix"
          path="/sip/outboundPrefix"
          value={sip.outboundPrefix ?? ''}
          placeholder="9"
          onInput={(v) => set((s) => setOptional(s, 'outboundPrefix', v))}
        />
        <p class="muted small">{t('sip.prefixHint')}</p>
      </div>
      <div class="card setup-card" id="sip-dids">
        <h3>{t('sip.dids')}</h3>
        <p class="muted small">{t('sip.didsHint')}</p>
        <FieldError path="/sip/dids" />
        {(sip.dids ?? []).map((d, i) => (
          <div class="setup-grid" key={i} data-did={d.did}>
            <TextField
              id={`did-${i}-number`}
              label="sip.did"
              path={`/sip/dids/${i}/did`}
              value={d.did}
              type="tel"
              onInput={(v) => set((s) => (((s.dids ?? [])[i] as typeof d).did = v.trim()))}
            />
            <SelectField
              id={`did-${i}-ivr`}
              label="sip.didMenu"
              path={`/sip/dids/${i}/ivr`}
              value={d.ivr}
              options={menus}
              onChange={(v) => set((s) => (((s.dids ?? [])[i] as typeof d).ivr = v))}
            />
            <button type="button" class="link danger" onClick={() => set((s) => s.dids?.splice(i, 1))}>
              {t('sip.didRemove', { did: d.did })}
            </button>
          </div>
        ))}
        <button
          type="button"
          id="sip-did-add"
          onClick={() =>
            set((s) => {
              s.dids ??= [];
              s.dids.push({ did: '', ivr: Object.keys(cfg.ivr.menus)[0] ?? 'main' });
            })
          }
        >
          {t('sip.didAdd')}
        </button>
      </div>
    </div>
  );
}
