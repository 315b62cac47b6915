/**
 * 设置 / Setup (setup.admin: owner, technician): the box config edited in sections — 语音导航 IVR,
 * 队列 queues, 坐席与技能 agents and skills, 营业时间与节假日 hours and holidays, 录音保留 recording,
 * 线路与通道 lines, 语音提示 prompts (own API, saved at once), 通话小结 call result codes, 云端同步 cloud,
 * 日期与时间 date and time.
 * Every change is checked with the box (POST /api/v1/config/validate, after a short pause) and each
 * error is shown beside its field; 保存并生效 saves the whole config (PUT with If-Match: the version
 * it was loaded at) and the box applies it live for the next call. Parts that need a restart and a
 * config changed elsewhere meanwhile (409) are said so.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Config, ConfigApplyResult, ConfigCheck, ConfigIssue, ConfigSnapshot } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { type Key, t } from '../i18n.js';
import { AgentsSection } from './setup-agents.js';
import { BackupSection } from './setup-backup.js';
import { CloudSection } from './setup-cloud.js';
import { DispositionsSection } from './setup-dispositions.js';
import { FirmwareSection } from './setup-firmware.js';
import { IssuesContext, localIssue, type Update } from './setup-form.js';
import { HoursSection, RecordingSection } from './setup-hours.js';
import { IvrSection } from './setup-ivr.js';
import { LinesSection } from './setup-lines.js';
import { PromptsSection } from './setup-prompts.js';
import { QueuesSection } from './setup-queues.js';
import { TimeSection } from './setup-time.js';
import './setup.css';

const SECTIONS = [
  'lines',
  'ivr',
  'prompts',
  'queues',
  'agents',
  'hours',
  'recording',
  'dispositions',
  'cloud',
  'time',
  'firmware',
  'backup',
] as const;
/** Sections that need a permission beyond setup.admin (the others: everyone on this page). */
const NEEDS: Partial<Record<(typeof SECTIONS)[number], string>> = { backup: 'backup.admin' };
type Section = (typeof SECTIONS)[number];

function sectionFromHash(): Section {
  const h = typeof location === 'undefined' ? '' : location.hash.slice(1);
  return (SECTIONS as readonly string[]).includes(h) ? (h as Section) : 'ivr';
}

type Status = { kind: 'ok' | 'error' | 'conflict' | ''; text: string };

