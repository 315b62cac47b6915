/**
 * Schedule a callback (预约回拨): for the customer of the screen pop or a customer's page (by
 * customer, by the call, or by number), at a quick choice (in an hour, today 16:00, tomorrow
 * morning — the box moves each into the calling hours) or a date and time picked on the shop's
 * clock, for myself or any agent, with a note. POST /api/v1/followups/callbacks (docs/api/
 * followups.md "Callbacks"); the box's refusal (past, outside the calling hours with the next
 * calling time, unknown customer, do-not-call) is shown beside the time. `TimeChoice` is also the
 * console's "call again at" picker. Times picked go to the box as the shop's wall time: the box
 * reads them in `shop.timezone`, whatever the browser's zone. Strings: text/callbacks.ts.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallbackDay, CallbackPreset, CallingHours } from '../../../../firmware/src/service/types.js';
import { ApiError, api } from '../api.js';
import { lang, t, tOr } from '../i18n.js';
import { errText, Field, Messages } from '../ui.js';

/** A chosen time: a quick choice (ISO) or the picker's shop wall time ("2026-11-27T16:00"). */
export type Choice = { preset: CallbackPreset } | { wall: string } | null;

/** The window event the console's 我的回拨 listens to (a callback was scheduled elsewhere on the page). */
export const CALLBACKS_CHANGED = 'callbacks-changed';

/** GET /api/v1/followups/callbacks: the agent's day (also the quick choices, time zone, calling hours). */
export function fetchDay(): Promise<CallbackDay> {
  return api.get<CallbackDay>('/api/v1/followups/callbacks');
}

/** The body's `at`/`callbackAt` of a choice: the preset's ISO time or the shop wall time, which the box reads in its zone (null: none chosen). */
export function choiceAt(c: Choice): string | null {
  if (!c) return null;
  return 'preset' in c ? c.preset.at : c.wall || null;
}

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** "09:00-21:00" when every day is the same, else per day ("周一 09:00-12:00; …"). */
function hoursText(h: CallingHours): string {
  const first = h.mon.join(', ');
  if (WEEK.every((d) => h[d].join(', ') === first)) return first;
  // 2024-01-01 was a Monday
  const name = (i: number) => new Intl.DateTimeFormat(lang(), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i));
  return WEEK.map((d, i) => `${name(i)} ${h[d].join(', ') || '—'}`).join('; ');
}

/** The box's refusal as text in the page's language; `nextWall` when the box names the next calling time. */
export function refusal(err: unknown): { text: string; nextWall: string | null } {
  if (!(err instanceof ApiError)) return { text: errText(err), nextWall: null };
  const d = (err.details ?? {}) as { reason?: string; nextLocal?: string | null };
  const text = d.reason ? tOr(`cb.err.${d.reason}`, errText(err)) : errText(err);
  if (d.nextLocal) return { text: `${text} ${t('cb.err.next', { time: d.nextLocal })}`, nextWall: d.nextLocal.replace(' ', 'T') };
  return { text, nextWall: null };
}

/** Quick choices and the date/time picker (shop clock); the refusal of the time shown under them. */
export function TimeChoice({
  id,
  day,
  choice,
  onChoice,
  error,
}: {
  id: string;
  day: CallbackDay | null;
  choice: Choice;
  onChoice: (c: Choice) => void;
  error: { text: string; nextWall: string | null } | null;
}) {
  const picked = choice && 'wall' in choice ? choice.wall : '';
  return (
    <fieldset class="cb-when">
      <legend>{t('cb.when')}</legend>
      <div class="row cb-presets">
        {(day?.presets ?? []).map((p) => {
          const on = choice !== null && 'preset' in choice && choice.preset.key === p.key;
          return (
            <button
              type="button"
              key={p.key}
              id={`${id}-${p.key}`}
              class={on ? '' : 'secondary'}
              aria-pressed={on}
              onClick={() => onChoice({ preset: p })}
            >
              {t(`cb.${p.key}`)} · {p.local}
            </button>
          );
        })}
      </div>
      <Field id={`${id}-at`} label={t('cb.pick', { tz: day?.timezone ?? '' })}>
        <input
          id={`${id}-at`}
          type="datetime-local"
          value={picked}
          aria-describedby={`${id}-at-error`}
          onInput={(e) => onChoice({ wall: e.currentTarget.value })}
        />
      </Field>
      {day ? <p class="muted hint">{t('cb.hours', { hours: hoursText(day.callingHours) })}</p> : null}
      <p class="error" role="alert" id={`${id}-at-error`}>
        {error?.text ?? ''}
        {error?.nextWall ? (
          <>
            {' '}
            <button type="button" class="secondary" id={`${id}-use-next`} onClick={() => onChoice({ wall: error.nextWall as string })}>
              {t('cb.err.useNext', { time: error.nextWall.replace('T', ' ') })}
            </button>
          </>
        ) : null}
      </p>
    </fieldset>
  );
}

