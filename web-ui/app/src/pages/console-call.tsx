/**
 * The agent console's call control panel (通话控制): for the agent's current call (the one offered
 * to them, or one they picked up) hold / resume, transfer (blind or attended: agents, queues, the
 * IVR menu or survey, an external number; then complete or cancel), park; the parked calls with
 * pickup; click-to-dial. The agent's own phone does the audio: pickup and dial ring it first.
 * The state follows the live events of the call (call.held, call.consult, call.transferred, …).
 * REST: docs/api.md "Call control".
 */
import { useEffect, useState } from 'preact/hooks';
import type { AgentView, LiveEvent, ParkedCallView, QueueView } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { Messages, useRun } from '../ui.js';

interface Props {
  callId: string | null;
  phone: string | null;
  /** The screen pop's customer: click-to-dial them (the box knows the number, the agent may see it masked). */
  customerId: string | null;
  agentId: string;
  agents: AgentView[];
  queues: QueueView[];
  /** The latest live event (the console forwards each one). */
  event: LiveEvent | null;
  /** A call this agent picked up becomes the current call. */
  onCall(callId: string): void;
}

type Live = { held: boolean; consulting: string | null; parked: number | null; ended: boolean; transferred: string | null };
const IDLE: Live = { held: false, consulting: null, parked: null, ended: false, transferred: null };

