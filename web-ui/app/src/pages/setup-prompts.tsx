/**
 * 语音提示 / voice prompts (docs/api/prompts.md): the prompts of one language, each playable, with
 * the shop's own marked; replace one by a file (WAV/MP3/…, converted on the box), a recording from
 * the browser's microphone (MediaRecorder → the same upload) or a text spoken by the box (TTS:
 * espeak-ng, zh-CN/en); revert to the built-in one. A new name makes a new prompt for the IVR
 * editor's prompt fields. Saved at once by its own API, not by the page's 保存并生效. The list is
 * grouped by use and narrowed by a search (prompt-groups.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PromptInfo, PromptLanguage } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { useRun } from '../ui.js';
import { groupLabel, groupPrompts } from './prompt-groups.js';

const LANGUAGES: readonly PromptLanguage[] = ['zh-CN', 'en'];
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const base = (p: { language: string; name: string }) => `/api/v1/prompts/${p.language}/${encodeURIComponent(p.name)}`;

function Recorder({ onDone }: { onDone: (b: Blob) => void }) {
  const [rec, setRec] = useState<MediaRecorder | null>(null);
  const [error, setError] = useState('');
  const chunks = useRef<Blob[]>([]);
  if (typeof MediaRecorder === 'undefined') return null;
  const start = async () => {
    setError('');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const r = new MediaRecorder(stream);
      chunks.current = [];
      r.ondataavailable = (e) => chunks.current.push(e.data);
      r.onstop = () => {
        for (const tr of stream.getTracks()) tr.stop();
        onDone(new Blob(chunks.current, { type: r.mimeType || 'audio/webm' }));
      };
      r.start();
      setRec(r);
    } catch (err) {
      setError(t('prompts.noMic', { e: String((err as Error).message ?? err) }));
    }
  };
  return (
    <>
      <button
        type="button"
        class={rec ? 'danger' : 'secondary'}
        data-action="record"
        onClick={() => {
          if (rec) {
            rec.stop();
            setRec(null);
          } else void start();
        }}
      >
        {rec ? t('prompts.stop') : t('prompts.record')}
      </button>
      {error ? <span class="error small">{error}</span> : null}
    </>
  );
}

function PromptRow({ p, onChanged }: { p: PromptInfo; onChanged: (p: PromptInfo, message: string) => void }) {
  const [text, setText] = useState('');
  const [tts, setTts] = useState(false);
  const { error, busy, run } = useRun();
  const file = useRef<HTMLInputElement>(null);
  const upload = async (blob: Blob, source: 'upload' | 'recording') => {
    const r = await run(() =>
      api.upload<PromptInfo>(
        `${base(p)}${source === 'recording' ? '?source=recording' : ''}`,
        blob,
        blob.type || 'application/octet-stream',
        'PUT',
      ),
    );
    if (r) onChanged(r, t('prompts.replaced', { name: p.name }));
  };
  return (
    <li class="card prompt-row" data-prompt={`${p.language}/${p.name}`}>
      <div class="row between">
        <strong>{p.name}</strong>
        <span class="small">
          {p.custom ? <span class="badge active">{t('prompts.custom')}</span> : <span class="muted">{t('prompts.builtIn')}</span>}
          {p.durationS !== null ? ` · ${t('prompts.seconds', { s: p.durationS.toFixed(1) })}` : ''}
        </span>
      </div>
      {p.custom || p.builtIn ? (
        // biome-ignore lint/a11y/useMediaCaption: a prompt's words are in the IVR's prompt list, not captions
        <audio controls preload="none" src={`${base(p)}.wav?v=${p.custom ? 'c' : 'b'}${p.durationS ?? ''}`} aria-label={p.name} />
      ) : null}
      <div class="row prompt-actions">
        <button type="button" class="secondary" data-action="upload" disabled={busy} onClick={() => file.current?.click()}>
          {t('prompts.upload')}
        </button>
        <input
          ref={file}
          type="file"
          accept="audio/*,.wav,.mp3,.ogg,.m4a,.webm"
          class="visually-hidden"
          aria-label={t('prompts.upload')}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void upload(f, 'upload');
          }}
        />
        <Recorder onDone={(b) => void upload(b, 'recording')} />
        <button type="button" class="secondary" data-action="tts" onClick={() => setTts(!tts)}>
          {t('prompts.tts')}
        </button>
        {p.custom && p.builtIn ? (
          <button
            type="button"
            class="link danger"
            data-action="revert"
            disabled={busy}
            onClick={async () => {
              const r = await run(() => api.delete<PromptInfo>(base(p)));
              if (r) onChanged(r, t('prompts.reverted', { name: p.name }));
            }}
          >
            {t('prompts.revert')}
          </button>
        ) : null}
      </div>
      {tts ? (
        <form
          class="prompt-tts"
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await run(() => api.post<PromptInfo>(`${base(p)}/tts`, { text }));
            if (r) {
              setTts(false);
              onChanged(r, t('prompts.spoken', { name: p.name }));
            }
          }}
        >
          <label>
            {t('prompts.ttsText')}
            <textarea rows={2} maxLength={500} required value={text} onInput={(e) => setText(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || text.trim() === ''}>
            {busy ? t('prompts.working') : t('prompts.speak')}
          </button>
        </form>
      ) : null}
      {busy ? <p class="muted small">{t('prompts.working')}</p> : null}
      <p class="error small" role="alert">
        {error}
      </p>
    </li>
  );
}

export function PromptsSection() {
  const [language, setLanguage] = useState<PromptLanguage>('zh-CN');
  const [list, setList] = useState<PromptInfo[] | null>(null);
  const [done, setDone] = useState('');
  const [newName, setNewName] = useState('');
  const [extra, setExtra] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const { error, run } = useRun();
  useEffect(() => {
    void run(() => api.get<{ prompts: PromptInfo[] }>('/api/v1/prompts')).then((r) => r && setList(r.prompts));
  }, []);
  const changed = (p: PromptInfo, message: string) => {
    setList((l) => [...(l ?? []).filter((x) => !(x.language === p.language && x.name === p.name)), p]);
    setDone(message);
  };
  const shown = [
    ...(list ?? []).filter((p) => p.language === language),
    ...extra
      .filter((n) => !(list ?? []).some((p) => p.language === language && p.name === n))
      .map((name) => ({ language, name, custom: false, builtIn: false, durationS: null })),
  ];
  const groups = groupPrompts(shown, query, (g) => t(groupLabel(g)));
  return (
    <section aria-labelledby="h-prompts" class="setup-section prompts">
      <h2 id="h-prompts">{t('prompts.title')}</h2>
      <p class="muted">{t('prompts.hint')}</p>
      <div class="row">
        {LANGUAGES.map((l) => (
          <button
            key={l}
            type="button"
            class={l === language ? '' : 'secondary'}
            aria-pressed={l === language}
            onClick={() => setLanguage(l)}
          >
            {l === 'zh-CN' ? '中文 zh-CN' : 'English en'}
          </button>
        ))}
      </div>
      <form
        class="row prompt-new"
        onSubmit={(e) => {
          e.preventDefault();
          if (NAME.test(newName)) {
            setExtra((x) => [...x, newName]);
            setNewName('');
          }
        }}
      >
        <label>
          {t('prompts.newName')}{' '}
          <input
            id="prompt-new-name"
            value={newName}
            pattern="[a-z0-9][a-z0-9-]{0,63}"
            placeholder="promo-double11"
            onInput={(e) => setNewName(e.currentTarget.value.trim())}
          />
        </label>
        <button type="submit" class="secondary" disabled={!NAME.test(newName)}>
          {t('prompts.add')}
        </button>
      </form>
      <p class="ok" role="status" id="prompts-done">
        {done}
      </p>
      <p class="error" role="alert">
        {error}
      </p>
      {list === null ? <p class="muted">{t('setup.loading')}</p> : null}
      <label class="prompt-filter">
        {t('prompts.filter')} <input id="prompt-filter" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      <div id="prompt-list">
        {list !== null && groups.length === 0 ? <p class="muted">{t('prompts.none')}</p> : null}
        {groups.map(({ group, prompts }) => (
          <section key={group} class="prompt-group" data-group={group} aria-labelledby={`h-prompts-${group}`}>
            <h3 id={`h-prompts-${group}`}>
              {t(groupLabel(group))} <span class="muted small">{t('prompts.count', { n: prompts.length })}</span>
            </h3>
            <ul class="prompt-list">
              {prompts.map((p) => (
                <PromptRow key={`${p.language}/${p.name}`} p={p} onChanged={changed} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}
