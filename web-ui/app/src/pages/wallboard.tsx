/**
 * The wallboard (实时看板), also a TV/kiosk mode (?kiosk=1): calls waiting and the longest wait,
 * today's service level, answered and abandoned, callbacks pending, agents by state with time in
 * state and pause reason, line occupancy, the calls now, and (not in kiosk) the recent calls and
 * the box's health. Everything comes from the live stream's snapshots; times tick every second.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentView, CallRecord, ChannelStatus, Health } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { ListenIn } from './call-listen.js';
import { fmtDuration, fmtInt, fmtPercent, fmtTime, t, tOr } from '../i18n.js';
import { useLive, useTick, type WallboardSnapshot } from '../live.js';

/**
 * The wallboard is shown on shared screens: caller numbers are masked there whoever is signed in,
 * like the live snapshot does on the server (web-ui/server/live/snapshot.ts).
 */
function masked(n: string): string {
  if (n.replace(/\D/g, '').length < 7) return n.length > 2 ? `${n.slice(0, 1)}****` : n;
  return `${n.slice(0, 3)}****${n.slice(-4)}`;
}

const AGENT_ORDER = ['onCall', 'ringing', 'wrapUp', 'available', 'paused', 'loggedOut'];

function Tile({ id, label, value, hint, alert }: { id: string; label: string; value: string; hint?: string; alert?: boolean }) {
  return (
    <div class={`tile${alert ? ' alert' : ''}`} id={`tile-${id}`}>
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      {hint ? <div class="tile-hint">{hint}</div> : null}
    </div>
  );
}

function Agents({ agents, now }: { agents: AgentView[]; now: number }) {
  if (agents.length === 0) return <p>{t('noAgents')}</p>;
  const sorted = [...agents].sort((a, b) => AGENT_ORDER.indexOf(a.state) - AGENT_ORDER.indexOf(b.state) || a.name.localeCompare(b.name));
  return (
    <ul class="agents">
      {sorted.map((a) => (
        <li key={a.id} class={`agent state-${a.state}`} data-agent={a.id}>
          <span class="agent-name">{a.name}</span>
          <span class="agent-state">{tOr(`agentState.${a.state}`, a.state)}</span>
          <span class="agent-time">{t('timeInState', { t: fmtDuration((now - Date.parse(a.since)) / 1000) })}</span>
          {a.reason ? <span class="agent-reason">{t('pauseReason', { r: a.reason })}</span> : null}
          <span class="agent-today">{t('callsToday', { n: fmtInt(a.callsToday) })}</span>
        </li>
      ))}
    </ul>
  );
}

