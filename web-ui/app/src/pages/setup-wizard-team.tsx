/** The wizard's lines and agents steps (设置向导: 线路, 坐席): plain controlled forms over the box's channels. */
import { t, tOr } from '../i18n.js';

export interface HardwareView {
  shopName: string;
  lines: { channel: string; kind: string; state: string; inUse: boolean }[];
  extensions: { channel: string; state: string }[];
  agents: { id: string; name: string; extension: string }[];
}

export interface AgentRow {
  name: string;
  extension: string;
}

export function LinesStep({ hw, chosen, onChange }: { hw: HardwareView; chosen: string[]; onChange: (c: string[]) => void }) {
  if (hw.lines.length === 0) return <p class="muted">{t('wizard.noLines')}</p>;
  return (
    <fieldset class="wizard-lines">
      <legend>{t('wizard.linesHint')}</legend>
      {hw.lines.map((l) => (
        <label key={l.channel} class="wizard-check">
          <input
            type="checkbox"
            id={`line-${l.channel}`}
            checked={chosen.includes(l.channel)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, l.channel] : chosen.filter((c) => c !== l.channel))}
          />
          <span>
            {tOr(`kind.${l.kind}`, l.kind)} <code>{l.channel}</code>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function AgentsStep({ hw, rows, onChange }: { hw: HardwareView; rows: AgentRow[]; onChange: (r: AgentRow[]) => void }) {
  if (hw.extensions.length === 0) return <p class="muted">{t('wizard.noExtensions')}</p>;
  const set = (i: number, patch: Partial<AgentRow>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const taken = new Set(rows.map((r) => r.extension));
  const free = hw.extensions.find((x) => !taken.has(x.channel));
  return (
    <div class="wizard-agents">
      <p class="muted">{t('wizard.agentsHint')}</p>
      <ol>
        {rows.map((r, i) => (
          <li key={i} class="wizard-agent" aria-label={t('wizard.agentRow', { n: i + 1 })}>
            <label for={`agent-name-${i}`}>{t('wizard.agentName')}</label>
            <input id={`agent-name-${i}`} required maxLength={80} value={r.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />
            <label for={`agent-ext-${i}`}>{t('wizard.agentExtension')}</label>
            <select id={`agent-ext-${i}`} value={r.extension} onChange={(e) => set(i, { extension: e.currentTarget.value })}>
              {hw.extensions.map((x) => (
                <option key={x.channel} value={x.channel} disabled={x.channel !== r.extension && taken.has(x.channel)}>
                  {x.channel}
                </option>
              ))}
            </select>
            <button type="button" class="secondary" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
              {t('wizard.removeAgent', { n: i + 1 })}
            </button>
          </li>
        ))}
      </ol>
      {free ? (
        <button type="button" class="secondary" id="add-agent" onClick={() => onChange([...rows, { name: '', extension: free.channel }])}>
          {t('wizard.addAgent')}
        </button>
      ) : null}
    </div>
  );
}
