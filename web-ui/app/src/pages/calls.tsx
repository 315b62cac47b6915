/**
 * 通话记录 / Calls: the call history with filters (dates, queue, agent, outcome, number) and
 * paging; a call's details (/calls/<id>): legs, IVR keys, the customer (via the screen pop of the
 * call) and its recordings, played in the browser (<audio>, the box answers Range requests) for
 * roles with recordings.read, downloadable with recordings.download; beside them the QA scoring
 * panel (质检评分, qa-score.tsx) for roles with qa.score once the call has ended.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CallRecord, RecordingInfo, ScreenPop } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtDuration, t, tOr } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { errText, Field, Messages, Pager, qs } from '../ui.js';
import { ScoringPanel } from './qa-score.js';
import { ListenIn } from './call-listen.js';
import './calls.css';

const LIMIT = 25;
const OUTCOMES = ['answered', 'abandoned', 'missed', 'ivrHangup', 'noAgent', 'callback', 'notAccepted', 'voicemail', 'failed'];

interface Filters {
  from: string;
  to: string;
  queue: string;
  agent: string;
  outcome: string;
  number: string;
}
const NO_FILTERS: Filters = { from: '', to: '', queue: '', agent: '', outcome: '', number: '' };

/** A local date (yyyy-mm-dd) as the ISO instant of its local midnight; `nextDay` for an inclusive end. */
function localDay(d: string, nextDay = false): string | undefined {
  if (!d) return undefined;
  const at = new Date(`${d}T00:00:00`);
  if (nextDay) at.setDate(at.getDate() + 1);
  return Number.isFinite(at.getTime()) ? at.toISOString() : undefined;
}

function talkSeconds(c: CallRecord): number | null {
  const leg = c.legs.find((l) => l.role === 'agent' && l.answeredAt);
  const from = leg?.answeredAt ?? c.answeredAt;
  if (!from || !c.endedAt) return null;
  return (Date.parse(c.endedAt) - Date.parse(from)) / 1000;
}

function Recording({ rec, session }: { rec: RecordingInfo; session: Session }) {
  const src = `/api/v1/recordings/${encodeURIComponent(rec.id)}/audio`;
  return (
    <li class="recording">
      <span>
        {fmtDateTime(rec.startedAt)} · {fmtDuration(rec.durationMs / 1000)} · {tOr(`calls.recState.${rec.state}`, rec.state)}
        {rec.legalHold ? ` · ${t('calls.legalHold')}` : ''}
      </span>
      {/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions */}
      <audio controls preload="metadata" src={src} aria-label={`${t('calls.recordings')} ${fmtDateTime(rec.startedAt)}`} />
      {session.permissions.includes('recordings.download') ? (
        <a class="download" href={`${src}?download=1`} download>
          {t('calls.download')}
        </a>
      ) : null}
    </li>
  );
}

function CallDetail({ id, session }: { id: string; session: Session }) {
  const [call, setCall] = useState<CallRecord | null>(null);
  const [recs, setRecs] = useState<RecordingInfo[] | null>(null);
  const [pop, setPop] = useState<ScreenPop | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    setCall(null);
    setRecs(null);
    setPop(null);
    const path = encodeURIComponent(id);
    api.get<CallRecord>(`/api/v1/calls/${path}`).then(setCall, (e: unknown) => setError(errText(e)));
    if (session.permissions.includes('recordings.read'))
      api.get<{ recordings: RecordingInfo[] }>(`/api/v1/recordings${qs({ callId: id })}`).then(
        (r) => setRecs(r.recordings),
        () => setRecs([]),
      );
    if (session.permissions.includes('customers.read'))
      api.get<ScreenPop>(`/api/v1/screen-pop${qs({ callId: id })}`).then(setPop, () => undefined);
  }, [id]);
  const close = () => navigate(`/calls${location.search}`);
  return (
    <section class="card call-detail" id="call-detail" aria-labelledby="h-call">
      <div class="row between">
        <h2 id="h-call">{t('calls.detail')}</h2>
        <button type="button" class="link" onClick={close}>
          {t('calls.close')}
        </button>
      </div>
      <Messages error={error} />
      {/* 监听: a live call, for supervisors and the owner */}
      {call && call.state !== 'ended' && session.permissions.includes('calls.monitor') ? <ListenIn callId={id} /> : null}
      {call ? (
        <dl class="facts">
          <dt>{t('caller')}</dt>
          <dd>{call.callerId ?? t('noData')}</dd>
          <dt>{t('calls.direction')}</dt>
          <dd id="call-direction">{tOr(`calls.direction.${call.direction}`, call.direction)}</dd>
          <dt>{t('start')}</dt>
          <dd>{fmtDateTime(call.startedAt)}</dd>
          <dt>{t('calls.endedAt')}</dt>
          <dd>{call.endedAt ? fmtDateTime(call.endedAt) : t('noData')}</dd>
          <dt>{t('outcome')}</dt>
          <dd>{call.outcome ? tOr(`outcome.${call.outcome}`, call.outcome) : tOr(`callState.${call.state}`, call.state)}</dd>
          <dt>{t('queue')}</dt>
          <dd>{call.queue ?? t('noData')}</dd>
          <dt>{t('agent')}</dt>
          <dd>{call.agent ?? t('noData')}</dd>
          <dt>{t('calls.ivrPath')}</dt>
          <dd>{call.ivrPath || t('noData')}</dd>
          <dt>{t('calls.legs')}</dt>
          <dd>{call.legs.map((l) => `${l.channel} (${tOr(`kind.${l.kind}`, l.kind)})`).join(' → ')}</dd>
          <dt>{t('calls.customer')}</dt>
          <dd>
            {pop?.customer ? (
              <a id="call-customer" href={`/customers/${pop.customer.id}`} onClick={onNav(`/customers/${pop.customer.id}`)}>
                {pop.customer.name ?? pop.customer.phones[0]?.phone ?? pop.customer.id}
              </a>
            ) : (
              t('calls.noCustomer')
            )}
          </dd>
        </dl>
      ) : null}
      <div class="qa-work">
        {recs !== null ? (
          <div>
            <h3>{t('calls.recordings')}</h3>
            {recs.length === 0 ? <p class="muted">{t('calls.noRecording')}</p> : null}
            <ul class="recordings">
              {recs.map((r) => (
                <Recording key={r.id} rec={r} session={session} />
              ))}
            </ul>
          </div>
        ) : null}
        {/* 质检评分 beside the recording: supervisors and the owner score an ended call while listening */}
        {call?.state === 'ended' && session.permissions.includes('qa.score') ? <ScoringPanel callId={id} session={session} /> : null}
      </div>
    </section>
  );
}

