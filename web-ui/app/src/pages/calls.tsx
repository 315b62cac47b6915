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
import { ListPage, useList } from '../list-page.js';
import { errText, Messages, qs } from '../ui.js';
import { ScoringPanel } from './qa-score.js';
import { ListenIn } from './call-listen.js';
import './calls.css';

const LIMIT = 25;
const OUTCOMES = ['answered', 'abandoned', 'missed', 'ivrHangup', 'noAgent', 'callback', 'notAccepted', 'voicemail', 'failed'];

const NO_FILTERS = { from: '', to: '', queue: '', agent: '', outcome: '', number: '' };

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
  const [queues, setQueues] = useState<{ id: string; name: string }[]>([]);
  const [agents, setAgents] = useState<{ id: string; name: string }[]>([]);
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
  const list = useList<CallRecord>({
    initial: NO_FILTERS,
    limit: LIMIT,
    load: (f, offset, limit) => {
      const q = qs({
        limit,
        offset: offset || undefined,
        from: localDay(String(f.from)),
        to: localDay(String(f.to), true),
        queue: f.queue,
        agent: f.agent,
        outcome: f.outcome,
        number: String(f.number).replace(/[\s-]/g, ''),
      });
      return api.get<{ calls: CallRecord[] }>(`/api/v1/calls${q}`).then((r) => ({ items: r.calls }));
    },
  });
  const any = { value: '', label: t('calls.any') };
  return (
    <main class="page calls-page">
      <h1>{t('calls.title')}</h1>
      <ListPage
        list={list}
        limit={LIMIT}
        filterId="calls-filters"
        idPrefix="cf"
        filters={[
          { key: 'from', kind: 'date', label: t('ui.from') },
          { key: 'to', kind: 'date', label: t('ui.to') },
          { key: 'queue', kind: 'select', label: t('queue'), options: [any, ...queues.map((q) => ({ value: q.id, label: q.name }))] },
          {
            key: 'agent',
            kind: 'select',
            label: t('agent'),
            options: [any, ...agents.map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }))],
          },
          {
            key: 'outcome',
            kind: 'select',
            label: t('outcome'),
            options: [any, ...OUTCOMES.map((o) => ({ value: o, label: tOr(`outcome.${o}`, o) }))],
          },
          {
            key: 'number',
            kind: 'text',
            label: masked ? t('calls.numberHintMasked') : t('calls.numberHint'),
            inputMode: 'tel',
            maxLength: masked ? 4 : 24,
            pattern: masked ? '[0-9]{1,4}' : '[+]?[0-9 \\-]{1,24}',
          },
        ]}
        submitLabel={t('ui.filter')}
        reset={NO_FILTERS}
        detail={sub ? <CallDetail id={sub} session={session} /> : null}
        tableId="calls-table"
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-call': c.id, 'aria-current': sub === c.id ? 'true' : undefined })}
        columns={[
          { label: t('start'), cell: (c) => fmtDateTime(c.startedAt) },
          { label: t('caller'), cell: (c) => c.callerId ?? t('noData') },
          { label: t('queue'), wide: true, cell: (c) => c.queue ?? t('noData') },
          { label: t('agent'), wide: true, cell: (c) => c.agent ?? t('noData') },
          {
            label: t('duration'),
            wide: true,
            cell: (c) => {
              const talk = talkSeconds(c);
              return talk === null ? t('noData') : fmtDuration(talk);
            },
          },
          {
            label: t('outcome'),
            cellClass: (c) => `outcome-${c.outcome ?? 'open'}`,
            cell: (c) => (c.outcome ? tOr(`outcome.${c.outcome}`, c.outcome) : tOr(`callState.${c.state}`, c.state)),
          },
          {
            label: <span class="visually-hidden">{t('ui.details')}</span>,
            cell: (c) => (
              <a href={`/calls/${c.id}`} onClick={onNav(`/calls/${encodeURIComponent(c.id)}${location.search}`)}>
                {t('ui.details')}
              </a>
            ),
          },
        ]}
      />
    </main>
  );
}
