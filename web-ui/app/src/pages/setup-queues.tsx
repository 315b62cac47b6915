/**
 * 队列 / queues: per queue its name, strategy, members (agents), required skills, ring timeout,
 * longest wait, wrap-up, announcements, the survey, and the overflow rules tried in order after the
 * longest wait (another queue, the owner's mobile, voicemail, a callback); add and remove queues.
 */
import { useState } from 'preact/hooks';
import type { Config } from '../../../../firmware/src/service/types.js';
import { type Key, t } from '../i18n.js';
import { CheckField, FieldError, NumberField, type SectionProps, SelectField, TextField } from './setup-form.js';

type Queue = Config['queues'][number];
type Rule = NonNullable<Queue['overflow']>[number];

const STRATEGIES = ['longestIdle', 'ringAll', 'roundRobin', 'fewestCalls', 'leastTalkTime', 'linear', 'random', 'skillsWeighted'] as const;

/** "zh, returns" → ["zh", "returns"] (absent when empty). */
export function parseList(text: string): string[] | undefined {
  const xs = text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return xs.length ? xs : undefined;
}

function OverflowRules({ cfg, qi, update }: SectionProps & { qi: number }) {
  const q = cfg.queues[qi] as Queue;
  const base = `/queues/${qi}/overflow`;
  const rules = q.overflow ?? [];
  const set = (fn: (rules: Rule[]) => void) =>
    update((c) => {
      const qq = c.queues[qi] as Queue;
      const list = [...(qq.overflow ?? [])];
      fn(list);
      if (list.length) qq.overflow = list;
      else delete qq.overflow;
    });
  const fresh = (kind: string): Rule =>
    kind === 'queue'
      ? { action: 'queue', queue: cfg.queues.find((x) => x.id !== q.id)?.id ?? '' }
      : kind === 'mobile'
        ? { action: 'mobile', number: '' }
        : kind === 'callback'
          ? { action: 'callback' }
          : { action: 'voicemail', ...(cfg.voicemail?.boxes[0] ? { box: cfg.voicemail.boxes[0].id } : {}) };
  const kinds = (['queue', 'mobile', 'voicemail', 'callback'] as const).map((k) => [k, t(`setup.overflow.${k}` as Key)] as const);
  return (
    <div class="overflow">
      <h3>{t('setup.queue.overflow')}</h3>
      <FieldError path={base} />
      <ol class="setup-list">
        {rules.map((r, ri) => (
          <li key={ri} class="row">
            <SelectField
              id={`q${qi}-of${ri}`}
              label="setup.overflow.rule"
              path={`${base}/${ri}`}
              value={r.action}
              options={kinds}
              onChange={(k) => set((l) => (l[ri] = fresh(k)))}
            />
            {r.action === 'queue' ? (
              <SelectField
                id={`q${qi}-of${ri}-queue`}
                label="setup.overflow.toQueue"
                path={`${base}/${ri}/queue`}
                value={r.queue}
                options={cfg.queues.map((x) => [x.id, `${x.name} (${x.id})`] as const)}
                onChange={(v) => set((l) => (l[ri] = { action: 'queue', queue: v }))}
              />
            ) : r.action === 'mobile' ? (
              <TextField
                id={`q${qi}-of${ri}-number`}
                label="setup.overflow.number"
                path={`${base}/${ri}/number`}
                value={r.number}
                type="tel"
                onInput={(v) => set((l) => (l[ri] = { ...r, number: v.trim() }))}
              />
            ) : r.action === 'voicemail' ? (
              <SelectField
                id={`q${qi}-of${ri}-box`}
                label="setup.overflow.box"
                path={`${base}/${ri}/box`}
                value={r.box ?? ''}
                options={(cfg.voicemail?.boxes ?? []).map((b) => [b.id, b.name] as const)}
                onChange={(v) => set((l) => (l[ri] = { action: 'voicemail', box: v }))}
              />
            ) : null}
            <button type="button" class="link" onClick={() => set((l) => l.splice(ri, 1))}>
              {t('setup.remove')}
            </button>
          </li>
        ))}
      </ol>
      {rules.length < 4 ? (
        <button type="button" class="secondary" onClick={() => set((l) => l.push(fresh(cfg.queues.length > 1 ? 'queue' : 'mobile')))}>
          {t('setup.overflow.add')}
        </button>
      ) : null}
    </div>
  );
}

