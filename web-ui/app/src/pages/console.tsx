/**
 * The agent console (坐席工作台): one's own agent state (available / pause with a reason), the
 * screen pop of the call offered to one's agent (customer, VIP, last calls, open tickets, last
 * orders — from GET /api/v1/screen-pop?callId=), the call's result and a callback for it, 我的回拨
 * (the callbacks due today, called with one click), 回访推送 (the preview dialer's offer of the
 * follow-up lists: call or skip, then the outcome — console-offer.tsx), knowledge-base search and a new ticket linked to
 * the call and the customer. The pop comes from the live stream's `queue.offer` event for the
 * user's linked agent (the analog phone rings, the browser pops).
 */
import { useState } from 'preact/hooks';
import type { LiveEvent, ScreenPop, SearchHit, Ticket } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { fmtDateTime, fmtDuration, fmtMoney, t, tOr } from '../i18n.js';
import { useLive, useTick } from '../live.js';
import { ConsoleCall } from './console-call.js';
import { ConsoleCallbacks } from './console-callbacks.js';
import { ConsoleOffer } from './console-offer.js';
import { ConsoleDisposition } from './console-disposition.js';
import { ConsoleOrder } from './console-order.js';
import { ConsoleTicket } from './console-ticket.js';

/** The server's snippet is HTML-escaped text with <mark> around matches: render it as text nodes. */
function Snippet({ html }: { html: string }) {
  const decode = (x: string) =>
    x
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  const parts = html.split(/<\/?mark>/);
  return <span>{parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{decode(p)}</mark> : decode(p)))}</span>;
}

