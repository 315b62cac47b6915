/**
 * The console's 回访推送: the preview dialer's offer (`GET /api/v1/followups/offer`), read when the box
 * pushes an offer for this agent over the live stream (`event: offer`, counted in `pushes`), when
 * the agent's state changes, when the stream (re)connects, and every 30 s as the fallback; answers
 * to older reads than the last one are dropped. While the agent is free the box offers the next follow-up
 * due (customer, list and its script, note, attempts, until when); 拨打 accepts it (`POST
 * …/items/:id/accept`: the agent's phone rings first, then the box dials the customer — like 我的回拨's
 * 回拨), 跳过 skips it (`…/skip`, with an optional reason: offered again after 5 minutes); after the
 * call the outcome, with 我的回拨's own panel (console-callbacks.tsx `Outcome`). A refusal (phone busy,
 * no free line, do not call, expired) in words; a call the box closed itself (nobody answered:
 * recorded as no answer) takes the outcome panel away. docs/api/followups.md "The offer"; strings: the lazy
 * area text/followup-offer.ts.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CallbackDay, FollowupItem, FollowupOffer } from '../../../../firmware/src/service/types.js';
import { ApiError, api } from '../api.js';
import { areaText, fmtTime, tOr } from '../i18n.js';
import { followupOfferZh } from '../text/followup-offer.js';
import { followupOfferEn } from '../text/followup-offer.en.js';
import { errText, Messages } from '../ui.js';
import { fetchDay } from './callback-schedule.js';
import { Outcome } from './console-callbacks.js';

const to = areaText(followupOfferZh, followupOfferEn);
const at = (o: FollowupOffer) => `/api/v1/followups/items/${encodeURIComponent(o.item.id)}`;
/** The offer is pushed (live stream): this poll only covers a push missed (reconnect). */
export const OFFER_POLL_MS = 30_000;

/** The box's refusal of an accept or skip in words (`details.reason`; a 409 without one: the offer expired). */
function refusalText(err: unknown): string {
  if (!(err instanceof ApiError) || err.status !== 409) return errText(err);
  const reason = (err.details as { reason?: string } | null)?.reason;
  if (reason === 'agentBusy' || reason === 'noLine' || reason === 'do_not_call') return to(`refusal.${reason}`);
  return reason ? errText(err) : to('refusal.expired');
}

export function ConsoleOffer({ agentState, pushes, connected }: { agentState: string | null; pushes: number; connected: boolean }) {
  const [offer, setOffer] = useState<FollowupOffer | null>(null);
  /** The offer accepted: its call is being made, then its outcome. */
  const [accepted, setAccepted] = useState<FollowupOffer | null>(null);
  const [day, setDay] = useState<CallbackDay | null>(null);
  const [skipNote, setSkipNote] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const reads = useRef(0);
  const refresh = () => {
    const n = ++reads.current;
    return api.get<{ offer: FollowupOffer | null }>('/api/v1/followups/offer').then(
      (r) => {
        if (n === reads.current) setOffer(r.offer);
      },
      (e: unknown) => setError(errText(e)),
    );
  };
  useEffect(() => {
    if (accepted) return;
    void refresh();
    const timer = setInterval(() => void refresh(), OFFER_POLL_MS);
    return () => clearInterval(timer);
  }, [accepted, agentState, pushes, connected]);
  // the call of the accepted offer: when the box closes it itself (nobody answered: recorded as no
  // answer, retried later), the outcome panel goes and says so
  useEffect(() => {
    if (!accepted) return;
    const timer = setInterval(() => {
      api.get<FollowupItem>(at(accepted)).then(
        (i) => {
          if (i.state === 'dialing') return;
          setAccepted(null);
          setDone(to('closedByBox', { result: tOr(`followupOutcome.${i.outcome ?? ''}`, i.outcome ?? i.state) }));
        },
        () => undefined,
      );
    }, 5_000);
    return () => clearInterval(timer);
  }, [accepted]);
  const act = async (fn: () => Promise<void>) => {
    setError('');
    setDone('');
    try {
      await fn();
    } catch (err) {
      setError(refusalText(err));
      void refresh();
    }
  };
  const accept = (o: FollowupOffer) =>
    act(async () => {
      await api.post(`${at(o)}/accept`, {});
      setDay(await fetchDay().catch(() => null));
      setAccepted(o);
      setOffer(null);
      setDone(to('calling'));
    });
  const skip = (o: FollowupOffer) =>
    act(async () => {
      await api.post(`${at(o)}/skip`, skipNote.trim() ? { note: skipNote.trim() } : {});
      setSkipNote('');
      setOffer(null);
      setDone(to('skipped'));
      // the next offer may have been pushed while the skip was on its way: read it afresh (older reads dropped)
      void refresh();
    });
  const shown = accepted ?? offer;
  return (
    <section class="card console-offer" aria-labelledby="h-offer" aria-live="polite">
      <h2 id="h-offer">{to('title')}</h2>
      <p class="muted hint">{to('hint')}</p>
      {shown ? (
        <div id="followup-offer" data-item={shown.item.id}>
          <dl class="facts small">
            <dt>{to('customer')}</dt>
            <dd class="offer-customer">
              {shown.customer?.name ?? to('unknownCustomer')}
              {shown.customer?.tags.length ? ` · ${shown.customer.tags.join(', ')}` : ''}
            </dd>
            <dt>{to('phone')}</dt>
            <dd>{shown.item.phone}</dd>
            <dt>{to('list')}</dt>
            <dd class="offer-list">
              {shown.list.name}（{tOr(`followupPurpose.${shown.list.purpose}`, shown.list.purpose)}）
              {shown.item.attempts ? ` · ${to('attempts', { n: shown.item.attempts })}` : ''}
            </dd>
            {shown.item.note ? (
              <>
                <dt>{to('note')}</dt>
                <dd class="offer-note">{shown.item.note}</dd>
              </>
            ) : null}
            {shown.list.script ? (
              <>
                <dt>{to('script')}</dt>
                <dd class="fu-script">{shown.list.script}</dd>
              </>
            ) : null}
          </dl>
          {accepted ? (
            day ? (
              <>
                <p>{to('outcomeTitle')}</p>
                <Outcome
                  item={accepted.item}
                  day={day}
                  onDone={(msg) => {
                    setAccepted(null);
                    setDone(msg);
                  }}
                />
              </>
            ) : null
          ) : (
            <>
              <p class="muted small">{to('expires', { t: fmtTime(shown.expiresAt) })}</p>
              <div class="row">
                <button type="button" id="offer-accept" onClick={() => void accept(shown)}>
                  {to('accept')}
                </button>
                <label class="visually-hidden" for="offer-skip-note">
                  {to('skipNote')}
                </label>
                <input
                  id="offer-skip-note"
                  placeholder={to('skipNote')}
                  maxLength={500}
                  value={skipNote}
                  onInput={(e) => setSkipNote(e.currentTarget.value)}
                />
                <button type="button" class="secondary" id="offer-skip" onClick={() => void skip(shown)}>
                  {to('skip')}
                </button>
              </div>
            </>
          )}
        </div>
      ) : (
        <p class="muted">{to('none')}</p>
      )}
      <Messages error={error} done={done} id="offer-done" />
    </section>
  );
}
