/**
 * 回访名单 / follow-up list management (`/followups/lists`, followups.write: owner, supervisor):
 * the lists (name, purpose, calling hours per weekday, max attempts, retry delay, script, active)
 * created and edited on RecordList (the built-in 回拨 list's calling hours too; its purpose is
 * fixed), 启用/停用, delete asked twice, and filled by customer tag (`POST …/lists/:id/import`:
 * how many were added, and how many skipped — do not call, no phone, already listed). Calling
 * hours are checked here (followup-data.ts parseWindows) so the error stands beside its day in
 * both languages. Strings: the lazy area text/followup-lists.ts. docs/api/followups.md.
 */
import { useState } from 'preact/hooks';
import type { FollowupList, FollowupPurpose, ImportResult, Weekday } from '../../../../firmware/src/service/types.js';
import { api } from '../api.js';
import { areaText, tOr } from '../i18n.js';
import { type FieldDef, RecordForm } from '../record-form.js';
import { RecordList } from '../record-list.js';
import { FieldError, type FormValues, fromLocalInput, whole } from '../record-values.js';
import { followupListsZh } from '../text/followup-lists.js';
import { followupListsEn } from '../text/followup-lists.en.js';
import { parseWindows } from './followup-data.js';

const tl = areaText(followupListsZh, followupListsEn);
const DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PURPOSES: readonly FollowupPurpose[] = ['return_visit', 'satisfaction', 'order_confirmation', 'other'];
const purposeText = (p: string) => tOr(`followupPurpose.${p}`, p);

function fields(v: FormValues, editing: FollowupList | 'new'): readonly FieldDef[] {
  void v;
  const fixed = editing !== 'new' && editing.defaultFor !== null;
  return [
    { key: 'name', label: tl('name'), kind: 'text', required: true, maxLength: 100 },
    {
      key: 'purpose',
      label: tl('purpose'),
      kind: 'select',
      options: (fixed ? PURPOSES.filter((p) => p === editing.purpose) : PURPOSES).map((p) => ({ value: p, label: purposeText(p) })),
    },
    { key: 'maxAttempts', label: tl('maxAttempts'), kind: 'number', min: 1, max: 20, required: true },
    { key: 'retryDelayMin', label: tl('retryDelayMin'), kind: 'number', min: 1, max: 10080, required: true },
    ...DAYS.map(
      (d): FieldDef => ({
        key: `h_${d}`,
        label: `${tl('hours')} · ${tl(d)}`,
        kind: 'text',
        maxLength: 120,
        hint: tl('hoursHint'),
        apiFields: [`callingHours.${d}`],
      }),
    ),
    { key: 'script', label: tl('script'), kind: 'textarea', maxLength: 5000 },
    { key: 'active', label: tl('active'), kind: 'check' },
  ];
}

function valuesOf(x: FollowupList | null): FormValues {
  const hours = x?.callingHours;
  return {
    name: x?.name ?? '',
    purpose: x?.purpose ?? 'return_visit',
    maxAttempts: String(x?.maxAttempts ?? 3),
    retryDelayMin: String(x?.retryDelayMin ?? 60),
    script: x?.script ?? '',
    active: x?.active ?? true,
    ...Object.fromEntries(DAYS.map((d) => [`h_${d}`, hours ? (hours[d] ?? []).join(' ') : '09:00-12:00 14:00-20:00'])),
  };
}

function toBody(v: FormValues): Record<string, unknown> {
  const callingHours: Record<string, string[]> = {};
  for (const d of DAYS) {
    const w = parseWindows(String(v[`h_${d}`] ?? ''));
    if (!w) throw new FieldError(`h_${d}`, 'form.badNumber', {}, tl('badHours', { day: tl(d) }));
    callingHours[d] = w;
  }
  return {
    name: String(v.name).trim(),
    purpose: v.purpose,
    maxAttempts: whole(v, 'maxAttempts', 1, 20),
    retryDelayMin: whole(v, 'retryDelayMin', 1, 10080),
    script: String(v.script ?? ''),
    active: v.active === true,
    callingHours,
  };
}

/** "周一 09:00-12:00 14:00-20:00 · 周二 …", days alike merged ("周一–周五"). */
function hoursText(l: FollowupList): string {
  const parts: string[] = [];
  let i = 0;
  while (i < DAYS.length) {
    const w = (l.callingHours[DAYS[i] as Weekday] ?? []).join(' ');
    let j = i;
    while (j + 1 < DAYS.length && (l.callingHours[DAYS[j + 1] as Weekday] ?? []).join(' ') === w) j++;
    if (w) parts.push(`${tl(DAYS[i] as Weekday)}${j > i ? `–${tl(DAYS[j] as Weekday)}` : ''} ${w}`);
    i = j + 1;
  }
  return parts.join(' · ');
}

