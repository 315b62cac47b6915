/**
 * Form pieces of the setup pages: labelled inputs bound to a JSON pointer of the config, each
 * showing the box's validation message for its path right beside it (aria-invalid +
 * aria-describedby), and the editor of an IVR action (queue, menu, agent, voicemail, callback request, hang up).
 */
import { createContext, type VNode } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Config } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { type Key, t } from '../i18n.js';

export type Menu = Config['ivr']['menus'][string];
export type Action = Menu['onTimeout'];
/** Change the draft config (the page clones it, applies the change, re-validates with the box). */
export type Update = (fn: (c: Config) => void) => void;
export interface SectionProps {
  cfg: Config;
  update: Update;
}

/** GET `path` at once and every `ms` while shown: the last answer, null until the first (a failed poll keeps the last). */
export function usePolled<T>(path: string, ms: number): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api.get<T>(path).then(
        (v) => live && setValue(v),
        () => undefined,
      );
    void load();
    const timer = setInterval(load, ms);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path, ms]);
  return value;
}

/** The box's validation messages by JSON pointer. */
export const IssuesContext = createContext<ReadonlyMap<string, string>>(new Map());

const WHAT: Record<string, Key> = {
  queue: 'setup.what.queue',
  menu: 'setup.what.menu',
  agent: 'setup.what.agent',
  'voicemail box': 'setup.what.box',
  extension: 'setup.what.extension',
};

const what = (w: string): string => {
  const key = WHAT[w] ?? (w.endsWith(' id') ? WHAT[w.slice(0, -3)] : undefined);
  return key ? t(key) : w;
};

/** The box's message (English) in the page's language: the common forms are translated, others kept. */
export function localIssue(message: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^must be an integer >= (-?\d+)/, (m) => t('setup.err.intMin', { n: m[1] ?? '' })],
    [/^must be an integer <= (-?\d+)/, (m) => t('setup.err.intMax', { n: m[1] ?? '' })],
    [/^must be an integer/, () => t('setup.err.int')],
    [/^is required/, () => t('setup.err.required')],
    [/^must not be empty/, () => t('setup.err.empty')],
    [/^must be at least (\d+) characters/, (m) => t('setup.err.minLength', { n: m[1] ?? '' })],
    // the SIP fields' patterns (extension, outside-line prefix, DID) before the ids' generic one
    [/^must match \^\[0-9a-z_-\]\{1,20\}\$$/, () => t('setup.err.sipUser')],
    [/^must match \^\[0-9\]\{1,(\d+)\}\$$/, (m) => t('setup.err.digits', { n: m[1] ?? '' })],
    [/^must match \^\\\+\?\[0-9\]\{3,20\}\$$/, () => t('setup.err.did')],
    [/^must match /, () => t('setup.err.pattern')],
    [
      /^no such (queue|menu|agent|voicemail box|extension) "([^"]*)"/,
      (m) => t('setup.err.noSuch', { what: what(m[1] ?? ''), id: m[2] ?? '' }),
    ],
    [/^duplicate ([a-z ]+) "([^"]*)"/, (m) => t('setup.err.duplicate', { what: what(m[1] ?? ''), id: m[2] ?? '' })],
    [/^is not a known field/, () => t('setup.err.unknownField')],
    [/cannot overflow into itself/, () => t('setup.err.selfOverflow')],
    [/^opens at (\S+) but closes at (\S+):/, (m) => t('setup.err.hours', { open: m[1] ?? '', close: m[2] ?? '' })],
    [/^must be one of (.*)$/, (m) => t('setup.err.oneOf', { list: m[1] ?? '' })],
    [/^must have at most (\d+) items/, (m) => t('setup.err.maxItems', { n: m[1] ?? '' })],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}

