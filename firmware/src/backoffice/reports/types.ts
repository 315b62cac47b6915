/**
 * Reports (报表): the service contract. Definitions of every figure: docs/api/reports.md and
 * firmware/src/backoffice/reports/README.md. Times are ISO strings, durations seconds, ratios 0..1,
 * money integer cents (分); a mean or ratio with nothing to divide is null.
 */
import type { Actor } from '../common/types.js';
import type { QaAgentRow } from '../qa/types.js';

export type ReportPeriod = 'day' | 'week' | 'month';

/** A section that could not be computed (another area not built, not allowed): why, instead of failing the report. */
export interface Unavailable {
  available: false;
  reason: string;
}

/** Call figures of the KPI module (docs/kpis.md) for one range. */
export interface ReportCallFigures {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  answeredWithinThreshold: number;
  serviceLevel: number | null;
  answerRate: number | null;
  abandonRate: number | null;
  asaS: number | null;
  handled: number;
  ahtS: number | null;
}

export interface ReportCalls extends ReportCallFigures {
  slThresholdS: number;
  longestWaitS: number | null;
  attS: number | null;
  acwS: number | null;
  occupancy: number | null;
  csat: number | null;
  csatResponses: number;
  allLinesBusyMinutes: number | null;
}

/** One row of call volume: an hour of the day (summed over the period's days) or one day. */
export interface ReportCallRow extends ReportCallFigures {
  /** "09:00" for an hour of the day, "2026-11-26" for a day. */
  label: string;
}

/** Quality assurance (质检) per agent over the period's calls: backoffice/qa's figures with the agent's name. */
export interface ReportQaRow extends QaAgentRow {
  name: string;
}

export interface ReportAgentRow {
  agent: string;
  name: string;
  answered: number;
  handled: number;
  missed: number;
  talkS: number;
  ahtS: number | null;
  loggedInS: number;
  pausedS: number;
  occupancy: number | null;
  csat: number | null;
  csatResponses: number;
}

export interface ReportTicketCategory {
  category: string;
  name: string;
  created: number;
  resolved: number;
}

export interface ReportTickets {
  /** Tickets created in the period. */
  created: number;
  /** Tickets resolved in the period (resolved_at in it), whenever created. */
  resolved: number;
  /** Not resolved nor closed at the end of the period (created before its end). */
  openAtEnd: number;
  /** Mean resolved_at − created_at of the tickets resolved in the period, hours. */
  meanResolutionH: number | null;
  /** Mean first_response_at − created_at of the tickets created in the period that had one, minutes. */
  meanFirstResponseMin: number | null;
  bySource: Record<string, number>;
  byCategory: ReportTicketCategory[];
  /** First-contact resolution (一次解决率): see README. */
  fcrEligible: number;
  fcrResolved: number;
  fcrRate: number | null;
  fcrWindowDays: number;
}

export interface ReportSellerRow {
  seller: string | null;
  orders: number;
  netCents: number;
  marginCents: number;
}

export interface ReportSales {
  /** Orders created in the period, not cancelled. */
  orders: number;
  cancelled: number;
  returned: number;
  grossCents: number;
  refundCents: number;
  /** grossCents − refundCents. */
  netCents: number;
  /** Goods cost of the orders not returned. */
  costCents: number;
  /** netCents − costCents (毛利). */
  marginCents: number;
  marginRate: number | null;
  /** Orders that name the call they were taken on. */
  fromCalls: number;
  bySeller: ReportSellerRow[];
  topProducts: Array<{ product: string | null; name: string; qty: number; netCents: number }>;
}

export interface ReportCommission {
  available: true;
  /** The settlement month (YYYY-MM) and whether finance has closed it. */
  month: string;
  status: 'open' | 'closed';
  /** People with commission in the month: referral + rebate + bonus-pool share (not base salary). */
  rows: Array<{ person: string; name: string; referralCents: number; rebateCents: number; bonusCents: number; amountCents: number }>;
  totalCents: number;
}

export interface ReportStaffingRow {
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  hoursObserved: number;
  offeredPerHour: number | null;
  /** Erlang advice (finite lines) for this weekday×hour from the period's demand. */
  advised: number | null;
  /** Mean agents on shift (排班) over the observed hours. */
  scheduled: number;
  /** Mean agents logged in over the observed hours. */
  loggedIn: number;
  /** loggedIn − advised (negative: understaffed). */
  gap: number | null;
}

export interface Report {
  period: ReportPeriod;
  date: string;
  /** "2026-11-26", "2026-W48", "2026-11". */
  label: string;
  from: string;
  to: string;
  timeZone: string;
  generatedAt: string;
  calls: ReportCalls;
  /** 24 rows, local hours of the day, summed over the period. */
  byHour: ReportCallRow[];
  /** One row per local day (week and month reports; the day report has its one day). */
  byDay: ReportCallRow[];
  agents: ReportAgentRow[];
  tickets: ReportTickets;
  sales: ReportSales;
  commission: ReportCommission | Unavailable;
  staffing: ReportStaffingRow[];
  attendance: AttendanceRow[];
  ads: AdsReport;
  /** QA scores per agent (质检): reviews of the period's calls. */
  qa: ReportQaRow[];
}

// ---- advertising (广告监测) ----

