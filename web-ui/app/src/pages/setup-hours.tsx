/**
 * 营业时间与节假日 / business hours and holidays (always open, or opening intervals per weekday in the
 * shop's time zone, closed dates such as 春节, and what callers get outside the hours), and
 * 录音保留 / recording retention (on or off, days kept, folder quota, file format).
 */
import { useState } from 'preact/hooks';
import type { Config } from '../../../../firmware/src/service/types.js';
import { type Key, t } from '../i18n.js';
import { ActionEditor, CheckField, FieldError, NumberField, type SectionProps, SelectField, TextField } from './setup-form.js';

type Hours = NonNullable<Config['hours']>;
type Day = keyof Hours['weekly'];
const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function defaultHours(): Hours {
  const work = [{ open: '09:00', close: '18:00' }];
  return { weekly: { mon: work, tue: work, wed: work, thu: work, fri: work }, holidays: [], afterHours: { action: 'hangup' } };
}

function DayRow({ cfg, day, update }: SectionProps & { day: Day }) {
  const hours = cfg.hours as Hours;
  const list = hours.weekly[day] ?? [];
  const base = `/hours/weekly/${day}`;
  const set = (fn: (l: { open: string; close: string }[]) => void) =>
    update((c) => {
      const h = c.hours as Hours;
      const l = [...(h.weekly[day] ?? [])].map((iv) => ({ ...iv }));
      fn(l);
      if (l.length) h.weekly[day] = l;
      else delete h.weekly[day];
    });
  return (
    <fieldset class="day" data-day={day}>
      <legend>{t(`setup.day.${day}` as Key)}</legend>
      {list.length === 0 ? <span class="muted">{t('setup.hours.closed')}</span> : null}
      {list.map((iv, i) => (
        <div key={i} class="row">
          <TextField
            id={`h-${day}-${i}-open`}
            label="setup.hours.open"
            path={`${base}/${i}/open`}
            type="time"
            value={iv.open}
            onInput={(v) => set((l) => ((l[i] as { open: string }).open = v))}
          />
          <TextField
            id={`h-${day}-${i}-close`}
            label="setup.hours.close"
            path={`${base}/${i}/close`}
            type="time"
            value={iv.close}
            onInput={(v) => set((l) => ((l[i] as { close: string }).close = v === '00:00' ? '24:00' : v))}
          />
          <FieldError path={`${base}/${i}`} />
          <button type="button" class="link" onClick={() => set((l) => l.splice(i, 1))}>
            {t('setup.remove')}
          </button>
        </div>
      ))}
      {list.length < 4 ? (
        <button type="button" class="link" onClick={() => set((l) => l.push({ open: '09:00', close: '18:00' }))}>
          {t('setup.hours.addInterval')}
        </button>
      ) : null}
    </fieldset>
  );
}

export function HoursSection({ cfg, update }: SectionProps) {
  const [holiday, setHoliday] = useState('');
  const hours = cfg.hours;
  const addHoliday = (e: Event) => {
    e.preventDefault();
    if (!holiday) return;
    update((c) => {
      const h = c.hours as Hours;
      if (!h.holidays.includes(holiday)) h.holidays = [...h.holidays, holiday].sort();
    });
    setHoliday('');
  };
  return (
    <section aria-labelledby="h-hours" class="setup-section">
      <h2 id="h-hours">{t('setup.hours.title')}</h2>
      <CheckField
        id="hours-always"
        label="setup.hours.alwaysOpen"
        path="/hours"
        checked={!hours}
        onChange={(on) =>
          update((c) => {
            if (on) delete c.hours;
            else c.hours = defaultHours();
          })
        }
      />
      {hours ? (
        <>
          <p class="muted">{t('setup.hours.hint', { tz: cfg.shop.timezone })}</p>
          <div class="card days">
            {DAYS.map((d) => (
              <DayRow key={d} cfg={cfg} day={d} update={update} />
            ))}
          </div>
          <fieldset class="card setup-card">
            <legend>{t('setup.hours.holidays')}</legend>
            <FieldError path="/hours/holidays" />
            <ul class="setup-list holidays">
              {hours.holidays.map((d, i) => (
                <li key={d} class="row">
                  <span>{d}</span>
                  <FieldError path={`/hours/holidays/${i}`} />
                  <button type="button" class="link" onClick={() => update((c) => (c.hours as Hours).holidays.splice(i, 1))}>
                    {t('setup.remove')}
                    <span class="visually-hidden"> {d}</span>
                  </button>
                </li>
              ))}
            </ul>
            <form class="row" onSubmit={addHoliday}>
              <TextField
                id="holiday-new"
                label="setup.hours.holiday"
                path="/hours/holidays/_new"
                type="date"
                value={holiday}
                onInput={setHoliday}
              />
              <button type="submit" class="secondary">
                {t('setup.hours.addHoliday')}
              </button>
            </form>
          </fieldset>
          <div class="card">
            <ActionEditor
              id="after-hours"
              label="setup.hours.afterHours"
              path="/hours/afterHours"
              value={hours.afterHours}
              cfg={cfg}
              onChange={(a) => update((c) => ((c.hours as Hours).afterHours = a))}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}

type Recording = NonNullable<Config['recording']>;
const FORMATS = ['pcm16', 'ulaw', 'alaw'] as const;
const CHANNELS = ['mixed', 'stereo'] as const;
const COMPRESS = ['none', 'opus'] as const;
/** The three choices of a recording, each a select of its values (labels `setup.<key>.<value>`). */
const CHOICES = [
  ['format', 'rec-format', FORMATS],
  ['channels', 'rec-channels', CHANNELS],
  ['compress', 'rec-compress', COMPRESS],
] as const;

export function RecordingSection({ cfg, update }: SectionProps) {
  const r: Recording = cfg.recording ?? {
    enabled: true,
    format: 'pcm16',
    channels: 'mixed',
    retentionDays: 180,
    quotaMB: 4096,
    compress: 'none',
  };
  const set = (fn: (r: Recording) => void) =>
    update((c) => {
      c.recording = { ...r, ...c.recording };
      fn(c.recording);
    });
  const opts = (xs: readonly string[], prefix: string) => xs.map((x) => [x, t(`${prefix}.${x}` as Key)] as const);
  return (
    <section aria-labelledby="h-recording" class="setup-section">
      <h2 id="h-recording">{t('setup.recording.title')}</h2>
      <p class="muted">{t('setup.recording.hint')}</p>
      <div class="card setup-grid">
        <CheckField
          id="rec-enabled"
          label="setup.recording.enabled"
          path="/recording/enabled"
          checked={r.enabled}
          onChange={(v) => set((x) => (x.enabled = v))}
        />
        <NumberField
          id="rec-days"
          label="setup.recording.retentionDays"
          path="/recording/retentionDays"
          value={r.retentionDays}
          min={1}
          max={3650}
          onInput={(v) => set((x) => (x.retentionDays = v))}
        />
        <NumberField
          id="rec-quota"
          label="setup.recording.quotaMB"
          path="/recording/quotaMB"
          value={r.quotaMB}
          min={10}
          onInput={(v) => set((x) => (x.quotaMB = v))}
        />
        {CHOICES.map(([key, id, xs]) => (
          <SelectField
            key={key}
            id={id}
            label={`setup.recording.${key}`}
            path={`/recording/${key}`}
            value={r[key]}
            options={opts(xs, `setup.${key}`)}
            onChange={(v) => set((x) => Object.assign(x, { [key]: v }))}
          />
        ))}
      </div>
    </section>
  );
}