const errId = (path: string): string => `err${path.replace(/[^a-zA-Z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;

export function FieldError({ path }: { path: string }) {
  const message = useContext(IssuesContext).get(path);
  if (!message) return null;
  return (
    <span class="field-error" id={errId(path)} data-error-for={path} title={message}>
      {localIssue(message)}
    </span>
  );
}

function useInvalid(path: string) {
  const has = useContext(IssuesContext).has(path);
  return has ? { 'aria-invalid': true as const, 'aria-describedby': errId(path) } : {};
}

interface FieldProps {
  id: string;
  label: Key;
  path: string;
  /** Label text instead of t(label) (a row's own name). */
  text?: string;
}

export function TextField({
  id,
  label,
  text,
  path,
  value,
  onInput,
  type = 'text',
  ...rest
}: FieldProps & {
  value: string;
  onInput: (v: string) => void;
  pattern?: string;
  placeholder?: string;
  /** The id of a <datalist> of suggestions. */
  list?: string;
  type?: 'text' | 'tel' | 'time' | 'date';
}) {
  return (
    <div class="field">
      <label for={id}>{text ?? t(label)}</label>
      {/* one input for text, tel, time and date: Preact types each type apart */}
      <input
        id={id}
        type={type as 'text'}
        data-path={path}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        {...rest}
        {...useInvalid(path)}
      />
      <FieldError path={path} />
    </div>
  );
}

/** A number input; an empty or unparsable entry becomes NaN, which the box names as an error. */
export function NumberField({
  id,
  label,
  text,
  path,
  value,
  onInput,
  min,
  max,
}: FieldProps & { value: number | undefined; onInput: (v: number) => void; min?: number; max?: number }) {
  return (
    <div class="field field-num">
      <label for={id}>{text ?? t(label)}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        data-path={path}
        value={value === undefined || Number.isNaN(value) ? '' : String(value)}
        min={min}
        max={max}
        onInput={(e) => onInput(e.currentTarget.value.trim() === '' ? Number.NaN : Number(e.currentTarget.value))}
        {...useInvalid(path)}
      />
      <FieldError path={path} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  text,
  path,
  value,
  options,
  onChange,
}: FieldProps & { value: string; options: readonly (readonly [string, string])[]; onChange: (v: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{text ?? t(label)}</label>
      <Select id={id} path={path} value={value} options={options} onChange={onChange} />
      <FieldError path={path} />
    </div>
  );
}

function Select({
  id,
  path,
  value,
  options,
  onChange,
}: {
  id: string;
  path: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) {
  const known = options.some(([v]) => v === value);
  return (
    <select id={id} data-path={path} value={value} onChange={(e) => onChange(e.currentTarget.value)} {...useInvalid(path)}>
      {known ? null : <option value={value}>{value || '—'}</option>}
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

export function CheckField({
  id,
  label,
  text,
  path,
  checked,
  onChange,
}: FieldProps & { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="field field-check">
      <input
        id={id}
        type="checkbox"
        data-path={path}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        {...useInvalid(path)}
      />
      <label for={id}>{text ?? t(label)}</label>
      <FieldError path={path} />
    </div>
  );
}

const ACTIONS = ['queue', 'menu', 'extension', 'voicemail', 'callback', 'hangup'] as const;
type EditableAction = (typeof ACTIONS)[number];

/** A sensible action of `kind` with the first target there is. */
function defaultAction(kind: EditableAction, cfg: Config): Action {
  const first = <T,>(xs: T[]): T | undefined => xs[0];
  switch (kind) {
    case 'queue':
      return { action: 'queue', queue: first(cfg.queues)?.id ?? '' };
    case 'menu':
      return { action: 'menu', menu: first(Object.keys(cfg.ivr.menus)) ?? '' };
    case 'extension':
      return { action: 'extension', agent: first(cfg.agents)?.id ?? '' };
    case 'voicemail':
      return { action: 'voicemail', box: first(cfg.voicemail?.boxes ?? [])?.id ?? '' };
    case 'callback':
      return { action: 'callback', queue: first(cfg.queues)?.id ?? '' };
    default:
      return { action: 'hangup' };
  }
}

/** The editor of one IVR action: what happens (select) and where to (queue, menu, agent, box). */
export function ActionEditor({
  id,
  label,
  path,
  value,
  cfg,
  onChange,
}: {
  id: string;
  label: Key;
  path: string;
  value: Action;
  cfg: Config;
  onChange: (a: Action) => void;
}): VNode {
  const kinds = ACTIONS.map((k) => [k, t(`setup.action.${k}` as Key)] as const);
  const editable = (ACTIONS as readonly string[]).includes(value.action);
  let target: VNode | null = null;
  const targetSelect = (key: string, options: readonly (readonly [string, string])[], current: string, set: (v: string) => Action) => (
    <span class="action-target">
      <label class="visually-hidden" for={`${id}-target`}>
        {t('setup.action.target')}
      </label>
      <Select id={`${id}-target`} path={`${path}/${key}`} value={current} options={options} onChange={(v) => onChange(set(v))} />
      <FieldError path={`${path}/${key}`} />
    </span>
  );
  if (value.action === 'queue' || value.action === 'callback') {
    const opts = cfg.queues.map((q) => [q.id, `${q.name} (${q.id})`] as const);
    target = targetSelect('queue', opts, value.queue, (queue) => ({ ...value, queue }));
  } else if (value.action === 'menu') {
    const opts = Object.keys(cfg.ivr.menus).map((m) => [m, m] as const);
    target = targetSelect('menu', opts, value.menu, (menu) => ({ action: 'menu', menu }));
  } else if (value.action === 'extension') {
    const opts = cfg.agents.map((a) => [a.id, `${a.name} (${a.id})`] as const);
    target = targetSelect('agent', opts, value.agent, (agent) => ({ action: 'extension', agent }));
  } else if (value.action === 'voicemail') {
    const opts = (cfg.voicemail?.boxes ?? []).map((b) => [b.id, `${b.name} (${b.id})`] as const);
    target = targetSelect('box', opts, value.box, (box) => ({ action: 'voicemail', box }));
  }
  return (
    <div class="field action">
      <label for={id}>{t(label)}</label>
      <span class="row">
        {editable ? (
          <Select
            id={id}
            path={path}
            value={value.action}
            options={kinds}
            onChange={(k) => onChange(defaultAction(k as EditableAction, cfg))}
          />
        ) : (
          <output id={id} class="muted">
            {t('setup.action.other', { action: value.action })}
          </output>
        )}
        {target}
      </span>
      <FieldError path={path} />
    </div>
  );
}
