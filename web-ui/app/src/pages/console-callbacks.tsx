/**
 * The console's 我的回拨 (my callbacks): the callbacks due today (overdue too) of the agent and of the
 * team, soonest first, on the shop's clock — the due ones highlighted. 回拨 calls one at once (POST
 * /api/v1/followups/items/:id/call: the agent's phone rings first, then the box dials the customer);
 * then the outcome: reached, no answer (the box retries after the list's delay) or the customer
 * asked to be called later (a time inside the calling hours). Refreshed every 15 s and when a
 * callback is scheduled on the page. docs/api/followups.md "Callbacks"; strings text/callbacks.ts.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallbackDay, CallbackView, FollowupOutcome } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t, tOr } from '../i18n.js';
import { errText, Messages } from '../ui.js';
import { CALLBACKS_CHANGED, type Choice, choiceAt, fetchDay, refusal, TimeChoice } from './callback-schedule.js';
import './console-callbacks.css';

/** The outcome of a follow-up call just made (a callback here, a preview-dialer offer in console-offer.tsx). */
export function Outcome({ item, day, onDone }: { item: { id: string }; day: CallbackDay; onDone: (msg: string) => void }) {
  const [note, setNote] = useState('');
  const [later, setLater] = useState(false);
  const [choice, setChoice] = useState<Choice>(null);
  const [timeError, setTimeError] = useState<{ text: string; nextWall: string | null } | null>(null);
  const [error, setError] = useState('');
  const record = async (outcome: FollowupOutcome) => {
    setError('');
    setTimeError(null);
    const callbackAt = outcome === 'callback_later' ? choiceAt(choice) : null;
    if (outcome === 'callback_later' && !callbackAt) {
      setTimeError({ text: t('cb.chooseTime'), nextWall: null });
      return;
    }
    try {
      await api.post(`/api/v1/followups/items/${encodeURIComponent(item.id)}/outcome`, {
        outcome,
        ...(note ? { note } : {}),
        ...(callbackAt ? { callbackAt } : {}),
      });
      onDone(t('cb.recorded', { result: tOr(`followupOutcome.${outcome}`, outcome) }));
    } catch (err) {
      if ((err as { details?: { field?: string } }).details?.field === 'callbackAt') setTimeError(refusal(err));
      else setError(errText(err));
    }
  };
  const id = `cbo-${item.id}`;
  return (
    <div class="stack cb-outcome">
      <label for={`${id}-note`}>{t('cb.outcomeNote')}</label>
      <input id={`${id}-note`} class="cb-outcome-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="cb-reached" onClick={() => void record('reached')}>
          {t('cb.reached')}
        </button>
        <button type="button" class="secondary cb-no-answer" onClick={() => void record('no_answer')}>
          {t('cb.noAnswer')}
        </button>
        <button type="button" class="secondary cb-later" aria-expanded={later} onClick={() => setLater(!later)}>
          {t('cb.callLater')}
        </button>
      </div>
      {later ? (
        <div class="stack">
          <TimeChoice id={`${id}-at`} day={day} choice={choice} onChoice={setChoice} error={timeError} />
          <button type="button" class="cb-later-save" onClick={() => void record('callback_later')}>
            {t('cb.laterAt')}
          </button>
        </div>
      ) : null}
      <Messages error={error} />
    </div>
  );
}

export function ConsoleCallbacks() {
  const [day, setDay] = useState<CallbackDay | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [calling, setCalling] = useState<string | null>(null);
  const refresh = () =>
    fetchDay().then(
      (d) => {
        setDay(d);
        setError('');
      },
      (e: unknown) => setError(errText(e)),
    );
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    const changed = () => void refresh();
    window.addEventListener(CALLBACKS_CHANGED, changed);
    return () => {
      clearInterval(timer);
      window.removeEventListener(CALLBACKS_CHANGED, changed);
    };
  }, []);
  const callNow = async (item: CallbackView) => {
    setError('');
    setDone('');
    try {
      await api.post(`/api/v1/followups/items/${encodeURIComponent(item.id)}/call`);
      setCalling(item.id);
      setDone(t('cb.calling'));
      await refresh();
    } catch (err) {
      setError(refusal(err).text);
    }
  };
  const items = day?.items ?? [];
  return (
    <section class="card console-callbacks" aria-labelledby="h-cb-mine">
      <h2 id="h-cb-mine">{t('cb.mine')}</h2>
      <p class="muted hint">{t('cb.mineHint')}</p>
      {day && items.length === 0 ? <p class="muted">{t('cb.none')}</p> : null}
      <ul id="my-callbacks" class="cb-list">
        {items.map((i) => {
          const dialing = i.state === 'dialing' || calling === i.id;
          return (
            <li key={i.id} id={`cb-${i.id}`} class={`cb-item${i.due ? ' due' : ''}${dialing ? ' dialing' : ''}`}>
              <div class="row cb-head">
                <strong class="cb-time">{i.local}</strong>
                {i.due && !dialing ? <span class="badge degraded cb-due">{t('cb.dueNow')}</span> : null}
                {dialing ? <span class="badge">{t('cb.dialing')}</span> : null}
                {i.assignee === null ? <span class="badge">{t('cb.teamBadge')}</span> : null}
                <span>
                  {i.customerName ? `${i.customerName} · ` : ''}
                  {i.phone}
                </span>
                {!dialing ? (
                  <button type="button" class="cb-call" onClick={() => void callNow(i)}>
                    {t('cb.call')}
                  </button>
                ) : null}
              </div>
              {i.note ? <p class="cb-note">{i.note}</p> : null}
              {i.attempts > 0 ? (
                <p class="muted">
                  {t('cb.attempts', { n: i.attempts })}
                  {i.outcome ? ` · ${tOr(`followupOutcome.${i.outcome}`, i.outcome)}` : ''}
                </p>
              ) : null}
              {dialing && day ? (
                <Outcome
                  item={i}
                  day={day}
                  onDone={(msg) => {
                    setCalling(null);
                    setDone(msg);
                    void refresh();
                  }}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
      {day && day.later > 0 ? <p class="muted">{t('cb.later', { n: day.later })}</p> : null}
      <Messages error={error} done={done} id="cb-mine-done" />
      <button type="button" class="secondary" id="cb-refresh" onClick={() => void refresh()}>
        {t('cb.refresh')}
      </button>
    </section>
  );
}
