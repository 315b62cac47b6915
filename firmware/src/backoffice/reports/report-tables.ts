/**
 * A report as titled tables (Chinese headings with English), the one shape the CSV, XLSX and HTML
 * exports render. Ratios become percentages (one decimal), money yuan (元, two decimals), durations
 * seconds or minutes as the heading says.
 */
import type { Report } from './types.js';
import { localDateTimeString } from '../../tz/zone.js';

export type Cell = string | number | null;

export interface Table {
  /** Short sheet name (XLSX: at most 31 characters, no []:*?/\). */
  sheet: string;
  title: string;
  headers: string[];
  rows: Cell[][];
}

const pct = (x: number | null): Cell => (x === null ? null : Math.round(x * 1000) / 10);
const r1 = (x: number | null): Cell => (x === null ? null : Math.round(x * 10) / 10);
const yuan = (cents: number | null): Cell => (cents === null ? null : Math.round(cents) / 100);
const WEEKDAY = ['', '周一 Mon', '周二 Tue', '周三 Wed', '周四 Thu', '周五 Fri', '周六 Sat', '周日 Sun'];
const STATUS: Record<string, string> = {
  ok: '正常 OK',
  late: '迟到 Late',
  earlyLeave: '早退 Early leave',
  lateAndEarlyLeave: '迟到早退 Late + early leave',
  absent: '缺勤 Absent',
  upcoming: '未开始 Upcoming',
};

const CALL_HEADERS = [
  '呼入量 Offered',
  '接通量 Answered',
  '放弃量 Abandoned',
  '接通率% Answer rate',
  '服务水平% Service level',
  '平均应答(秒) ASA s',
  '平均处理(秒) AHT s',
];

/** "2026-11-26 09:20" in the report's time zone. */
function localTime(isoTime: string | null, timeZone: string): Cell {
  if (isoTime === null) return null;
  return localDateTimeString(Date.parse(isoTime), timeZone);
}