interface Props {
  /** Who to call: a customer, the call of the screen pop (its caller), or a number. */
  customerId?: string | null;
  callId?: string | null;
  phone?: string | null;
  /** Shown in the done message (masked as the page shows it). */
  shownPhone: string | null;
  /** The user has an agent: "for me" is possible. */
  agentLinked: boolean;
  id?: string;
}

export function ScheduleCallback({ customerId, callId, phone, shownPhone, agentLinked, id = 'cb' }: Props) {
  const [day, setDay] = useState<CallbackDay | null>(null);
  const [choice, setChoice] = useState<Choice>(null);
  const [forWhom, setFor] = useState<'me' | 'team'>(agentLinked ? 'me' : 'team');
  const [note, setNote] = useState('');
  const [timeError, setTimeError] = useState<{ text: string; nextWall: string | null } | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  useEffect(() => {
    fetchDay().then(setDay, (e: unknown) => setError(errText(e)));
  }, []);
  const who = customerId ? { customerId } : callId ? { callId } : phone ? { phone } : null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    setTimeError(null);
    const at = choiceAt(choice);
    if (!at) {
      setTimeError({ text: t('cb.chooseTime'), nextWall: null });
      return;
    }
    try {
      const item = await api.post<{ nextAt: string }>('/api/v1/followups/callbacks', {
        ...who,
        at,
        for: forWhom,
        ...(note ? { note } : {}),
      });
      const shown = choice && 'preset' in choice ? choice.preset.local : at.replace('T', ' ');
      setDone(t('cb.saved', { time: shown, phone: shownPhone ?? '—' }));
      setNote('');
      setChoice(null);
      window.dispatchEvent(new CustomEvent(CALLBACKS_CHANGED, { detail: item }));
      fetchDay().then(setDay, () => undefined);
    } catch (err) {
      const field = err instanceof ApiError ? (err.details as { field?: string } | null)?.field : undefined;
      if (field === 'at') setTimeError(refusal(err));
      else setError(refusal(err).text);
    }
  };
  if (!who) return null;
  return (
    <form class="stack schedule-callback" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('cb.title')}</h3>
      <TimeChoice id={id} day={day} choice={choice} onChoice={setChoice} error={timeError} />
      <fieldset class="row">
        <legend>{t('cb.forWhom')}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-for`}
            id={`${id}-me`}
            checked={forWhom === 'me'}
            disabled={!agentLinked}
            onChange={() => setFor('me')}
          />{' '}
          {t('cb.forMe')}
        </label>
        <label>
          <input type="radio" name={`${id}-for`} id={`${id}-team`} checked={forWhom === 'team'} onChange={() => setFor('team')} />{' '}
          {t('cb.forTeam')}
        </label>
      </fieldset>
      <Field id={`${id}-note`} label={t('cb.note')}>
        <input id={`${id}-note`} maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </Field>
      <Messages error={error} done={done} id={`${id}-done`} />
      <button type="submit" class="secondary" id={`${id}-save`}>
        {t('cb.save')}
      </button>
    </form>
  );
}
