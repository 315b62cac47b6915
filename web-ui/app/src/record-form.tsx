/**
 * A create/edit form for a back-office record, described as data: fields (text, number, yuan,
 * select, dates and times, a tick), each with its error right beside it. `toBody(values)` turns
 * the typed values into the API's body (throwing `FieldError` for a value it cannot take, e.g. a
 * bad amount of yuan); the box's `400 VALIDATION_FAILED` names a field (`details.field`, e.g.
 * `rule.pct`) and is shown beside the field that carries that name, else above the buttons.
 * Also `ConfirmButton` (a destructive action asks a second click), `useEditing` and `RecordBar`.
 * The values' conversions (yuan, whole numbers, local times): record-values.ts.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { t } from './i18n.js';
import { FieldError, type FormValues } from './record-values.js';
import { errText, Messages, SaveCancel } from './ui.js';
import './record-form.css';

export interface FieldDef {
  key: string;
  label: string;
  kind: 'text' | 'textarea' | 'number' | 'yuan' | 'select' | 'datetime' | 'date' | 'time' | 'month' | 'check';
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  options?: readonly { value: string; label: string }[];
  hint?: string;
  /** The API's names for this field's errors (default: the key). */
  apiFields?: readonly string[];
}

/** The field key an API error belongs to (`details.field` matched against each field's names). */
function fieldOf(err: unknown, fields: readonly FieldDef[]): { key: string; message: string } | null {
  if (err instanceof FieldError) return { key: err.field, message: err.text ?? t(err.textKey, err.vars) };
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return null;
  const name = (err.details as { field?: unknown } | null)?.field;
  if (typeof name !== 'string') return null;
  const f = fields.find((x) => (x.apiFields ?? [x.key]).includes(name));
  return f ? { key: f.key, message: err.message } : null;
}

export function RecordForm({
  id,
  title,
  fields,
  initial,
  toBody,
  save,
  onSaved,
  onCancel,
  explain,
}: {
  id: string;
  title: string;
  /** The fields, given the values being typed (a kind chooses its rule's fields). */
  fields: (v: FormValues) => readonly FieldDef[];
  initial: FormValues;
  toBody: (v: FormValues) => unknown;
  save: (body: unknown) => Promise<unknown>;
  onSaved: () => void;
  onCancel: () => void;
  /** The page's own words for an error of the box (e.g. a 409), else null for the box's. */
  explain?: (err: unknown) => string | null;
}) {
  const [values, setValues] = useState<FormValues>(initial);
  const [fieldErr, setFieldErr] = useState<{ key: string; message: string } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const defs = fields(values);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setFieldErr(null);
    setBusy(true);
    try {
      await save(toBody(values));
      onSaved();
    } catch (err) {
      const f = fieldOf(err, defs);
      if (f) setFieldErr(f);
      else setError(explain?.(err) ?? errText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card record-form" id={id} onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{title}</h2>
      <div class="record-fields">
        {defs.map((d) => (
          <Input
            key={d.key}
            def={d}
            id={`${id}-${d.key}`}
            value={values[d.key]}
            error={fieldErr?.key === d.key ? fieldErr.message : ''}
            set={(v) => setValues({ ...values, [d.key]: v })}
          />
        ))}
      </div>
      <p class="error" role="alert" id={`${id}-error`}>
        {error}
      </p>
      <SaveCancel busy={busy} onCancel={onCancel} />
    </form>
  );
}

function Input({
  def,
  id,
  value,
  error,
  set,
}: {
  def: FieldDef;
  id: string;
  value: string | boolean | undefined;
  error: string;
  set: (v: string | boolean) => void;
}) {
  const errId = `${id}-err`;
  const aria = error ? { 'aria-invalid': true as const, 'aria-describedby': errId } : {};
  const text = typeof value === 'string' ? value : '';
  const onInput = (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  const note = error ? (
    <span class="field-error" id={errId} role="alert">
      {error}
    </span>
  ) : def.hint ? (
    <span class="muted small">{def.hint}</span>
  ) : null;
  if (def.kind === 'check')
    return (
      <div class="field field-check">
        <label class="check">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(e.currentTarget.checked)} {...aria} />
          {def.label}
        </label>
        {note}
      </div>
    );
  const label = def.kind === 'yuan' ? `${def.label} (¥)` : def.label;
  let control: ComponentChildren;
  if (def.kind === 'select')
    control = (
      <select id={id} value={text} onChange={onInput} required={def.required} {...aria}>
        {(def.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  else if (def.kind === 'textarea')
    control = <textarea id={id} value={text} maxLength={def.maxLength} rows={2} onInput={onInput} {...aria} />;
  else {
    const type = { text: 'text', number: 'number', yuan: 'text', datetime: 'datetime-local', date: 'date', time: 'time', month: 'month' }[
      def.kind
    ];
    control = (
      <input
        id={id}
        // preact types each input type apart; the kinds above are all plain value inputs
        type={type as 'text'}
        inputMode={def.kind === 'yuan' ? 'decimal' : undefined}
        value={text}
        required={def.required}
        maxLength={def.maxLength}
        min={def.min}
        max={def.max}
        onInput={onInput}
        {...aria}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {control}
      {note}
    </div>
  );
}

/** A destructive action: the first click asks, the second (确认) does it. */
export function ConfirmButton({ label, confirm, onConfirm }: { label: string; confirm: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  return asking ? (
    <span class="confirm">
      <button type="button" class="danger" onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" class="link" onClick={() => setAsking(false)}>
        {t('ui.cancel')}
      </button>
    </span>
  ) : (
    <button type="button" class="link" onClick={() => setAsking(true)}>
      {label}
    </button>
  );
}

/** What a record list is editing (`'new'`, a record, or nothing) and the last done message. */
export function useEditing<E>() {
  const [editing, setEditing] = useState<E | 'new' | null>(null);
  const [done, setDone] = useState('');
  return {
    editing,
    done,
    setDone,
    open: (e: E | 'new') => {
      setDone('');
      setEditing(e);
    },
    close: () => setEditing(null),
    /** onSaved of a form: show `message`, close the form, reload the list. */
    finish: (message: string, reload: () => void) => () => {
      setDone(message);
      setEditing(null);
      reload();
    },
  };
}

/** Above a record list: the "new" button (only given `onNew`: who may write), the open form, the error / done line. */
export function RecordBar(p: {
  newId: string;
  newLabel: string;
  onNew?: () => void;
  form: ComponentChildren;
  error?: string;
  done: string;
  doneId: string;
}) {
  return (
    <>
      {p.onNew ? (
        <div class="row toolbar">
          <button type="button" id={p.newId} onClick={p.onNew}>
            {p.newLabel}
          </button>
        </div>
      ) : null}
      {p.form}
      <Messages error={p.error ?? ''} done={p.done} id={p.doneId} />
    </>
  );
}
