/**
 * The agent console's call result panel (通话小结): the result of the call in the screen pop (the
 * current or last call offered to the agent) — pick a code from GET /api/v1/dispositions, an
 * optional note, POST /api/v1/calls/:id/disposition. Owners and supervisors (followups.write) may
 * also put the caller on a follow-up list to be called back (POST /api/v1/followups/lists/:id/items).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallRecord, DispositionDef, FollowupList, ScreenPop } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, lang, t } from '../i18n.js';
import { errText, Field, Messages } from '../ui.js';
import './console-disposition.css';

export function ConsoleDisposition({ pop, session }: { pop: ScreenPop | null; session: Session }) {
  const [list, setList] = useState<DispositionDef[]>([]);
  const [call, setCall] = useState<CallRecord | null>(null);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const callId = pop?.callId ?? null;
  useEffect(() => {
    api.get<{ dispositions: DispositionDef[] }>('/api/v1/dispositions').then(
      (r) => setList(r.dispositions),
      (e: unknown) => setError(errText(e)),
    );
  }, []);
  useEffect(() => {
    setCall(null);
    setCode('');
    setNote('');
    setDone('');
    setError('');
    if (callId) api.get<CallRecord>(`/api/v1/calls/${encodeURIComponent(callId)}`).then(setCall, () => undefined);
  }, [callId]);
  const label = (c: string) => (c === 'none' ? t('disp.noneSet') : (list.find((d) => d.code === c)?.label[lang()] ?? c));
  const save = async (e: Event) => {
    e.preventDefault();
    if (!callId || !code) return;
    setError('');
    setDone('');
    try {
      const saved = await api.post<CallRecord>(`/api/v1/calls/${encodeURIComponent(callId)}/disposition`, {
        code,
        ...(note ? { note } : {}),
      });
      setCall(saved);
      setDone(t('disp.saved', { label: label(code) }));
    } catch (err) {
      setError(errText(err));
    }
  };
  return (
    <section class="card console-disposition" aria-labelledby="h-disp">
      <h2 id="h-disp">{t('disp.title')}</h2>
      {!pop ? (
        <p class="muted">{t('disp.none')}</p>
      ) : (
        <form class="stack" onSubmit={save}>
          <p class="muted">{t('disp.call', { phone: pop.phone ?? '—', time: call ? fmtDateTime(call.startedAt) : '' })}</p>
          {call?.disposition ? (
            <p id="disp-current">
              {t('disp.current', { label: label(call.disposition.code) })}
              {call.disposition.note ? ` · ${call.disposition.note}` : ''}
            </p>
          ) : null}
          <Field id="disp-code" label={t('disp.code')}>
            <select id="disp-code" required value={code} onChange={(e) => setCode(e.currentTarget.value)}>
              <option value="">{t('disp.pick')}</option>
              {list.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.code} · {d.label[lang()]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="disp-note" label={t('disp.note')}>
            <input id="disp-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </Field>
          <Messages error={error} done={done} id="disp-done" />
          <button type="submit" id="disp-save" disabled={!code}>
            {t('disp.save')}
          </button>
          <p class="muted hint">{t('disp.phoneHint')}</p>
        </form>
      )}
      {pop && session.permissions.includes('followups.write') ? <ScheduleCallback pop={pop} /> : null}
    </section>
  );
}

/** Put the caller on a follow-up list (回访) to be called back at a chosen time. */
function ScheduleCallback({ pop }: { pop: ScreenPop }) {
  const [lists, setLists] = useState<FollowupList[]>([]);
  const [listId, setListId] = useState('');
  const [at, setAt] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  useEffect(() => {
    api.get<{ items: FollowupList[] }>('/api/v1/followups/lists').then(
      (r) => {
        const active = r.items.filter((l) => l.active);
        setLists(active);
        setListId(active[0]?.id ?? '');
      },
      (e: unknown) => setError(errText(e)),
    );
  }, []);
  const add = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    try {
      const who = pop.customer ? { customerId: pop.customer.id } : { phone: pop.phone };
      await api.post(`/api/v1/followups/lists/${encodeURIComponent(listId)}/items`, {
        ...who,
        ...(at ? { dueAt: new Date(at).toISOString() } : {}),
        note: t('disp.followup'),
      });
      setDone(t('disp.followupDone'));
    } catch (err) {
      setError(errText(err));
    }
  };
  if (lists.length === 0) return error ? <Messages error={error} /> : null;
  return (
    <form class="stack schedule-callback" onSubmit={add} aria-labelledby="h-fu">
      <h3 id="h-fu">{t('disp.followup')}</h3>
      <Field id="fu-list" label={t('disp.followupList')}>
        <select id="fu-list" value={listId} onChange={(e) => setListId(e.currentTarget.value)}>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="fu-at" label={t('disp.followupAt')}>
        <input id="fu-at" type="datetime-local" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
      </Field>
      <Messages error={error} done={done} id="fu-done" />
      <button type="submit" class="secondary" id="fu-save">
        {t('disp.followupSave')}
      </button>
    </form>
  );
}
