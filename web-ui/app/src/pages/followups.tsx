/**
 * 回访 / Follow-ups (`/followups`, followups.read): the open items of the follow-up lists grouped
 * into overdue (已逾期), due today (今日待回访) and later, optionally of one list; each shows the
 * phone (masked by role), list and its script (话术), note, attempts. Record a result
 * (followups.work: reached, refused, wrong number, no answer, busy, call back later at a time)
 * and reschedule a pending item (followups.write). The dialer's preview offers live in the
 * agent console; this page is the lists' desk. Owners and supervisors also manage the lists
 * themselves on the 回访名单 tab (`/followups/lists`, followup-lists.tsx).
 */
import './records.css';
import './followups.css';
import { useEffect, useState } from 'preact/hooks';
import type { FollowupItem, FollowupList, FollowupOutcome } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { areaText, fmtDateTime, t, tOr } from '../i18n.js';
import { useSubPath } from '../nav.js';
import { RecordTabs } from '../record-list.js';
import { followupListsZh } from '../text/followup-lists.js';
import { followupListsEn } from '../text/followup-lists.en.js';
import { FollowupLists } from './followup-lists.js';
import { groupFollowups, isoFromLocalInput, localInputValue, OPEN_STATES, OUTCOMES } from './followup-data.js';

const tl = areaText(followupListsZh, followupListsEn);

type Mode = { kind: 'result' } | { kind: 'reschedule' } | null;