function QueueCard({ cfg, qi, update }: SectionProps & { qi: number }) {
  const q = cfg.queues[qi] as Queue;
  const base = `/queues/${qi}`;
  const set = (fn: (q: Queue) => void) => update((c) => fn(c.queues[qi] as Queue));
  const p = `q${qi}`;
  return (
    <fieldset class="card setup-card" data-queue={q.id}>
      <legend>{t('setup.queue.card', { name: q.name, id: q.id })}</legend>
      <div class="setup-grid">
        <TextField id={`${p}-id`} label="setup.id" path={`${base}/id`} value={q.id} onInput={(v) => set((x) => (x.id = v.trim()))} />
        <TextField id={`${p}-name`} label="setup.name" path={`${base}/name`} value={q.name} onInput={(v) => set((x) => (x.name = v))} />
        <SelectField
          id={`${p}-strategy`}
          label="setup.queue.strategy"
          path={`${base}/strategy`}
          value={q.strategy}
          options={STRATEGIES.map((s) => [s, t(`setup.strategy.${s}` as Key)] as const)}
          onChange={(v) => set((x) => (x.strategy = v as Queue['strategy']))}
        />
        <NumberField
          id={`${p}-ring`}
          label="setup.queue.ringTimeoutS"
          path={`${base}/ringTimeoutS`}
          value={q.ringTimeoutS}
          min={5}
          max={120}
          onInput={(v) => set((x) => (x.ringTimeoutS = v))}
        />
        <NumberField
          id={`${p}-wait`}
          label="setup.queue.maxWaitS"
          path={`${base}/maxWaitS`}
          value={q.maxWaitS}
          min={10}
          max={3600}
          onInput={(v) => set((x) => (x.maxWaitS = v))}
        />
        <NumberField
          id={`${p}-wrap`}
          label="setup.queue.wrapUpS"
          path={`${base}/wrapUpS`}
          value={q.wrapUpS}
          min={0}
          max={600}
          onInput={(v) => set((x) => (x.wrapUpS = v))}
        />
        <NumberField
          id={`${p}-announce`}
          label="setup.queue.announceEveryS"
          path={`${base}/announceEveryS`}
          value={q.announceEveryS ?? 0}
          min={0}
          max={600}
          onInput={(v) => set((x) => (x.announceEveryS = v))}
        />
        <TextField
          id={`${p}-skills`}
          label="setup.queue.skills"
          path={`${base}/skills`}
          value={(q.skills ?? []).join(', ')}
          placeholder="zh, returns"
          onInput={(v) =>
            set((x) => {
              const list = parseList(v);
              if (list) x.skills = list;
              else delete x.skills;
            })
          }
        />
      </div>
      <fieldset class="members">
        <legend>{t('setup.queue.members')}</legend>
        <FieldError path={`${base}/members`} />
        {cfg.agents.map((a) => (
          <CheckField
            key={a.id}
            id={`${p}-member-${a.id}`}
            label="setup.queue.members"
            text={`${a.name} (${a.id})`}
            path={`${base}/members/${q.members.indexOf(a.id)}`}
            checked={q.members.includes(a.id)}
            onChange={(on) => set((x) => (x.members = on ? [...x.members, a.id] : x.members.filter((m) => m !== a.id)))}
          />
        ))}
      </fieldset>
      <CheckField
        id={`${p}-survey`}
        label="setup.queue.survey"
        path={`${base}/survey`}
        checked={q.survey === true}
        onChange={(on) => set((x) => (x.survey = on))}
      />
      <OverflowRules cfg={cfg} qi={qi} update={update} />
      <button type="button" class="link danger" onClick={() => update((c) => c.queues.splice(qi, 1))}>
        {t('setup.queue.remove', { id: q.id })}
      </button>
    </fieldset>
  );
}

export function QueuesSection({ cfg, update }: SectionProps) {
  const [count, setCount] = useState(cfg.queues.length + 1);
  const add = () => {
    let n = count;
    while (cfg.queues.some((q) => q.id === `q${n}`)) n++;
    setCount(n + 1);
    update((c) =>
      c.queues.push({
        id: `q${n}`,
        name: t('setup.queue.newName', { n }),
        strategy: 'longestIdle',
        members: [],
        ringTimeoutS: 20,
        maxWaitS: 300,
        wrapUpS: 5,
      }),
    );
  };
  return (
    <section aria-labelledby="h-queues" class="setup-section">
      <h2 id="h-queues">{t('setup.queues.title')}</h2>
      <p class="muted">{t('setup.queues.hint')}</p>
      {cfg.queues.map((_q, qi) => (
        <QueueCard key={qi} cfg={cfg} qi={qi} update={update} />
      ))}
      <button type="button" onClick={add}>
        {t('setup.queues.add')}
      </button>
    </section>
  );
}
