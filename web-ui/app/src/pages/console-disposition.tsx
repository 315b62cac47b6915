/**
 * The agent console's call result panel (通话小结): the result of the call in the screen pop (the
 * current or last call offered to the agent) — pick a code from GET /api/v1/dispositions, an
 * optional note, POST /api/v1/calls/:id/disposition. Below it, a callback for the caller (预约回拨,
 * callback-schedule.tsx: followups.work — agents too, no follow-up list needed).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallRecord, DispositionDef, ScreenPop } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, lang, t } from '../i18n.js';
import { errText, Field, Messages } from '../ui.js';
import { ScheduleCallback } from './callback-schedule.js';
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
      {pop && session.permissions.includes('followups.work') ? (
        <ScheduleCallback
          key={pop.callId}
          customerId={pop.customer?.id ?? null}
          callId={pop.callId}
          shownPhone={pop.phone}
          agentLinked={Boolean(session.agentId)}
        />
      ) : null}
    </section>
  );
}