export function ConsoleCall({ callId, phone, customerId, agentId, agents, queues, event, onCall }: Props) {
  const [live, setLive] = useState<Live>(IDLE);
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<'blind' | 'attended'>('blind');
  const [parked, setParked] = useState<ParkedCallView[]>([]);
  /** The IVR menus a caller may be transferred back to (every menu of the config) and their phone codes (`*0N`). */
  const [menus, setMenus] = useState<string[]>(['main']);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [number, setNumber] = useState('');
  const { error, done, run: act, clear } = useRun();
  const refreshParked = () =>
    api.get<{ parked: ParkedCallView[] }>('/api/v1/parked').then(
      (r) => setParked(r.parked),
      () => undefined,
    );
  useEffect(() => {
    setLive(IDLE);
    clear();
  }, [callId]);
  useEffect(() => void refreshParked(), []);
  useEffect(() => {
    api.get<{ menus: string[]; codes: Record<string, string> }>('/api/v1/transfer-targets').then(
      (r) => {
        setMenus(r.menus);
        setCodes(r.codes);
      },
      () => undefined,
    );
  }, []);
  useEffect(() => {
    if (!event) return;
    if (/^call\.(parked|unparked|ended)$/.test(event.type)) void refreshParked();
    if (!callId || event.callId !== callId) return;
    const d = (event.data ?? {}) as { target?: string; slot?: number };
    setLive((l) => {
      switch (event.type) {
        case 'call.held':
          return { ...l, held: true };
        case 'call.unheld':
          return { ...l, held: false, consulting: null };
        case 'call.consult':
          return { ...l, consulting: d.target ?? '' };
        case 'call.consultEnded':
          return { ...l, consulting: null };
        case 'call.transferred':
          return { ...l, consulting: null, transferred: d.target ?? '' };
        case 'call.parked':
          return { ...l, parked: d.slot ?? null };
        case 'call.unparked':
          return { ...l, parked: null };
        case 'call.ended':
          return { ...l, ended: true };
        default:
          return l;
      }
    });
  }, [event]);
  const path = (p: string) => `/api/v1/calls/${encodeURIComponent(callId ?? '')}/${p}`;
  const active = callId !== null && !live.ended && live.transferred === null && live.parked === null;
  const target = (v: string) => agents.find((a) => a.id === v)?.name ?? queues.find((q) => `queue:${q.id}` === v)?.name ?? v;
  return (
    <section class="card console-call" aria-labelledby="h-cc">
      <h2 id="h-cc">{t('cc.title')}</h2>
      {active ? (
        <div class="stack">
          <p id="cc-call">{t('cc.call', { phone: phone ?? '—' })}</p>
          {live.held ? (
            <p class="muted" id="cc-held">
              {live.consulting !== null ? t('cc.consulting', { target: target(live.consulting) }) : t('cc.onHold')}
            </p>
          ) : null}
          <div class="row">
            {live.held && live.consulting === null ? (
              <button type="button" id="cc-unhold" onClick={() => void act(() => api.post(path('unhold')))}>
                {t('cc.unhold')}
              </button>
            ) : (
              <button type="button" id="cc-hold" disabled={live.held} onClick={() => void act(() => api.post(path('hold')))}>
                {t('cc.hold')}
              </button>
            )}
            <button
              type="button"
              class="secondary"
              id="cc-park"
              disabled={live.consulting !== null}
              onClick={() => void act(() => api.post(path('park')))}
            >
              {t('cc.park')}
            </button>
          </div>
          {live.consulting !== null ? (
            <div class="row">
              <button type="button" id="cc-complete" onClick={() => void act(() => api.post(path('transfer/complete')))}>
                {t('cc.complete')}
              </button>
              <button type="button" class="secondary" id="cc-cancel" onClick={() => void act(() => api.post(path('transfer/cancel')))}>
                {t('cc.cancel')}
              </button>
            </div>
          ) : (
            <form
              class="stack"
              onSubmit={(e) => {
                e.preventDefault();
                if (to) void act(() => api.post(path('transfer'), { to, mode }));
              }}
            >
              <label for="cc-to">{t('cc.transferTo')}</label>
              <input
                id="cc-to"
                list="cc-targets"
                placeholder={t('cc.pickTarget')}
                value={to}
                onInput={(e) => setTo(e.currentTarget.value.trim())}
              />
              <datalist id="cc-targets">
                {agents
                  .filter((a) => a.id !== agentId)
                  .map((a) => (
                    <option key={a.id} value={a.id}>{`${t('cc.agents')}: ${a.name}`}</option>
                  ))}
                {queues.map((q) => (
                  <option key={q.id} value={`queue:${q.id}`}>{`${t('cc.queues')}: ${q.name}`}</option>
                ))}
                <option value="ivr:survey">{`${t('cc.other')}: ${t('cc.survey')} (${t('cc.onPhone', { code: '*9' })})`}</option>
                {(menus.includes('main') ? ['main', ...menus.filter((m) => m !== 'main')] : menus).map((m) => (
                  <option key={m} value={`ivr:${m}`}>
                    {`${t('cc.other')}: ${m === 'main' ? t('cc.ivr') : t('cc.ivrMenu', { menu: m })}${codes[m] ? ` (${t('cc.onPhone', { code: codes[m] })})` : ''}`}
                  </option>
                ))}
              </datalist>
              <div class="row">
                <label>
                  <input type="radio" name="cc-mode" id="cc-blind" checked={mode === 'blind'} onChange={() => setMode('blind')} />{' '}
                  {t('cc.blind')}
                </label>
                <label>
                  <input type="radio" name="cc-mode" id="cc-attended" checked={mode === 'attended'} onChange={() => setMode('attended')} />{' '}
                  {t('cc.attended')}
                </label>
              </div>
              <button type="submit" id="cc-transfer" disabled={!to}>
                {t('cc.transfer')}
              </button>
            </form>
          )}
        </div>
      ) : (
        <p class="muted" id="cc-status">
          {live.transferred !== null
            ? t('cc.transferred', { target: target(live.transferred) })
            : live.parked !== null
              ? t('cc.parkedIn', { slot: live.parked, n: live.parked % 10 })
              : t('cc.noCall')}
        </p>
      )}
      <h3>{t('cc.parkedList')}</h3>
      {parked.length === 0 ? <p class="muted">{t('cc.noParked')}</p> : null}
      <ul id="cc-parked">
        {parked.map((p) => (
          <li key={p.slot}>
            {p.slot} · {p.callerId ?? '—'}{' '}
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(async () => {
                  const r = await api.post<{ callId: string }>(`/api/v1/parked/${p.slot}/pickup`);
                  onCall(r.callId);
                }, t('cc.pickupRinging'))
              }
            >
              {t('cc.pickup')}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t('cc.dialTitle')}</h3>
      {customerId ? (
        <button
          type="button"
          class="secondary"
          id="cc-dial-customer"
          onClick={() => void act(() => api.post('/api/v1/calls/dial', { customerId }), t('cc.dialingCustomer'))}
        >
          {t('cc.dialCustomer')}
        </button>
      ) : null}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (number) void act(() => api.post('/api/v1/calls/dial', { number }), t('cc.dialing', { number }));
        }}
      >
        <label class="visually-hidden" for="cc-number">
          {t('cc.number')}
        </label>
        <input
          id="cc-number"
          inputMode="tel"
          placeholder={t('cc.dialHint')}
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value.trim())}
        />
        <button type="submit" id="cc-dial" disabled={!number}>
          {t('cc.dial')}
        </button>
      </form>
      <Messages error={error} done={done} id="cc-done" />
    </section>
  );
}