/** Import by tag into `list`: the box's count of added and skipped customers, by reason. */
function ImportForm({ list, onClose, onDone }: { list: FollowupList; onClose: () => void; onDone: () => void }) {
  const [result, setResult] = useState<ImportResult | null>(null);
  const reasons = ['do_not_call', 'no_phone', 'already_listed'] as const;
  return (
    <>
      <RecordForm
        key={list.id}
        id="fl-import"
        title={tl('importTitle', { name: list.name })}
        initial={{ tag: '', dueAt: '', note: '' }}
        fields={() => [
          { key: 'tag', label: tl('tag'), kind: 'text', required: true, maxLength: 32, hint: tl('tagHint') },
          { key: 'dueAt', label: tl('dueAt'), kind: 'datetime' },
          { key: 'note', label: tl('note'), kind: 'textarea', maxLength: 2000 },
        ]}
        toBody={(v) => {
          if (!String(v.tag).trim()) throw new FieldError('tag', 'form.badNumber', {}, tl('tagRequired'));
          const dueAt = fromLocalInput(v.dueAt);
          return {
            tag: String(v.tag).trim(),
            ...(dueAt ? { dueAt } : {}),
            ...(String(v.note).trim() ? { note: String(v.note).trim() } : {}),
          };
        }}
        save={async (body) => {
          setResult(null);
          setResult(await api.post<ImportResult>(`/api/v1/followups/lists/${encodeURIComponent(list.id)}/import`, body));
        }}
        onSaved={onDone}
        onCancel={onClose}
      />
      {result ? (
        <div class="card" id="fl-import-result" role="status">
          <p class="ok">{tl('imported', { added: result.added, skipped: result.skipped.length })}</p>
          <ul>
            {reasons.map((r) => {
              const n = result.skipped.filter((s) => s.reason === r).length;
              return n ? (
                <li key={r} data-reason={r}>
                  {tl(`skip.${r}`, { n })}
                </li>
              ) : null;
            })}
          </ul>
        </div>
      ) : null}
    </>
  );
}

export function FollowupLists() {
  const [importing, setImporting] = useState<FollowupList | null>(null);
  const [reloads, setReloads] = useState(0);
  return (
    <>
      {importing ? <ImportForm list={importing} onClose={() => setImporting(null)} onDone={() => setReloads((n) => n + 1)} /> : null}
      <RecordList<FollowupList>
        refresh={reloads}
        endpoint="/api/v1/followups/lists"
        base="flist"
        canWrite
        newLabel={tl('newList')}
        editTitle={(x) => tl('editList', { name: x.name })}
        confirmDelete={tl('deleteConfirm')}
        count={(n) => tl('count', { n })}
        columns={[
          {
            label: tl('name'),
            cell: (l) => (
              <>
                {l.name}
                {l.defaultFor ? <span class="badge"> {tl('builtIn')}</span> : null}
              </>
            ),
          },
          { label: tl('purpose'), cell: (l) => purposeText(l.purpose) },
          { label: tl('hours'), wide: true, cell: (l) => <span class="small">{hoursText(l)}</span> },
          { label: tl('attemptsCol'), num: true, wide: true, cell: (l) => `${l.maxAttempts} · ${l.retryDelayMin}′` },
          {
            label: tl('state'),
            cell: (l) => <span class={`status ${l.active ? 'good' : ''}`}>{l.active ? tl('on') : tl('off')}</span>,
          },
        ]}
        fields={fields}
        valuesOf={valuesOf}
        toBody={toBody}
        rowActions={(l, act) => (
          <>
            <button
              type="button"
              class="link fl-toggle"
              onClick={() =>
                act(
                  () => api.patch(`/api/v1/followups/lists/${encodeURIComponent(l.id)}`, { active: !l.active, version: l.version }),
                  l.active ? tl('deactivated') : tl('activated'),
                )
              }
            >
              {l.active ? tl('deactivate') : tl('activate')}
            </button>
            <button type="button" class="link fl-import" onClick={() => setImporting(l)}>
              {tl('import')}
            </button>
          </>
        )}
      />
    </>
  );
}
