/**
 * 质检评分 / QA scoring of one recorded call: a score 0-100 and a note per criterion of the chosen
 * scorecard, an overall comment; the box computes the total and pass/fail (shown after saving).
 * The scorer's own earlier review fills the form (saving again updates it). Below: every review of
 * the call and, with two or more scorers, the calibration view (校准: the difference per criterion).
 * Also the recording player used on the QA page (the Calls page has its own beside this panel).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Calibration, RecordingInfo, Review, Scorecard } from '../../../../firmware/src/service/types.js';
import { api, type Session } from '../api.js';
import { fmtDateTime, fmtDuration, lang, t } from '../i18n.js';
import { Field, Messages, qs, useRun } from '../ui.js';
import './qa.css';

const label = (c: { labelZh: string; labelEn: string }) => (lang() === 'zh-CN' ? c.labelZh : c.labelEn);

export function Verdict({ r }: { r: Pick<Review, 'total' | 'passed' | 'autoFailed' | 'passMark'> }) {
  return (
    <span class={r.passed ? 'qa-pass' : 'qa-fail'}>
      {t('qa.total')} {r.total} / {t('qa.passMark')} {r.passMark} ·{' '}
      {r.autoFailed ? t('qa.autoFailed') : r.passed ? t('qa.passed') : t('qa.failed')}
    </span>
  );
}

function CalibrationView({ callId, version }: { callId: string; version: number }) {
  const [cal, setCal] = useState<Calibration | null>(null);
  useEffect(() => {
    api.get<Calibration>(`/api/v1/qa/calibration${qs({ call: callId })}`).then(setCal, () => setCal(null));
  }, [callId, version]);
  if (!cal) return null;
  return (
    <div class="table-wrap">
      <h4>{t('qa.calibration')}</h4>
      <table class="calls qa-calibration" id="qa-calibration">
        <thead>
          <tr>
            <th scope="col">{t('qa.criterion')}</th>
            {cal.scorers.map((s) => (
              <th scope="col" class="num" key={s}>
                {s}
              </th>
            ))}
            <th scope="col" class="num">
              {t('qa.spread')}
            </th>
          </tr>
        </thead>
        <tbody>
          {cal.criteria.map((c) => (
            <tr key={c.key} class={c.spread > 0 ? 'qa-differs' : ''}>
              <td>{label(c)}</td>
              {cal.scorers.map((s) => (
                <td class="num" key={s}>
                  {c.scores[s] ?? '—'}
                </td>
              ))}
              <td class="num" data-spread={c.key}>
                {c.spread}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted" id="qa-total-spread">
        {t('qa.totalSpread', { d: cal.totalSpread })} · {cal.verdictsAgree ? t('qa.verdictsAgree') : t('qa.verdictsDiffer')}
      </p>
    </div>
  );
}

export function ScoringPanel({ callId, session, onSaved }: { callId: string; session: Session; onSaved?: () => void }) {
  const [cards, setCards] = useState<Scorecard[]>([]);
  const [cardId, setCardId] = useState('');
  const [reviews, setReviews] = useState<Review[]>([]);
  const [scores, setScores] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<Review | null>(null);
  const [tick, setTick] = useState(0);
  const { error, done, busy, run } = useRun();

  useEffect(() => {
    api.get<{ items: Scorecard[] }>('/api/v1/qa/scorecards').then(
      (r) => {
        setCards(r.items);
        setCardId((cur) => cur || (r.items[0]?.id ?? ''));
      },
      () => setCards([]),
    );
  }, []);
  useEffect(() => {
    api.get<{ items: Review[] }>(`/api/v1/qa/reviews${qs({ call: callId, limit: 100 })}`).then(
      (r) => {
        setReviews(r.items);
        const mine = r.items.find((x) => x.scorer === session.username);
        if (mine && tick === 0) {
          setCardId(mine.scorecardId);
          setScores(Object.fromEntries(mine.scores.map((s) => [s.key, String(s.score)])));
          setNotes(Object.fromEntries(mine.scores.map((s) => [s.key, s.comment])));
          setComment(mine.comment);
          setSaved(mine);
        }
      },
      () => setReviews([]),
    );
  }, [callId, tick]);

  const card = cards.find((c) => c.id === cardId);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!card) return;
    const body = {
      callId,
      scorecardId: card.id,
      scores: card.criteria.map((c) => ({ key: c.key, score: Number(scores[c.key] ?? ''), comment: notes[c.key] ?? '' })),
      comment,
    };
    const r = await run(() => api.post<Review>('/api/v1/qa/reviews', body), t('qa.saved'));
    if (r) {
      setSaved(r);
      setTick((n) => n + 1);
      onSaved?.();
    }
  };
  const scorers = new Set(reviews.map((r) => r.scorer));

  return (
    <section class="card qa-panel" id="qa-panel" aria-labelledby="h-qa-panel">
      <h3 id="h-qa-panel">{t('qa.panel')}</h3>
      {card ? (
        <form onSubmit={submit}>
          {cards.length > 1 ? (
            <Field id="qa-card" label={t('qa.scorecard')}>
              <select id="qa-card" value={cardId} onChange={(e) => setCardId((e.target as HTMLSelectElement).value)}>
                {cards.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
          ) : (
            <p class="muted">
              {card.name} · {t('qa.passMark')} {card.passMark}
            </p>
          )}
          <ul class="qa-criteria">
            {card.criteria.map((c) => (
              <li key={c.key}>
                <label for={`qa-score-${c.key}`}>
                  {label(c)} <span class="muted">×{c.weight}</span>
                  {c.critical ? <span class="qa-critical"> {t('qa.critical')}</span> : null}
                </label>
                <input
                  id={`qa-score-${c.key}`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={100}
                  step={1}
                  required
                  aria-label={`${label(c)} ${t('qa.points')}`}
                  value={scores[c.key] ?? ''}
                  onInput={(e) => setScores({ ...scores, [c.key]: (e.target as HTMLInputElement).value })}
                />
                <input
                  id={`qa-note-${c.key}`}
                  type="text"
                  maxLength={500}
                  placeholder={t('qa.itemComment')}
                  aria-label={`${label(c)} ${t('qa.itemComment')}`}
                  value={notes[c.key] ?? ''}
                  onInput={(e) => setNotes({ ...notes, [c.key]: (e.target as HTMLInputElement).value })}
                />
              </li>
            ))}
          </ul>
          <Field id="qa-comment" label={t('qa.comment')}>
            <textarea
              id="qa-comment"
              maxLength={2000}
              rows={3}
              value={comment}
              onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
            />
          </Field>
          <button type="submit" id="qa-save" disabled={busy}>
            {t('qa.save')}
          </button>
        </form>
      ) : null}
      <Messages error={error} done={done} id="qa-saved" />
      {saved ? (
        <p id="qa-result">
          <Verdict r={saved} />
        </p>
      ) : null}
      {reviews.length > 0 ? (
        <>
          <h4>{t('qa.otherReviews')}</h4>
          <ul class="qa-reviews" id="qa-call-reviews">
            {reviews.map((r) => (
              <li key={r.id}>
                {r.scorer} · <Verdict r={r} />
                {r.comment ? <span class="muted"> · {r.comment}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {scorers.size >= 2 ? <CalibrationView callId={callId} version={tick} /> : null}
    </section>
  );
}

/** The call's recordings as players (QA page). */
export function CallRecordings({ callId }: { callId: string }) {
  const [recs, setRecs] = useState<RecordingInfo[] | null>(null);
  useEffect(() => {
    api.get<{ recordings: RecordingInfo[] }>(`/api/v1/recordings${qs({ callId })}`).then(
      (r) => setRecs(r.recordings),
      () => setRecs([]),
    );
  }, [callId]);
  if (recs === null) return null;
  if (recs.length === 0) return <p class="muted">{t('qa.noRecording')}</p>;
  return (
    <ul class="recordings">
      {recs.map((rec) => (
        <li class="recording" key={rec.id}>
          <span>
            {fmtDateTime(rec.startedAt)} · {fmtDuration(rec.durationMs / 1000)}
          </span>
          {/* biome-ignore lint/a11y/useMediaCaption: call recordings have no captions */}
          <audio controls preload="metadata" src={`/api/v1/recordings/${encodeURIComponent(rec.id)}/audio`} />
        </li>
      ))}
    </ul>
  );
}