export interface AdCampaign {
  id: string;
  name: string;
  /** 投放媒体: the TV station, radio, newspaper… */
  media: string;
  /** The shop line (channel id, e.g. "fxo2") whose number the ad shows; null: any line. */
  line: string | null;
  /** The number shown in the ad (display only). */
  phone: string | null;
  /** Default response window after an airing ends, minutes. */
  responseMin: number;
  note: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AdCampaignInput {
  name: string;
  media: string;
  line?: string | null;
  phone?: string | null;
  responseMin?: number;
  note?: string;
}

/** One airing (播出时段) of a campaign: calls in [startsAt, endsAt + responseMin) are attributed to it. */
export interface AdAiring {
  id: string;
  campaignId: string;
  startsAt: string;
  endsAt: string;
  /** null: the campaign's window. */
  responseMin: number | null;
  costCents: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AdAiringInput {
  campaignId: string;
  startsAt: string;
  endsAt: string;
  responseMin?: number | null;
  costCents?: number;
}

/** Spend not tied to one airing (a monthly contract): counted in the period holding `date`. */
export interface AdSpend {
  id: string;
  campaignId: string;
  date: string;
  amountCents: number;
  note: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AdSpendInput {
  campaignId: string;
  date: string;
  amountCents: number;
  note?: string;
}

export interface AdAiringRow {
  airingId: string;
  campaignId: string;
  campaign: string;
  media: string;
  startsAt: string;
  endsAt: string;
  windowEndsAt: string;
  calls: number;
  orders: number;
  costCents: number;
}

export interface AdCampaignRow {
  campaignId: string;
  campaign: string;
  media: string;
  airings: number;
  calls: number;
  orders: number;
  orderNetCents: number;
  costCents: number;
  costPerCallCents: number | null;
  costPerOrderCents: number | null;
  conversion: number | null;
}

export interface AdsReport {
  from: string;
  to: string;
  /** Orders by the caller within this many days after the call count as conversions. */
  orderWindowDays: number;
  /** Inbound calls in the range, and how many no airing claimed. */
  inboundCalls: number;
  unattributedCalls: number;
  byCampaign: AdCampaignRow[];
  byMedia: Array<{
    media: string;
    calls: number;
    orders: number;
    costCents: number;
    costPerCallCents: number | null;
    costPerOrderCents: number | null;
  }>;
  byAiring: AdAiringRow[];
}

// ---- shifts (排班) and attendance (考勤) ----

export interface Shift {
  id: string;
  /** Agent id of the config (agents[].id). */
  agent: string;
  /** Local date the shift starts on. */
  date: string;
  /** Local HH:MM; an end at or before the start ends the next day. */
  start: string;
  end: string;
  note: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ShiftInput {
  agent: string;
  date: string;
  start: string;
  end: string;
  note?: string;
}

export type AttendanceStatus = 'ok' | 'late' | 'earlyLeave' | 'lateAndEarlyLeave' | 'absent' | 'upcoming';

export interface AttendanceRow {
  shiftId: string;
  agent: string;
  date: string;
  start: string;
  end: string;
  /** First log-in during the shift (or in the hour before it), null when none. */
  firstLoginAt: string | null;
  /** Last log-out before the shift's end after which the agent stayed out, null when none. */
  lastLogoutAt: string | null;
  /** Minutes after the start (beyond the grace) the agent logged in; 0 on time. */
  lateMin: number;
  /** Minutes before the end the agent logged out for good; 0 when stayed. */
  earlyLeaveMin: number;
  /** Minutes logged in within the shift. */
  workedMin: number;
  status: AttendanceStatus;
}

export type ListQuery = { from?: string; to?: string };

export interface ReportsService {
  /** The report of the period containing local date `date` (YYYY-MM-DD) in the shop's time zone. */
  report(actor: Actor, q: { period: ReportPeriod; date: string }): Report;
  /** The report as a file: CSV (UTF-8 with BOM), XLSX or printable HTML. */
  exportReport(actor: Actor, q: { period: ReportPeriod; date: string; format: 'csv' | 'xlsx' | 'html' }): Promise<ReportFile>;
  /** Ad attribution over local dates [from, to] (both included). */
  ads(actor: Actor, q: { from: string; to: string }): AdsReport;
  /** Attendance of the shifts starting on local dates [from, to]. */
  attendance(actor: Actor, q: { from: string; to: string }): AttendanceRow[];

  listCampaigns(actor: Actor): AdCampaign[];
  getCampaign(actor: Actor, id: string): AdCampaign;
  createCampaign(actor: Actor, input: AdCampaignInput): AdCampaign;
  updateCampaign(actor: Actor, id: string, patch: Partial<AdCampaignInput> & { version?: number }): AdCampaign;
  deleteCampaign(actor: Actor, id: string): void;

  listAirings(actor: Actor, q: ListQuery & { campaignId?: string }): AdAiring[];
  getAiring(actor: Actor, id: string): AdAiring;
  createAiring(actor: Actor, input: AdAiringInput): AdAiring;
  updateAiring(actor: Actor, id: string, patch: Partial<Omit<AdAiringInput, 'campaignId'>> & { version?: number }): AdAiring;
  deleteAiring(actor: Actor, id: string): void;

  listSpend(actor: Actor, q: ListQuery & { campaignId?: string }): AdSpend[];
  getSpend(actor: Actor, id: string): AdSpend;
  createSpend(actor: Actor, input: AdSpendInput): AdSpend;
  updateSpend(actor: Actor, id: string, patch: Partial<Omit<AdSpendInput, 'campaignId'>> & { version?: number }): AdSpend;
  deleteSpend(actor: Actor, id: string): void;

  listShifts(actor: Actor, q: ListQuery & { agent?: string }): Shift[];
  getShift(actor: Actor, id: string): Shift;
  createShift(actor: Actor, input: ShiftInput): Shift;
  updateShift(actor: Actor, id: string, patch: Partial<ShiftInput> & { version?: number }): Shift;
  deleteShift(actor: Actor, id: string): void;
}

export interface ReportFile {
  contentType: string;
  filename: string;
  body: Buffer;
  /** The Content-Security-Policy the file must be served with (HTML: its style block by hash, no scripts). */
  contentSecurityPolicy?: string;
}
