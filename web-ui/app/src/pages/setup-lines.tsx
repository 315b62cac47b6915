/**
 * 线路与通道 / lines and channels: every channel the hardware has (GET /api/v1/setup/hardware,
 * refreshed every 3 s for the live state) — a shop line (FXO, GSM) is answered when it is on
 * (启用: it has an entry in `lines`), with its label, the menu it rings into and after how many
 * rings; FXS extensions are shown with the agent on them (agents are set in 坐席与技能). The
 * country profile (shop.country: ring cadence, caller ID and tones of CN / US / EU) is the box's.
 * SIP phones, the outside-line prefix and DIDs: setup-sip.tsx, at the end of this section.
 */
import type { ChannelStatus } from '../../../../firmware/src/service/types.js';

type ChannelState = ChannelStatus['state'];
import { type Key, t, tOr } from '../i18n.js';
import { CheckField, FieldError, NumberField, type SectionProps, SelectField, TextField, usePolled } from './setup-form.js';
import { SipSection } from './setup-sip.js';

interface Hardware {
  lines: { channel: string; kind: string; state: ChannelState; inUse: boolean }[];
  extensions: { channel: string; state: ChannelState }[];
}

const COUNTRIES = ['CN', 'US', 'EU'] as const;

const stateText = (s: string) => tOr(`lines.state.${s}`, s);

export function LinesSection({ cfg, update }: SectionProps) {
  const hw = usePolled<Hardware>('/api/v1/setup/hardware', 3000);
  const menus = Object.keys(cfg.ivr.menus).map((m) => [m, m] as const);
  // channels of the hardware, and any configured line whose channel the hardware lacks (shown so it can be removed)
  const channels = [
    ...(hw?.lines ?? []),
    ...cfg.lines
      .filter((l) => !hw?.lines.some((h) => h.channel === l.channel))
      .map((l) => ({ channel: l.channel, kind: '?', state: 'error' as ChannelState, inUse: true })),
  ];
  const toggle = (channel: string, kind: string, on: boolean) =>
    update((c) => {
      if (!on) c.lines = c.lines.filter((l) => l.channel !== channel);
      else if (!c.lines.some((l) => l.channel === channel)) {
        const n = c.lines.length + 1;
        const name = kind === 'gsm' ? t('lines.defaultGsm', { n }) : t('lines.defaultName', { n });
        c.lines.push({ channel, name, ivr: Object.keys(c.ivr.menus)[0] ?? 'main', answerAfterRings: kind === 'gsm' ? 1 : 2 });
      }
    });
  return (
    <section aria-labelledby="h-lines" class="setup-section">
      <h2 id="h-lines">{t('lines.title')}</h2>
      <p class="muted">{t('lines.hint')}</p>
      <div class="card setup-card">
        <SelectField
          id="shop-country"
          label="lines.country"
          path="/shop/country"
          value={cfg.shop.country}
          options={COUNTRIES.map((c) => [c, t(`lines.country.${c}` as Key)] as const)}
          onChange={(v) => update((c) => (c.shop.country = v as (typeof COUNTRIES)[number]))}
        />
      </div>
      <FieldError path="/lines" />
      {hw === null ? <p class="muted">{t('setup.loading')}</p> : null}
      {channels.map((ch) => {
        const li = cfg.lines.findIndex((l) => l.channel === ch.channel);
        const line = cfg.lines[li];
        const base = `/lines/${li}`;
        const set = (fn: (l: NonNullable<typeof line>) => void) => update((c) => fn(c.lines[li] as NonNullable<typeof line>));
        return (
          <fieldset class="card setup-card" key={ch.channel} data-line={ch.channel}>
            <legend>
              {ch.channel} · {tOr(`lines.kind.${ch.kind}`, ch.kind)} ·{' '}
              <span class={`badge ${ch.state}`} data-state={ch.state}>
                {stateText(ch.state)}
              </span>
            </legend>
            <CheckField
              id={`line-${ch.channel}-on`}
              label="lines.enabled"
              path={base}
              checked={line !== undefined}
              onChange={(on) => toggle(ch.channel, ch.kind, on)}
            />
            {line ? (
              <div class="setup-grid">
                <TextField
                  id={`line-${ch.channel}-name`}
                  label="lines.name"
                  path={`${base}/name`}
                  value={line.name}
                  onInput={(v) => set((l) => (l.name = v))}
                />
                <SelectField
                  id={`line-${ch.channel}-ivr`}
                  label="lines.menu"
                  path={`${base}/ivr`}
                  value={line.ivr}
                  options={menus}
                  onChange={(v) => set((l) => (l.ivr = v))}
                />
                <NumberField
                  id={`line-${ch.channel}-rings`}
                  label="lines.rings"
                  path={`${base}/answerAfterRings`}
                  value={line.answerAfterRings}
                  min={1}
                  max={10}
                  onInput={(v) => set((l) => (l.answerAfterRings = v))}
                />
              </div>
            ) : (
              <p class="muted">{t('lines.off')}</p>
            )}
          </fieldset>
        );
      })}
      {hw && hw.extensions.length > 0 ? (
        <div class="card setup-card" id="lines-extensions">
          <h3>{t('lines.extensions')}</h3>
          <ul>
            {hw.extensions.map((x) => {
              const agent = cfg.agents.find((a) => a.extension === x.channel);
              return (
                <li key={x.channel} data-extension={x.channel}>
                  {x.channel} · <span class={`badge ${x.state}`}>{stateText(x.state)}</span> ·{' '}
                  {agent ? `${agent.name} (${agent.id})` : t('lines.noAgent')}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      <SipSection cfg={cfg} update={update} />
    </section>
  );
}