export function SetupPage({ session, onAuthLost }: { session: Session; onAuthLost: () => void }) {
  const [snap, setSnap] = useState<ConfigSnapshot | null>(null);
  const [draft, setDraft] = useState<Config | null>(null);
  const [issues, setIssues] = useState<ConfigIssue[]>([]);
  const [section, setSection] = useState<Section>(sectionFromHash);
  const [status, setStatus] = useState<Status>({ kind: '', text: '' });
  const [busy, setBusy] = useState(false);
  const checkSeq = useRef(0);

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return onAuthLost();
    setStatus({ kind: 'error', text: err instanceof ApiError ? err.message : t('networkError') });
  };
  const load = () =>
    api.get<ConfigSnapshot>('/api/v1/config').then((s) => {
      setSnap(s);
      setDraft(structuredClone(s.config));
      setIssues([]);
    }, fail);
  useEffect(() => {
    void load();
  }, []);
  const allowed = (s: Section) => NEEDS[s] === undefined || session.permissions.includes(NEEDS[s]);

  const dirty = useMemo(() => !!snap && !!draft && JSON.stringify(snap.config) !== JSON.stringify(draft), [snap, draft]);
  // every change is checked with the box after a short pause; the newest answer wins
  useEffect(() => {
    if (!draft || !dirty) return;
    const seq = ++checkSeq.current;
    const timer = setTimeout(() => {
      api.post<ConfigCheck>('/api/v1/config/validate', draft).then((r) => {
        if (seq === checkSeq.current) setIssues(r.errors);
      }, fail);
    }, 350);
    return () => clearTimeout(timer);
  }, [draft]);

  const update: Update = (fn) =>
    setDraft((d) => {
      if (!d) return d;
      const next = structuredClone(d);
      fn(next);
      return next;
    });

  const save = async () => {
    if (!draft || !snap) return;
    setBusy(true);
    setStatus({ kind: '', text: '' });
    try {
      const check = await api.post<ConfigCheck>('/api/v1/config/validate', draft);
      checkSeq.current++;
      setIssues(check.errors);
      if (!check.ok) return setStatus({ kind: 'error', text: t('setup.hasErrors', { n: check.errors.length }) });
      const r = await api.put<ConfigApplyResult>('/api/v1/config', draft, snap.version);
      await load();
      const restart = r.restartRequired.length ? ` ${t('setup.restartRequired', { paths: r.restartRequired.join(', ') })}` : '';
      setStatus({ kind: 'ok', text: `${t('setup.saved')}${restart}` });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') return setStatus({ kind: 'conflict', text: t('setup.conflict') });
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
        const errors = (err.details as { errors?: ConfigIssue[] } | null)?.errors ?? [];
        setIssues(errors);
        return setStatus({ kind: 'error', text: t('setup.hasErrors', { n: errors.length }) });
      }
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const byPath = useMemo(() => new Map(issues.map((i) => [i.path, i.message])), [issues]);
  const pick = (s: Section) => {
    setSection(s);
    history.replaceState(null, '', `#${s}`);
  };
  const Body = {
    lines: LinesSection,
    ivr: IvrSection,
    prompts: PromptsSection,
    queues: QueuesSection,
    agents: AgentsSection,
    hours: HoursSection,
    recording: RecordingSection,
    dispositions: DispositionsSection,
    cloud: CloudSection,
    time: TimeSection,
    firmware: FirmwareSection,
    backup: BackupSection,
  }[section];
  return (
    <main class="page setup">
      <h1>{t('setup.title')}</h1>
      <fieldset class="setup-tabs">
        <legend class="visually-hidden">{t('setup.sections')}</legend>
        {SECTIONS.filter(allowed).map((s) => (
          <button key={s} type="button" class={s === section ? '' : 'secondary'} aria-pressed={s === section} onClick={() => pick(s)}>
            {t(`setup.section.${s}` as Key)}
          </button>
        ))}
      </fieldset>
      {snap && snap.restartRequired.length > 0 ? (
        <p class="muted">{t('setup.pendingRestart', { paths: snap.restartRequired.join(', ') })}</p>
      ) : null}
      {issues.length > 0 ? (
        <div class="card setup-issues" role="alert" id="setup-issues">
          <h2>{t('setup.issues', { n: issues.length })}</h2>
          <ul>
            {issues.map((i) => (
              <li key={i.path}>
                <code>{i.path}</code> {localIssue(i.message)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <IssuesContext.Provider value={byPath}>
        {!draft ? <p class="muted">{t('setup.loading')}</p> : allowed(section) ? <Body cfg={draft} update={update} /> : null}
      </IssuesContext.Provider>
      <div class="setup-bar card">
        <button type="button" id="setup-save" disabled={!dirty || busy} onClick={() => void save()}>
          {busy ? t('setup.saving') : t('setup.save')}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!dirty || busy}
          onClick={() => {
            if (!snap) return;
            setDraft(structuredClone(snap.config));
            setIssues([]);
          }}
        >
          {t('setup.discard')}
        </button>
        {status.kind === 'conflict' ? (
          <button type="button" class="secondary" onClick={() => void load().then(() => setStatus({ kind: '', text: '' }))}>
            {t('setup.reload')}
          </button>
        ) : null}
        <p class={status.kind === 'ok' ? 'ok' : status.kind === '' ? 'muted' : 'error'} role="status" id="setup-status">
          {status.text || (dirty ? t('setup.unsaved') : '')}
        </p>
      </div>
    </main>
  );
}