function ItemCard({
  item,
  list,
  session,
  onDone,
}: {
  item: FollowupItem;
  list: FollowupList | undefined;
  session: Session;
  onDone: (message: string) => void;
}) {
  const [mode, setMode] = useState<Mode>(null);
  const [outcome, setOutcome] = useState<FollowupOutcome>('reached');
  const [note, setNote] = useState('');
  const [when, setWhen] = useState(() => localInputValue(new Date(Date.now() + 3600_000)));
  const [error, setError] = useState('');
  const canWrite = session.permissions.includes('followups.write');
  // an agent records results of their own items only (offered to or assigned to them); the box checks it too
  const mine = item.offeredTo === session.username || item.assignee === session.username;
  const canWork = session.permissions.includes('followups.work') && (canWrite || mine);
  const base = `/api/v1/followups/items/${encodeURIComponent(item.id)}`;
  const run = async (fn: () => Promise<string>) => {
    setError('');
    try {
      onDone(await fn());
      setMode(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const record = (e: Event) => {
    e.preventDefault();
    const callbackAt = outcome === 'callback_later' ? isoFromLocalInput(when) : null;
    if (outcome === 'callback_later' && !callbackAt) return setError(t('followups.badTime'));
    void run(async () => {
      await api.post(`${base}/outcome`, { outcome, ...(note.trim() ? { note: note.trim() } : {}), ...(callbackAt ? { callbackAt } : {}) });
      return t('followups.done', { result: tOr(`followupOutcome.${outcome}`, outcome) });
    });
  };
  const reschedule = (e: Event) => {
    e.preventDefault();
    const dueAt = isoFromLocalInput(when);
    if (!dueAt) return setError(t('followups.badTime'));
    void run(async () => {
      await api.patch(base, { dueAt, version: item.version });
      return t('followups.rescheduled', { time: fmtDateTime(dueAt) });
    });
  };
  const id = item.id;
  return (
    <li class="card fu-item" data-item={id}>
      <div class="fu-head">
        <span class="fu-phone">{item.phone}</span>
        <span class="status">{tOr(`followupState.${item.state}`, item.state)}</span>
      </div>
      <dl class="facts small">
        <dt>{t('followups.due')}</dt>
        <dd>{fmtDateTime(item.nextAt)}</dd>
        <dt>{t('followups.list')}</dt>
        <dd>
          {list ? `${list.name}（${tOr(`followupPurpose.${list.purpose}`, list.purpose)}）` : item.listId}
          {item.attempts ? ` · ${t('followups.attempts', { n: item.attempts })}` : ''}
        </dd>
        {item.note ? (
          <>
            <dt>{t('followups.note')}</dt>
            <dd>{item.note}</dd>
          </>
        ) : null}
        {list?.script ? (
          <>
            <dt>{t('followups.script')}</dt>
            <dd class="fu-script">{list.script}</dd>
          </>
        ) : null}
      </dl>
      <div class="row fu-actions">
        {canWork ? (
          <button
            type="button"
            class="secondary"
            aria-expanded={mode?.kind === 'result'}
            onClick={() => setMode(mode?.kind === 'result' ? null : { kind: 'result' })}
          >
            {t('followups.markDone')}
          </button>
        ) : null}
        {canWrite && item.state === 'pending' ? (
          <button
            type="button"
            class="secondary"
            aria-expanded={mode?.kind === 'reschedule'}
            onClick={() => setMode(mode?.kind === 'reschedule' ? null : { kind: 'reschedule' })}
          >
            {t('followups.reschedule')}
          </button>
        ) : null}
      </div>
      {mode?.kind === 'result' ? (
        <form class="stack fu-form" onSubmit={record}>
          <label for={`fo-${id}`}>{t('followups.result')}</label>
          <select id={`fo-${id}`} class="fu-outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as FollowupOutcome)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {tOr(`followupOutcome.${o}`, o)}
              </option>
            ))}
          </select>
          {outcome === 'callback_later' ? (
            <>
              <label for={`fw-${id}`}>{t('followups.newTime')}</label>
              <input id={`fw-${id}`} type="datetime-local" required value={when} onInput={(e) => setWhen(e.currentTarget.value)} />
            </>
          ) : null}
          <label for={`fn-${id}`}>{t('followups.resultNote')}</label>
          <textarea
            id={`fn-${id}`}
            class="fu-note"
            rows={2}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <div class="row">
            <button type="submit">{t('followups.save')}</button>
            <button type="button" class="secondary" onClick={() => setMode(null)}>
              {t('followups.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {mode?.kind === 'reschedule' ? (
        <form class="stack fu-form" onSubmit={reschedule}>
          <label for={`fr-${id}`}>{t('followups.newTime')}</label>
          <input
            id={`fr-${id}`}
            class="fu-when"
            type="datetime-local"
            required
            value={when}
            onInput={(e) => setWhen(e.currentTarget.value)}
          />
          <div class="row">
            <button type="submit">{t('followups.save')}</button>
            <button type="button" class="secondary" onClick={() => setMode(null)}>
              {t('followups.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <p class="error" role="alert">
        {error}
      </p>
    </li>
  );
}

function Group({
  id,
  title,
  items,
  lists,
  session,
  onDone,
}: {
  id: string;
  title: string;
  items: FollowupItem[];
  lists: Map<string, FollowupList>;
  session: Session;
  onDone: (m: string) => void;
}) {
  return (
    <section class="fu-group" id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        {title} <span class="muted small">{t('followups.count', { n: items.length })}</span>
      </h2>
      {items.length === 0 ? (
        <p class="muted">{t('followups.none')}</p>
      ) : (
        <ul class="fu-items">
          {items.map((i) => (
            <ItemCard key={`${i.id}-${i.version}`} item={i} list={lists.get(i.listId)} session={session} onDone={onDone} />
          ))}
        </ul>
      )}
    </section>
  );
}

const TABS = [
  { sub: '', label: 'tabItems' },
  { sub: 'lists', label: 'tabLists' },
] as const;

/** The page: the open items, and for who may write (owner, supervisor) the lists' tab (followup-lists.tsx). */
export function FollowupsPage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [sub = ''] = useSubPath();
  const canWrite = session.permissions.includes('followups.write');
  const lists = canWrite && sub === 'lists';
  return (
    <main class="page followups">
      <h1>{t('followups.title')}</h1>
      {canWrite ? (
        <RecordTabs
          page="followups"
          label={t('followups.title')}
          tabs={TABS.map((x) => ({ sub: x.sub, label: tl(x.label) }))}
          current={lists ? 'lists' : ''}
        />
      ) : null}
      {lists ? <FollowupLists /> : <FollowupItems session={session} onAuthLost={onAuthLost} />}
    </main>
  );
}

function FollowupItems({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [lists, setLists] = useState<FollowupList[]>([]);
  const [listId, setListId] = useState('');
  const [items, setItems] = useState<FollowupItem[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = async () => {
    const scope = listId ? `&listId=${encodeURIComponent(listId)}` : '';
    const [l, ...pages] = await Promise.all([
      api.get<{ items: FollowupList[] }>('/api/v1/followups/lists'),
      ...OPEN_STATES.map((s) => api.get<{ items: FollowupItem[] }>(`/api/v1/followups/items?state=${s}&limit=500${scope}`)),
    ]);
    setLists(l.items);
    setItems(pages.flatMap((p) => p.items));
  };
  const reload = () =>
    load().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onAuthLost();
      setError(e instanceof Error ? e.message : String(e));
    });
  useEffect(() => {
    void reload();
  }, [listId]);
  const onDone = (m: string) => {
    setDone(m);
    void reload();
  };
  const byId = new Map(lists.map((l) => [l.id, l]));
  const g = groupFollowups(items, new Date());
  const common = { lists: byId, session, onDone };
  return (
    <>
      <div class="row rec-filters">
        <label for="fu-list">{t('followups.list')}</label>
        <select id="fu-list" value={listId} onChange={(e) => setListId(e.currentTarget.value)}>
          <option value="">{t('followups.allLists')}</option>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" onClick={() => void reload()}>
          {t('followups.refresh')}
        </button>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
      <p class="ok" role="status" id="followups-done">
        {done}
      </p>
      <div class="fu-columns">
        <Group id="fu-overdue" title={t('followups.overdue')} items={g.overdue} {...common} />
        <Group id="fu-today" title={t('followups.dueToday')} items={g.today} {...common} />
      </div>
      {g.later.length ? <Group id="fu-later" title={t('followups.later')} items={g.later} {...common} /> : null}
    </>
  );
}