export function reportTables(r: Report): Table[] {
  const c = r.calls;
  const t = r.tickets;
  const s = r.sales;
  const callRow = (x: Report['byHour'][number]): Cell[] => [
    x.label,
    x.offered,
    x.answered,
    x.abandoned,
    pct(x.answerRate),
    pct(x.serviceLevel),
    r1(x.asaS),
    r1(x.ahtS),
  ];
  const tables: Table[] = [
    {
      sheet: '概况 Summary',
      title: `报表 Report ${r.label} (${r.timeZone})`,
      headers: ['指标 Figure', '数值 Value'],
      rows: [
        ['呼入量 Offered', c.offered],
        ['接通量 Answered', c.answered],
        ['放弃量 Abandoned', c.abandoned],
        ['接通率% Answer rate', pct(c.answerRate)],
        ['放弃率% Abandon rate', pct(c.abandonRate)],
        [`服务水平% (${c.slThresholdS}秒) Service level`, pct(c.serviceLevel)],
        ['平均应答(秒) ASA s', r1(c.asaS)],
        ['平均处理(秒) AHT s', r1(c.ahtS)],
        ['座席占用率% Occupancy', pct(c.occupancy)],
        ['客户满意度(1-5) CSAT', c.csat === null ? null : Math.round(c.csat * 100) / 100],
        ['满意度评价数 CSAT responses', c.csatResponses],
        ['新建工单 Tickets created', t.created],
        ['已解决工单 Tickets resolved', t.resolved],
        ['平均解决(小时) Mean resolution h', r1(t.meanResolutionH)],
        [`一次解决率% FCR (${t.fcrWindowDays}天)`, pct(t.fcrRate)],
        ['订单数 Orders', s.orders],
        ['销售净额(元) Net sales', yuan(s.netCents)],
        ['毛利(元) Margin', yuan(s.marginCents)],
        ['毛利率% Margin rate', pct(s.marginRate)],
      ],
    },
    {
      sheet: '分时话务 By hour',
      title: '分时话务量 Call volume by hour',
      headers: ['时段 Hour', ...CALL_HEADERS],
      rows: r.byHour.map(callRow),
    },
  ];
  if (r.period !== 'day') {
    tables.push({
      sheet: '每日话务 By day',
      title: '每日话务量 Calls by day',
      headers: ['日期 Date', ...CALL_HEADERS],
      rows: r.byDay.map(callRow),
    });
  }
  tables.push(
    {
      sheet: '座席 Agents',
      title: '座席绩效 Agent performance',
      headers: [
        '座席 Agent',
        '接听 Answered',
        '处理 Handled',
        '未接 Missed',
        '通话(分) Talk min',
        '平均处理(秒) AHT s',
        '签入(分) Logged in min',
        '小休(分) Paused min',
        '占用率% Occupancy',
        '满意度 CSAT',
      ],
      rows: r.agents.map((a) => [
        `${a.name} (${a.agent})`,
        a.answered,
        a.handled,
        a.missed,
        r1(a.talkS / 60),
        r1(a.ahtS),
        r1(a.loggedInS / 60),
        r1(a.pausedS / 60),
        pct(a.occupancy),
        a.csat === null ? null : Math.round(a.csat * 100) / 100,
      ]),
    },
    {
      sheet: '工单 Tickets',
      title: '工单分类 Tickets by category',
      headers: ['分类 Category', '新建 Created', '解决 Resolved'],
      rows: t.byCategory.map((x) => [x.name, x.created, x.resolved]),
    },
    {
      sheet: '销售 Sales',
      title: '销售与毛利 Sales and margin by seller',
      headers: ['销售员 Seller', '订单 Orders', '净额(元) Net', '毛利(元) Margin'],
      rows: s.bySeller.map((x) => [x.seller ?? '—', x.orders, yuan(x.netCents), yuan(x.marginCents)]),
    },
    {
      sheet: '提成 Commission',
      title: r.commission.available ? `提成 Commission ${r.commission.month}` : '提成 Commission',
      headers: ['人员 Person', '推荐提成(元) Referral', '返利(元) Rebate', '奖金(元) Bonus', '合计(元) Total'],
      rows: r.commission.available
        ? r.commission.rows.map((x) => [x.name, yuan(x.referralCents), yuan(x.rebateCents), yuan(x.bonusCents), yuan(x.amountCents)])
        : [[`不可用 Unavailable: ${r.commission.reason}`, null, null, null, null]],
    },
    {
      sheet: '广告 Ads',
      title: '广告监测 Advertising',
      headers: [
        '媒体 Media',
        '广告 Campaign',
        '播出 Airings',
        '来电 Calls',
        '订单 Orders',
        '费用(元) Cost',
        '每来电成本(元) Cost/call',
        '每单成本(元) Cost/order',
      ],
      rows: r.ads.byCampaign.map((x) => [
        x.media,
        x.campaign,
        x.airings,
        x.calls,
        x.orders,
        yuan(x.costCents),
        yuan(x.costPerCallCents),
        yuan(x.costPerOrderCents),
      ]),
    },
    {
      sheet: '排班 Staffing',
      title: '排班与话务建议 Staffing vs Erlang advice',
      headers: [
        '星期 Weekday',
        '时段 Hour',
        '每小时来电 Calls/h',
        '建议人数 Advised',
        '排班人数 Scheduled',
        '签入人数 Logged in',
        '差额 Gap',
      ],
      rows: r.staffing.map((x) => [
        WEEKDAY[x.weekday] ?? String(x.weekday),
        `${String(x.hour).padStart(2, '0')}:00`,
        r1(x.offeredPerHour),
        x.advised,
        x.scheduled,
        x.loggedIn,
        x.gap,
      ]),
    },
    {
      sheet: '考勤 Attendance',
      title: '考勤 Attendance',
      headers: [
        '座席 Agent',
        '日期 Date',
        '班次 Shift',
        '首次签入 First login',
        '迟到(分) Late min',
        '早退(分) Early min',
        '在岗(分) Worked min',
        '状态 Status',
      ],
      rows: r.attendance.map((x) => [
        x.agent,
        x.date,
        `${x.start}-${x.end}`,
        localTime(x.firstLoginAt, r.timeZone),
        x.lateMin,
        x.earlyLeaveMin,
        x.workedMin,
        STATUS[x.status] ?? x.status,
      ]),
    },
    {
      sheet: '质检 QA',
      title: '质检 Quality assurance',
      headers: ['座席 Agent', '评分次数 Reviews', '平均分 Average', '合格率% Pass rate', '一票否决 Auto-fails'],
      rows: r.qa.map((x) => [x.name, x.reviews, x.average, pct(x.passRate), x.autoFailed]),
    },
  );
  return tables;
}
