/**
 * 质检 / QA page. Supervisors and the owner (qa.score): the review queue of calls the box flagged
 * (待质检), every review (质检记录), and a call's scoring view (/qa/<callId>: the recording player
 * beside the scoring panel). The owner (qa.admin) also edits the scorecards (评分表). Agents
 * (qa.own) see their own scores and comments (我的质检).
 */
import { useEffect, useState } from 'preact/hooks';
import type { FlaggedCall, Review } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, lang, t } from '../i18n.js';
import { navigate, onNav, useSubPath } from '../nav.js';
import { Messages, qs, useRun } from '../ui.js';
import { useItems } from '../use-items.js';
import { ScorecardEditor } from './qa-cards.js';
import { CallRecordings, ScoringPanel, Verdict } from './qa-score.js';
import './qa.css';

type Tab = 'queue' | 'reviews' | 'mine' | 'cards';

function Queue({ onChange }: { onChange: number }) {
  const [items, setItems] = useState<FlaggedCall[] | null>(null);
  const [tick, setTick] = useState(0);
  const { error, done, run } = useRun();
  useEffect(() => {
    api.get<{ items: FlaggedCall[] }>('/api/v1/qa/flags').then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [tick, onChange]);
  const dismiss = async (callId: string) => {
    await run(() => api.post(`/api/v1/qa/flags/${encodeURIComponent(callId)}/dismiss`, {}), t('qa.dismissed'));
    setTick((n) => n + 1);
  };
  if (items === null) return null;
  return (
    <>
      <p class="muted">{t('qa.queueHint')}</p>
      <Messages error={error} done={done} />
      {items.length === 0 ? (
        <p class="muted" id="qa-no-flags">
          {t('qa.noFlags')}
        </p>
      ) : null}
      <ul class="qa-queue" id="qa-queue">
        {items.map((f) => (
          <li key={f.callId} data-call={f.callId}>
            <span>{fmtDateTime(f.startedAt)}</span>
            <span>
              {t('qa.agent')} {f.agent ?? '—'}
            </span>
            {f.flags.map((x) => (
              <span class="qa-flag" key={x.kind} data-flag={x.kind}>
                {t(`qa.flag.${x.kind}`, { v: x.value })}
              </span>
            ))}
            <a class="button" href={`/qa/${encodeURIComponent(f.callId)}`} onClick={onNav(`/qa/${encodeURIComponent(f.callId)}`)}>
              {t('qa.score')}
            </a>
            <button type="button" class="secondary" onClick={() => dismiss(f.callId)}>
              {t('qa.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function ReviewList({ own }: { own: boolean }) {
  const { items, error } = useItems<Review>(`/api/v1/qa/reviews${qs({ limit: 100 })}`, own);
  return (
    <>
      <Messages error={error} />
      {items?.length === 0 ? <p class="muted">{t('qa.noReviews')}</p> : null}
      <ul class="qa-reviews" id={own ? 'qa-mine' : 'qa-reviews'}>
        {(items ?? []).map((r) => (
          <li key={r.id} class="card">
            <div>
              {fmtDateTime(r.callStartedAt)} · {t('qa.agent')} {r.agent ?? '—'} · {t('qa.scorer')} {r.scorer} · <Verdict r={r} />{' '}
              {own ? null : (
                <a href={`/qa/${encodeURIComponent(r.callId)}`} onClick={onNav(`/qa/${encodeURIComponent(r.callId)}`)}>
                  {t('qa.call')}
                </a>
              )}
            </div>
            {r.comment ? <p>{r.comment}</p> : null}
            <ul class="qa-scores">
              {r.scores.map((s) => {
                const c = r.criteria.find((x) => x.key === s.key);
                return (
                  <li key={s.key}>
                    {c ? (lang() === 'zh-CN' ? c.labelZh : c.labelEn) : s.key}: {s.score}
                    {s.comment ? <span class="muted"> · {s.comment}</span> : null}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}

export function QaPage({ session }: { session: Session }) {
  const [sub] = useSubPath();
  const canScore = session.permissions.includes('qa.score');
  const canAdmin = session.permissions.includes('qa.admin');
  const tabs: Tab[] = canScore ? ['queue', 'reviews', ...(canAdmin ? (['cards'] as Tab[]) : [])] : ['mine'];
  const [tab, setTab] = useState<Tab>(tabs[0] as Tab);
  const [saves, setSaves] = useState(0);
  if (!canScore && !session.agentId) {
    return (
      <main class="page qa">
        <h1>{t('qa.title')}</h1>
        <p class="muted">{t('qa.notLinked')}</p>
      </main>
    );
  }
  const tabLabel: Record<Tab, string> = {
    queue: t('qa.tabQueue'),
    reviews: t('qa.tabReviews'),
    mine: t('qa.tabMine'),
    cards: t('qa.tabCards'),
  };
  return (
    <main class="page qa">
      <h1>{t('qa.title')}</h1>
      {sub && canScore ? (
        <div class="qa-work" id="qa-work">
          <section class="card">
            <div class="row between">
              <h2>
                {t('qa.call')} {sub}
              </h2>
              <button type="button" class="link" onClick={() => navigate('/qa')}>
                {t('calls.close')}
              </button>
            </div>
            <CallRecordings callId={sub} />
          </section>
          <ScoringPanel callId={sub} session={session} onSaved={() => setSaves((n) => n + 1)} />
        </div>
      ) : null}
      {tabs.length > 1 ? (
        <nav class="qa-tabs" aria-label={t('qa.title')}>
          {tabs.map((x) => (
            <button type="button" key={x} id={`qa-tab-${x}`} class="secondary" aria-pressed={tab === x} onClick={() => setTab(x)}>
              {tabLabel[x]}
            </button>
          ))}
        </nav>
      ) : (
        <h2>{tabLabel[tab]}</h2>
      )}
      {tab === 'queue' ? <Queue onChange={saves} /> : null}
      {tab === 'reviews' ? <ReviewList own={false} key={saves} /> : null}
      {tab === 'mine' ? <ReviewList own /> : null}
      {tab === 'cards' ? <ScorecardEditor /> : null}
    </main>
  );
}
