/**
 * 排班 / Shifts (`/shifts`, reports.read; changes with reports.admin): the agents' shifts by local
 * date range (this week by default) and agent — an end at or before the start ends the next day;
 * an agent's overlapping shift is refused (409, the box's message) — and below them the
 * attendance (考勤) of the same range: first log-in, last log-out, minutes late / left early,
 * time logged in and the result (正常, 迟到, 早退, 缺勤, 未开始). docs/api/reports.md#shifts.
 */
import './records.css';
import { useEffect, useState } from 'preact/hooks';
import type { AttendanceRow, Shift } from '../../../../firmware/src/service/types.js';
import { ApiError, api, type Session } from '../api.js';
import { fmtDuration, fmtInt, fmtTime, type Key, t } from '../i18n.js';
import { type Column, type FilterValues, ListTable } from '../list-page.js';
import { RecordList } from '../record-list.js';
import { Messages, qs } from '../ui.js';
import { useItems } from '../use-items.js';

type AgentRef = { id: string; name: string };

/** A local date `days` from today (YYYY-MM-DD). */
function day(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const TONE: Record<AttendanceRow['status'], string> = {
  ok: 'good',
  late: 'warn',
  earlyLeave: 'warn',
  lateAndEarlyLeave: 'bad',
  absent: 'bad',
  upcoming: '',
};

function Attendance({
  from,
  to,
  agent,
  agentName,
  version,
}: {
  from: string;
  to: string;
  agent: string;
  agentName: (id: string) => string;
  version: unknown;
}) {
  const url = from && to ? `/api/v1/reports/attendance${qs({ from, to })}` : null;
  const { items, error } = useItems<AttendanceRow>(url, version);
  const rows = items && agent ? items.filter((x) => x.agent === agent) : items;
  const cols: Column<AttendanceRow>[] = [
    { label: t('shift.agent'), cell: (a) => agentName(a.agent) },
    { label: t('shift.date'), cell: (a) => `${a.date} ${a.start}–${a.end}` },
    { label: t('shift.firstLogin'), wide: true, cell: (a) => (a.firstLoginAt ? fmtTime(a.firstLoginAt) : t('noData')) },
    { label: t('shift.lastLogout'), wide: true, cell: (a) => (a.lastLogoutAt ? fmtTime(a.lastLogoutAt) : t('noData')) },
    { label: t('shift.late'), wide: true, num: true, cell: (a) => t('ads.minutes', { n: fmtInt(a.lateMin) }) },
    { label: t('shift.early'), wide: true, num: true, cell: (a) => t('ads.minutes', { n: fmtInt(a.earlyLeaveMin) }) },
    { label: t('shift.worked'), num: true, cell: (a) => fmtDuration(a.workedMin * 60) },
    {
      label: t('shift.status'),
      cell: (a) => <span class={`status ${TONE[a.status]}`}>{t(`shift.status.${a.status}` as Key)}</span>,
    },
  ];
  return (
    <section class="attendance" aria-labelledby="h-attendance">
      <h2 id="h-attendance">{t('shift.attendance')}</h2>
      <Messages error={error} />
      {url === null ? (
        <p class="muted">{t('shift.needRange')}</p>
      ) : rows === null ? null : (
        <>
          <ListTable
            id="attendance"
            columns={cols}
            items={rows}
            rowKey={(a) => a.shiftId}
            rowProps={(a) => ({ 'data-shift': a.shiftId })}
          />
          {rows.length === 0 ? <p class="muted">{t('ui.empty')}</p> : null}
        </>
      )}
    </section>
  );
}

export function ShiftsPage({ session }: { session: Session }) {
  const canWrite = session.permissions.includes('reports.admin');
  const [agents, setAgents] = useState<AgentRef[]>([]);
  useEffect(() => {
    api.get<{ agents: AgentRef[] }>('/api/v1/agents').then(
      (r) => setAgents(r.agents),
      () => undefined,
    );
  }, []);
  const agentName = (id: string) => {
    const a = agents.find((x) => x.id === id);
    return a ? `${a.name} (${a.id})` : id;
  };
  const agentOptions = agents.map((a) => ({ value: a.id, label: agentName(a.id) }));
  return (
    <main class="page shifts">
      <h1>{t('shift.title')}</h1>
      <RecordList<Shift>
        endpoint="/api/v1/reports/shifts"
        base="shift"
        canWrite={canWrite}
        newLabel={t('shift.new')}
        editTitle={() => t('shift.edit')}
        confirmDelete={t('shift.delete')}
        initialFilters={{ from: day(0), to: day(6), agent: '' }}
        filters={[
          { key: 'from', kind: 'date', label: t('ui.from') },
          { key: 'to', kind: 'date', label: t('ui.to') },
          { key: 'agent', kind: 'select', label: t('shift.agent'), options: [{ value: '', label: t('ui.all') }, ...agentOptions] },
        ]}
        count={(n) => t('shift.count', { n })}
        columns={[
          { label: t('shift.agent'), cell: (s) => agentName(s.agent) },
          { label: t('shift.date'), cell: (s) => s.date },
          { label: t('shift.time'), cell: (s) => `${s.start}–${s.end}` },
          { label: t('shift.note'), wide: true, cell: (s) => s.note },
        ]}
        fields={() => [
          { key: 'agent', label: t('shift.agent'), kind: 'select', required: true, options: [{ value: '', label: '—' }, ...agentOptions] },
          { key: 'date', label: t('shift.date'), kind: 'date', required: true },
          { key: 'start', label: t('shift.start'), kind: 'time', required: true },
          { key: 'end', label: t('shift.end'), kind: 'time', required: true, hint: t('shift.endHint') },
          { key: 'note', label: t('shift.note'), kind: 'textarea', maxLength: 500 },
        ]}
        valuesOf={(s) => ({
          agent: s?.agent ?? '',
          date: s?.date ?? day(0),
          start: s?.start ?? '09:00',
          end: s?.end ?? '18:00',
          note: s?.note ?? '',
        })}
        toBody={(v) => ({ agent: v.agent, date: v.date, start: v.start, end: v.end, note: String(v.note).trim() })}
        explain={(err) => (err instanceof ApiError && err.code === 'CONFLICT' ? t('shift.overlap', { box: err.message }) : null)}
        after={(f: FilterValues, page) => (
          <Attendance from={String(f.from)} to={String(f.to)} agent={String(f.agent)} agentName={agentName} version={page} />
        )}
      />
    </main>
  );
}
