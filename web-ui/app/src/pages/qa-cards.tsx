/**
 * 评分表 / scorecard editor (owner, qa.admin): name, pass mark, in use, and the criteria (code,
 * Chinese and English labels, weight, auto-fail). Saving a change makes a new version on the box
 * (existing scores keep the criteria they were given against); the box checks every field.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Criterion, Scorecard } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { Field, Messages, useRun } from '../ui.js';

interface Draft {
  id: string | null;
  version: number | null;
  name: string;
  passMark: string;
  active: boolean;
  criteria: Array<Omit<Criterion, 'weight'> & { weight: string }>;
}

const EMPTY: Draft = {
  id: null,
  version: null,
  name: '',
  passMark: '80',
  active: true,
  criteria: [{ key: 'greeting', labelZh: '开场问候', labelEn: 'Greeting', weight: '10', critical: false }],
};

const draftOf = (c: Scorecard): Draft => ({
  id: c.id,
  version: c.version,
  name: c.name,
  passMark: String(c.passMark),
  active: c.active,
  criteria: c.criteria.map((x) => ({ ...x, weight: String(x.weight) })),
});

export function ScorecardEditor() {
  const [cards, setCards] = useState<Scorecard[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [tick, setTick] = useState(0);
  const { error, busy, run } = useRun();
  const [savedMsg, setSavedMsg] = useState('');
  useEffect(() => {
    api.get<{ items: Scorecard[] }>('/api/v1/qa/scorecards?all=1').then(
      (r) => {
        setCards(r.items);
        setDraft((d) => d ?? (r.items[0] ? draftOf(r.items[0]) : { ...EMPTY }));
      },
      () => setCards([]),
    );
  }, [tick]);
  if (!draft) return null;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setCriterion = (i: number, patch: Partial<Draft['criteria'][number]>) =>
    set({ criteria: draft.criteria.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const save = async (e: Event) => {
    e.preventDefault();
    setSavedMsg('');
    const body = {
      name: draft.name,
      passMark: Number(draft.passMark),
      active: draft.active,
      criteria: draft.criteria.map((c) => ({ ...c, weight: Number(c.weight) })),
    };
    const saved = await run(() =>
      draft.id
        ? api.patch<Scorecard>(`/api/v1/qa/scorecards/${encodeURIComponent(draft.id)}`, { ...body, version: draft.version })
        : api.post<Scorecard>('/api/v1/qa/scorecards', body),
    );
    if (saved) {
      setDraft(draftOf(saved));
      setSavedMsg(t('qa.cardSaved', { v: saved.version }));
      setTick((n) => n + 1);
    }
  };
  return (
    <section class="qa-card-editor" id="qa-cards">
      <p class="muted">{t('qa.cardsHint')}</p>
      <nav class="qa-tabs" aria-label={t('qa.title')}>
        {cards.map((c) => (
          <button type="button" class="secondary" key={c.id} aria-pressed={draft.id === c.id} onClick={() => setDraft(draftOf(c))}>
            {c.name} · {t('qa.version', { v: c.version })}
          </button>
        ))}
        <button type="button" class="secondary" id="qa-new-card" aria-pressed={draft.id === null} onClick={() => setDraft({ ...EMPTY })}>
          {t('qa.newCard')}
        </button>
      </nav>
      <form class="card" onSubmit={save}>
        <Field id="qa-card-name" label={t('qa.name')}>
          <input
            id="qa-card-name"
            required
            maxLength={64}
            value={draft.name}
            onInput={(e) => set({ name: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <Field id="qa-card-pass" label={t('qa.passMark')}>
          <input
            id="qa-card-pass"
            type="number"
            min={0}
            max={100}
            required
            value={draft.passMark}
            onInput={(e) => set({ passMark: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <label class="check">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: (e.target as HTMLInputElement).checked })} />{' '}
          {t('qa.active')}
        </label>
        <ul>
          {draft.criteria.map((c, i) => (
            <li key={i}>
              <Field id={`qa-c-key-${i}`} label={t('qa.key')}>
                <input
                  id={`qa-c-key-${i}`}
                  required
                  maxLength={32}
                  value={c.key}
                  onInput={(e) => setCriterion(i, { key: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field id={`qa-c-zh-${i}`} label={t('qa.labelZh')}>
                <input
                  id={`qa-c-zh-${i}`}
                  required
                  maxLength={64}
                  value={c.labelZh}
                  onInput={(e) => setCriterion(i, { labelZh: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field id={`qa-c-en-${i}`} label={t('qa.labelEn')}>
                <input
                  id={`qa-c-en-${i}`}
                  required
                  maxLength={64}
                  value={c.labelEn}
                  onInput={(e) => setCriterion(i, { labelEn: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field id={`qa-c-w-${i}`} label={t('qa.weight')}>
                <input
                  id={`qa-c-w-${i}`}
                  type="number"
                  min={1}
                  max={100}
                  required
                  value={c.weight}
                  onInput={(e) => setCriterion(i, { weight: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <label class="check">
                <input
                  type="checkbox"
                  checked={c.critical}
                  onChange={(e) => setCriterion(i, { critical: (e.target as HTMLInputElement).checked })}
                />{' '}
                {t('qa.critical')}
              </label>
              <button
                type="button"
                class="secondary"
                disabled={draft.criteria.length === 1}
                onClick={() => set({ criteria: draft.criteria.filter((_, j) => j !== i) })}
              >
                {t('qa.remove')}
              </button>
            </li>
          ))}
        </ul>
        <div class="row">
          <button
            type="button"
            class="secondary"
            id="qa-add-criterion"
            disabled={draft.criteria.length >= 20}
            onClick={() => set({ criteria: [...draft.criteria, { key: '', labelZh: '', labelEn: '', weight: '10', critical: false }] })}
          >
            {t('qa.addCriterion')}
          </button>
          <button type="submit" id="qa-save-card" disabled={busy}>
            {t('qa.saveCard')}
          </button>
        </div>
        <Messages error={error} done={savedMsg} id="qa-card-saved" />
      </form>
    </section>
  );
}