export function CallsPage({ session }: { session: Session }) {
  const [sub] = useSubPath();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [calls, setCalls] = useState<CallRecord[] | null>(null);
  const [queues, setQueues] = useState<{ id: string; name: string }[]>([]);
  const [agents, setAgents] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState('');
  const masked = !session.permissions.includes('customers.phones');

  useEffect(() => {
    api.get<{ queues: { id: string; name: string }[] }>('/api/v1/queues').then(
      (r) => setQueues(r.queues),
      () => undefined,
    );
    api.get<{ agents: { id: string; name: string }[] }>('/api/v1/agents').then(
      (r) => setAgents(r.agents),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    setError('');
    const q = qs({
      limit: LIMIT,
      offset: offset || undefined,
      from: localDay(filters.from),
      to: localDay(filters.to, true),
      queue: filters.queue,
      agent: filters.agent,
      outcome: filters.outcome,
      number: filters.number.replace(/[\s-]/g, ''),
    });
    api.get<{ calls: CallRecord[] }>(`/api/v1/calls${q}`).then(
      (r) => setCalls(r.calls),
      (e: unknown) => setError(errText(e)),
    );
  }, [filters, offset]);

  const apply = (e: Event) => {
    e.preventDefault();
    setOffset(0);
    setFilters({ ...draft });
  };
  const set = (k: keyof Filters) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <main class="page calls-page">
      <h1>{t('calls.title')}</h1>
      <form class="card filters" id="calls-filters" onSubmit={apply} aria-label={t('ui.filter')}>
        <Field id="cf-from" label={t('ui.from')}>
          <input id="cf-from" type="date" value={draft.from} onInput={set('from')} />
        </Field>
        <Field id="cf-to" label={t('ui.to')}>
          <input id="cf-to" type="date" value={draft.to} onInput={set('to')} />
        </Field>
        <Field id="cf-queue" label={t('queue')}>
          <select id="cf-queue" value={draft.queue} onChange={set('queue')}>
            <option value="">{t('calls.any')}</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="cf-agent" label={t('agent')}>
          <select id="cf-agent" value={draft.agent} onChange={set('agent')}>
            <option value="">{t('calls.any')}</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.id})
              </option>
            ))}
          </select>
        </Field>
        <Field id="cf-outcome" label={t('outcome')}>
          <select id="cf-outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">{t('calls.any')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {tOr(`outcome.${o}`, o)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="cf-number" label={masked ? t('calls.numberHintMasked') : t('calls.numberHint')}>
          <input
            id="cf-number"
            inputMode="tel"
            maxLength={masked ? 4 : 24}
            pattern={masked ? '[0-9]{1,4}' : '[+]?[0-9 \\-]{1,24}'}
            value={draft.number}
            onInput={set('number')}
          />
        </Field>
        <div class="actions">
          <button type="submit">{t('ui.filter')}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
              setOffset(0);
            }}
          >
            {t('ui.reset')}
          </button>
        </div>
      </form>
      <Messages error={error} />
      {sub ? <CallDetail id={sub} session={session} /> : null}
      <div class="table-wrap">
        <table class="list" id="calls-table">
          <thead>
            <tr>
              <th scope="col">{t('start')}</th>
              <th scope="col">{t('caller')}</th>
              <th scope="col" class="wide">
                {t('queue')}
              </th>
              <th scope="col" class="wide">
                {t('agent')}
              </th>
              <th scope="col" class="wide">
                {t('duration')}
              </th>
              <th scope="col">{t('outcome')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('ui.details')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(calls ?? []).map((c) => {
              const talk = talkSeconds(c);
              return (
                <tr key={c.id} data-call={c.id} aria-current={sub === c.id ? 'true' : undefined}>
                  <td>{fmtDateTime(c.startedAt)}</td>
                  <td>{c.callerId ?? t('noData')}</td>
                  <td class="wide">{c.queue ?? t('noData')}</td>
                  <td class="wide">{c.agent ?? t('noData')}</td>
                  <td class="wide">{talk === null ? t('noData') : fmtDuration(talk)}</td>
                  <td class={`outcome-${c.outcome ?? 'open'}`}>
                    {c.outcome ? tOr(`outcome.${c.outcome}`, c.outcome) : tOr(`callState.${c.state}`, c.state)}
                  </td>
                  <td>
                    <a href={`/calls/${c.id}`} onClick={onNav(`/calls/${encodeURIComponent(c.id)}${location.search}`)}>
                      {t('ui.details')}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {calls && calls.length === 0 ? <p class="muted">{t('ui.empty')}</p> : null}
      <Pager offset={offset} limit={LIMIT} more={(calls?.length ?? 0) === LIMIT} onPage={setOffset} />
    </main>
  );
}