function Pop({ pop }: { pop: ScreenPop }) {
  const c = pop.customer;
  return (
    <div id="screen-pop" class="card">
      <p class="pop-phone">
        <strong>{pop.phone ?? t('noData')}</strong> {pop.vip ? <span class="badge degraded">{t('vip')}</span> : null}
      </p>
      <p class="pop-name">{c ? (c.name ?? t('unnamedCustomer')) : t('newCustomer')}</p>
      {c ? <p class="muted">{t('lifetimeValue', { v: fmtMoney(pop.lifetimeValueCents), n: pop.orderCount })}</p> : null}
      <h3>{t('lastCalls')}</h3>
      {pop.lastCalls.length === 0 ? <p class="muted">{t('none')}</p> : null}
      <ul>
        {pop.lastCalls.map((x) => (
          <li key={x.id}>
            {fmtDateTime(x.startedAt)} · {x.outcome ? tOr(`outcome.${x.outcome}`, x.outcome) : t('noData')}
          </li>
        ))}
      </ul>
      <h3>{t('openTickets')}</h3>
      {pop.openTickets.length === 0 ? <p class="muted">{t('none')}</p> : null}
      <ul>
        {pop.openTickets.map((x) => (
          <li key={x.id}>
            {x.number} · {x.subject}
          </li>
        ))}
      </ul>
      <h3>{t('lastOrders')}</h3>
      {pop.lastOrders.length === 0 ? <p class="muted">{t('none')}</p> : null}
      <ul>
        {pop.lastOrders.map((x) => (
          <li key={x.id}>
            {x.number} · {fmtMoney(x.totalCents - x.refundCents)} · {fmtDateTime(x.createdAt)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function KbSearch() {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const search = async (e: Event) => {
    e.preventDefault();
    if (q.trim() === '') return;
    const r = await api.get<{ items: SearchHit[] }>(`/api/v1/kb/search?q=${encodeURIComponent(q.trim())}&limit=5`);
    setHits(r.items);
  };
  return (
    <section class="card" aria-labelledby="h-kb">
      <h2 id="h-kb">{t('kbSearch')}</h2>
      <form class="row" onSubmit={search}>
        <label class="visually-hidden" for="kb-q">
          {t('kbSearch')}
        </label>
        <input id="kb-q" type="search" placeholder={t('kbPlaceholder')} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">{t('search')}</button>
      </form>
      {hits && hits.length === 0 ? <p class="muted">{t('noResults')}</p> : null}
      <ul id="kb-results">
        {(hits ?? []).map((h) => (
          <li key={h.article.id}>
            <strong>{h.article.title}</strong>
            <br />
            <Snippet html={h.snippet} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function NewTicket({ callId, customerId }: { callId: string | null; customerId: string | null }) {
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    setDone('');
    setError('');
    try {
      const ticket = await api.post<Ticket>('/api/v1/tickets', {
        subject,
        ...(description ? { description } : {}),
        ...(callId ? { callId } : {}),
        ...(customerId ? { customerId } : {}),
      });
      setDone(t('ticketCreated', { n: ticket.number }));
      setSubject('');
      setDescription('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="card stack" onSubmit={create} aria-labelledby="h-ticket">
      <h2 id="h-ticket">{t('newTicket')}</h2>
      <label for="t-subject">{t('subject')}</label>
      <input id="t-subject" required maxLength={200} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
      <label for="t-desc">{t('description')}</label>
      <textarea id="t-desc" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <p class="error" role="alert">
        {error}
      </p>
      <p class="ok" role="status" id="ticket-done">
        {done}
      </p>
      <button type="submit">{t('createTicket')}</button>
    </form>
  );
}

export function ConsolePage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const agentId = session.agentId;
  const [pop, setPop] = useState<ScreenPop | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [lastEvent, setLastEvent] = useState<LiveEvent | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  /** Counts the dialer's offers pushed for this agent: the offer panel reads its offer on each. */
  const [offerPushes, setOfferPushes] = useState(0);
  const onEvent = (e: LiveEvent) => {
    setLastEvent(e);
    const d = e.data as { agent?: string } | null;
    if (e.type === 'queue.offer' && agentId && d?.agent === agentId) setPicked(null);
    if (e.type === 'queue.offer' && agentId && d?.agent === agentId && e.callId) {
      api.get<ScreenPop>(`/api/v1/screen-pop?callId=${encodeURIComponent(e.callId)}`).then(setPop, () => undefined);
    }
  };
  const live = useLive(onEvent, onAuthLost, (n) => {
    if (agentId && n.agent === agentId) setOfferPushes((k) => k + 1);
  });
  const tick = useTick(1000);
  if (!agentId) return <main class="page">{t('notLinked')}</main>;
  const me = live.snapshot?.agents.find((a) => a.id === agentId) ?? null;
  const setState = async (state: 'available' | 'paused') => {
    setError('');
    try {
      await api.patch(`/api/v1/agents/${encodeURIComponent(agentId)}/state`, state === 'paused' && reason ? { state, reason } : { state });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <main class="page console">
      <section class="card" aria-labelledby="h-me">
        <h2 id="h-me">{t('myState')}</h2>
        {me ? (
          <p id="my-state" class={`state-${me.state}`}>
            <strong>{me.name}</strong> · <span class="agent-state">{tOr(`agentState.${me.state}`, me.state)}</span> ·{' '}
            {t('timeInState', { t: fmtDuration((tick + live.skewMs - Date.parse(me.since)) / 1000) })}
            {me.reason ? ` · ${t('pauseReason', { r: me.reason })}` : ''}
          </p>
        ) : null}
        <div class="row">
          <button type="button" id="set-available" onClick={() => void setState('available')}>
            {t('setAvailable')}
          </button>
          <label class="visually-hidden" for="pause-reason">
            {t('pauseReasonLabel')}
          </label>
          <input
            id="pause-reason"
            placeholder={t('pauseReasonLabel')}
            maxLength={80}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="button" class="secondary" id="set-paused" onClick={() => void setState('paused')}>
            {t('setPaused')}
          </button>
        </div>
        <p class="error" role="alert">
          {error}
        </p>
      </section>
      <section aria-labelledby="h-pop" aria-live="polite">
        <h2 id="h-pop">{t('screenPop')}</h2>
        {pop ? <Pop pop={pop} /> : <p class="muted">{t('waitingForCall')}</p>}
      </section>
      {session.permissions.includes('calls.control') ? (
        <ConsoleCall
          callId={picked ?? pop?.callId ?? null}
          phone={picked ? null : (pop?.phone ?? null)}
          customerId={pop?.customer?.id ?? null}
          agentId={agentId}
          agents={live.snapshot?.agents ?? []}
          queues={live.snapshot?.queues ?? []}
          event={lastEvent}
          onCall={setPicked}
        />
      ) : null}
      {session.permissions.includes('calls.disposition') ? <ConsoleDisposition pop={pop} session={session} /> : null}
      {session.permissions.includes('followups.work') ? (
        <ConsoleOffer agentState={me?.state ?? null} pushes={offerPushes} connected={live.connected} />
      ) : null}
      {session.permissions.includes('followups.work') ? <ConsoleCallbacks /> : null}
      <KbSearch />
      <NewTicket callId={pop?.callId ?? null} customerId={pop?.customer?.id ?? null} />
      {session.permissions.includes('tickets.write') ? <ConsoleTicket pop={pop} /> : null}
      {session.permissions.includes('orders.write') ? <ConsoleOrder pop={pop} /> : null}
    </main>
  );
}