function Lines({ lines }: { lines: ChannelStatus[] }) {
  const busy = lines.filter((l) => l.state !== 'idle' && l.state !== 'error').length;
  return (
    <>
      <p class="lines-summary">{t('linesBusy', { busy, total: lines.length })}</p>
      <ul class="lines">
        {lines.map((l) => (
          <li key={l.id} class={`line line-${l.state}`} data-line={l.id}>
            <span class="line-id">{l.id}</span>
            <span class="line-kind">{tOr(`kind.${l.kind}`, l.kind)}</span>
            <span class="line-state">{tOr(`lineState.${l.state}`, l.state)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** `listen`: the viewer may listen in (calls.monitor): a 监听 Listen button on each talking call. */
function LiveCalls({ snap, now, listen }: { snap: WallboardSnapshot; now: number; listen: boolean }) {
  if (snap.activeCalls.length === 0) return <p class="muted">{t('noLiveCalls')}</p>;
  const names = new Map(snap.agents.map((a) => [a.id, a.name]));
  return (
    <div class="table-wrap">
      <table class="calls" id="live-calls">
        <thead>
          <tr>
            <th scope="col">{t('line')}</th>
            <th scope="col">{t('caller')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('agent')}</th>
            <th scope="col">{t('duration')}</th>
            {listen ? <th scope="col">{t('calls.listen')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {snap.activeCalls.map((c) => (
            <tr key={c.id} data-call={c.id}>
              <td>{c.line ?? t('noData')}</td>
              <td>{c.caller ?? t('noData')}</td>
              <td>{tOr(`callState.${c.state}`, c.state)}</td>
              <td>{c.agent ? (names.get(c.agent) ?? c.agent) : t('noData')}</td>
              <td>{fmtDuration((now - Date.parse(c.startedAt)) / 1000)}</td>
              {listen ? <td>{c.state === 'talking' ? <ListenIn callId={c.id} id={`listen-${c.id}`} /> : null}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecentCalls({ seq }: { seq: number }) {
  const [calls, setCalls] = useState<CallRecord[]>([]);
  const last = useRef(0);
  useEffect(() => {
    // at most one reload every 2 s however busy the stream is
    const id = setTimeout(
      () => {
        last.current = Date.now();
        api.get<{ calls: CallRecord[] }>('/api/v1/calls?limit=10').then(
          (r) => setCalls(r.calls),
          () => undefined,
        );
      },
      Math.max(0, 2000 - (Date.now() - last.current)),
    );
    return () => clearTimeout(id);
  }, [seq]);
  return (
    <div class="table-wrap">
      <table class="calls" id="recent-calls">
        <thead>
          <tr>
            <th scope="col">{t('start')}</th>
            <th scope="col">{t('caller')}</th>
            <th scope="col">{t('state')}</th>
            <th scope="col">{t('outcome')}</th>
            <th scope="col">{t('agent')}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id}>
              <td>{fmtTime(c.startedAt)}</td>
              <td>{c.callerId === null ? t('noData') : masked(c.callerId)}</td>
              <td>{tOr(`callState.${c.state}`, c.state)}</td>
              <td>{c.outcome ? tOr(`outcome.${c.outcome}`, c.outcome) : t('noData')}</td>
              <td>{c.agent ?? t('noData')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HealthLine() {
  const [h, setH] = useState<Health | null>(null);
  const [down, setDown] = useState(false);
  useEffect(() => {
    const load = () =>
      fetch('/healthz')
        .then((r) => r.json() as Promise<Health>)
        .then(
          (x) => {
            setH(x);
            setDown(false);
          },
          () => setDown(true),
        );
    void load();
    const id = setInterval(load, 30_000);
    return () => clearInterval(id);
  }, []);
  const status = down ? 'down' : (h?.status ?? 'ok');
  return (
    <footer class="health">
      <span class={`badge ${status}`} id="health">
        {t(`health_${status}` as 'health_ok')}
      </span>
      {h ? <span>{t('version', { v: h.version })}</span> : null}
      {h ? <span>{t('uptime', { t: fmtDuration(h.uptimeS) })}</span> : null}
      {h?.alarms?.length ? (
        <ul class="alarms" id="alarms" aria-label={t('alarm.title')}>
          {h.alarms.map((a) => (
            <li key={`${a.code}-${a.subject}`} class={`alarm ${a.severity}`} data-code={a.code}>
              <strong>{tOr(`alarm.${a.code}`, a.code)}</strong> {a.subject}: {a.message}
            </li>
          ))}
        </ul>
      ) : null}
    </footer>
  );
}

/** `session`: the signed-in user (the shell's); without it (the kiosk: a TV shows, it does not listen) no 监听 buttons. */
export function Wallboard({ kiosk, onAuthLost, session }: { kiosk: boolean; onAuthLost: () => void; session?: Session }) {
  const live = useLive(undefined, onAuthLost);
  const tick = useTick(1000);
  const listen = !kiosk && (session?.permissions.includes('calls.monitor') ?? false);
  const snap = live.snapshot;
  if (!snap) return <main class="page wallboard" aria-busy="true" />;
  const now = tick + live.skewMs;
  const since = Date.parse(snap.at);
  const longest = snap.waiting > 0 ? snap.longestWaitS + Math.max(0, (now - since) / 1000) : 0;
  const today = snap.today;
  return (
    <main class={`page wallboard${kiosk ? ' kiosk' : ''}`}>
      {snap.shopName ? (
        <h1 class="shop-name" id="shop-name">
          {snap.shopName}
        </h1>
      ) : null}
      <p class={`conn ${live.connected ? 'on' : 'off'}`} role="status">
        {live.connected ? t('live') : t('reconnecting')}
      </p>
      <section class="tiles" aria-label={t('wallboard')}>
        <Tile id="waiting" label={t('callsWaiting')} value={fmtInt(snap.waiting)} alert={snap.waiting > 0} />
        <Tile id="longest" label={t('longestWait')} value={fmtDuration(longest)} alert={longest >= 60} />
        <Tile
          id="sl"
          label={t('serviceLevel')}
          value={fmtPercent(today?.serviceLevel ?? null)}
          hint={today ? t('serviceLevelHint', { s: today.slThresholdS }) : ''}
        />
        <Tile id="answered" label={t('answered')} value={today ? fmtInt(today.answered) : t('noData')} />
        <Tile id="abandoned" label={t('abandoned')} value={today ? fmtInt(today.abandoned) : t('noData')} />
        <Tile id="callbacks" label={t('callbacksPending')} value={fmtInt(snap.callbacksPending)} alert={snap.callbacksPending > 0} />
      </section>
      <section aria-labelledby="h-agents">
        <h2 id="h-agents">{t('agents')}</h2>
        <Agents agents={snap.agents} now={now} />
      </section>
      <section aria-labelledby="h-lines">
        <h2 id="h-lines">{t('lines')}</h2>
        <Lines lines={snap.lines} />
      </section>
      <section aria-labelledby="h-live">
        <h2 id="h-live">{t('liveCalls')}</h2>
        <LiveCalls snap={snap} now={now} listen={listen} />
      </section>
      {kiosk ? null : (
        <section aria-labelledby="h-recent">
          <h2 id="h-recent">{t('recentCalls')}</h2>
          <RecentCalls seq={snap.seq} />
        </section>
      )}
      {kiosk ? null : <HealthLine />}
    </main>
  );
}
