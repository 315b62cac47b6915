/**
 * 坐席与技能 / agents and skills: per agent its id, name, phone (extension: fxs1…, or sip-<user>;
 * the field suggests the sim's FXS ports and the SIP extensions of 线路与通道),
 * skills with levels ("zh:10, returns:5", 1 = can … 10 = expert), whether it logs in when the box
 * starts, and the queues it serves; add and remove agents (removing also takes it out of queues).
 */
import type { Config } from '../../../../firmware/src/service/types.js';
import { t } from '../i18n.js';
import { CheckField, FieldError, type SectionProps, TextField } from './setup-form.js';

type Agent = Config['agents'][number];

/** "zh:10, returns:5" → { zh: 10, returns: 5 }; a skill without a level is level 1; absent when empty. */
export function parseSkills(text: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const part of text.split(/[,，;；\s]+/)) {
    const [name = '', level] = part.split(/[:：=]/).map((s) => s.trim());
    if (name) out[name] = level === undefined || level === '' ? 1 : Number(level);
  }
  return Object.keys(out).length ? out : undefined;
}

export function skillsText(skills: Agent['skills']): string {
  return Object.entries(skills ?? {})
    .map(([k, v]) => `${k}:${v}`)
    .join(', ');
}

/** The phones an agent can be on: the sim's FXS ports and every SIP extension (`sip-<user>`). */
export function phoneChannels(cfg: Config): string[] {
  const fxs = cfg.hardware.driver === 'sim' ? cfg.hardware.sim.fxs : 0;
  return [...Array.from({ length: fxs }, (_, i) => `fxs${i + 1}`), ...(cfg.sip?.extensions ?? []).map((e) => `sip-${e.user}`)];
}

function AgentRow({ cfg, ai, update }: SectionProps & { ai: number }) {
  const a = cfg.agents[ai] as Agent;
  const base = `/agents/${ai}`;
  const set = (fn: (a: Agent) => void) => update((c) => fn(c.agents[ai] as Agent));
  const queues = cfg.queues.filter((q) => q.members.includes(a.id)).map((q) => q.name);
  const p = `a${ai}`;
  return (
    <fieldset class="card setup-card" data-agent={a.id}>
      <legend>{t('setup.agent.card', { name: a.name, id: a.id })}</legend>
      <div class="setup-grid">
        <TextField id={`${p}-id`} label="setup.id" path={`${base}/id`} value={a.id} onInput={(v) => set((x) => (x.id = v.trim()))} />
        <TextField id={`${p}-name`} label="setup.name" path={`${base}/name`} value={a.name} onInput={(v) => set((x) => (x.name = v))} />
        <TextField
          id={`${p}-ext`}
          label="setup.agent.extension"
          path={`${base}/extension`}
          value={a.extension}
          placeholder="fxs1"
          list="agent-phones"
          onInput={(v) => set((x) => (x.extension = v.trim()))}
        />
        <div class="field">
          <label for={`${p}-skills`}>{t('setup.agent.skills')}</label>
          <input
            id={`${p}-skills`}
            data-path={`${base}/skills`}
            value={skillsText(a.skills)}
            placeholder="zh:10, returns:5"
            aria-describedby={`${p}-skills-hint`}
            onChange={(e) =>
              set((x) => {
                const skills = parseSkills(e.currentTarget.value);
                if (skills) x.skills = skills;
                else delete x.skills;
              })
            }
          />
          <span class="muted small" id={`${p}-skills-hint`}>
            {t('setup.agent.skillsHint')}
          </span>
          <FieldError path={`${base}/skills`} />
          {Object.keys(a.skills ?? {}).map((k) => (
            <FieldError key={k} path={`${base}/skills/${k}`} />
          ))}
        </div>
      </div>
      <CheckField
        id={`${p}-login`}
        label="setup.agent.loggedInAtStart"
        path={`${base}/loggedInAtStart`}
        checked={a.loggedInAtStart !== false}
        onChange={(on) =>
          set((x) => {
            if (on) delete x.loggedInAtStart;
            else x.loggedInAtStart = false;
          })
        }
      />
      <p class="muted">{t('setup.agent.queues', { queues: queues.join('、') || t('none') })}</p>
      <button
        type="button"
        class="link danger"
        onClick={() =>
          update((c) => {
            c.agents.splice(ai, 1);
            for (const q of c.queues) q.members = q.members.filter((m) => m !== a.id);
          })
        }
      >
        {t('setup.agent.remove', { id: a.id })}
      </button>
    </fieldset>
  );
}

export function AgentsSection({ cfg, update }: SectionProps) {
  const add = () => {
    let n = cfg.agents.length + 1;
    while (cfg.agents.some((a) => a.id === `a${n}`)) n++;
    update((c) => c.agents.push({ id: `a${n}`, name: t('setup.agent.newName', { n }), extension: `fxs${n}` }));
  };
  return (
    <section aria-labelledby="h-agents" class="setup-section">
      <h2 id="h-agents">{t('setup.agents.title')}</h2>
      <p class="muted">{t('setup.agents.hint')}</p>
      <FieldError path="/agents" />
      <datalist id="agent-phones">
        {phoneChannels(cfg).map((ch) => (
          <option key={ch} value={ch} />
        ))}
      </datalist>
      {cfg.agents.map((_, ai) => (
        <AgentRow key={ai} cfg={cfg} ai={ai} update={update} />
      ))}
      <button type="button" onClick={add}>
        {t('setup.agents.add')}
      </button>
    </section>
  );
}
