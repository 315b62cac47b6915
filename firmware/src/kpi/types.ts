/**
 * The KPI report and the staffing advice: plain data computed from the event log
 * (firmware/src/events/catalog.ts). Definitions, Chinese names and edge rules: docs/kpis.md.
 *
 * Times in the report are seconds (floats, not rounded), ratios are 0..1. A mean or a ratio with
 * nothing to average or nothing to divide by is null, never NaN.
 */

export interface KpiQuery {
  /** Start of the range, ms since the epoch (inclusive). */
  from: number;
  /** End of the range, ms since the epoch (exclusive). */
  to: number;
  /** Only this queue's calls (the top-level figures become that queue's figures). */
  queue?: string;
  /** Service-level threshold T in seconds (default 20): answered with waitMs ≤ T·1000. */
  slThresholdS?: number;
  /** Abandons with waitMs < this many seconds are short abandons (default 5). */
  shortAbandonS?: number;
}

export const KPI_DEFAULTS = { slThresholdS: 20, shortAbandonS: 5, targetSl: 0.8 } as const;

/** The call figures, over all queues (top level) or one queue (byQueue). */
export interface CallKpis {
  /** 呼入量 (进线量): calls that entered a queue (queue.enter). */
  offered: number;
  /** 接通量: calls an agent answered (queue.connect). */
  answered: number;
  /** 放弃量: callers who hung up while waiting (queue.abandon). */
  abandoned: number;
  /** 短时放弃: abandons after waiting less than shortAbandonS. */
  shortAbandoned: number;
  /** 排队超时: calls that left the queue at maxWaitS (queue.exitTimeout), overflowed or not. */
  timedOut: number;
  /** 溢出: timed-out calls that went on to another queue. */
  overflowed: number;
  /** Answered after waiting at most slThresholdS. */
  answeredWithinThreshold: number;
  /** 服务水平: answeredWithinThreshold ÷ answered. */
  serviceLevel: number | null;
  /** 服务水平(含放弃): answeredWithinThreshold ÷ (answered + abandoned − shortAbandoned). */
  serviceLevelWithAbandons: number | null;
  /** 接通率: answered ÷ offered. */
  answerRate: number | null;
  /** 放弃率: abandoned ÷ offered. */
  abandonRate: number | null;
  /** 平均应答速度 (ASA): mean wait of answered calls. */
  asaS: number | null;
  /** 最长等待时长: the longest wait of a call answered, abandoned or timed out in the range. */
  longestWaitS: number | null;
  /** Answered calls whose talk ended in the range and whose wrap-up is over: the AHT/ACW population. */
  handled: number;
  /** 平均通话时长 (ATT): mean talk time of handled calls. */
  attS: number | null;
  /** 平均话后处理时长 (ACW): mean wrap-up after a handled call (0 for calls without wrap-up). */
  acwS: number | null;
  /** 平均处理时长 (AHT): mean talk + wrap-up of handled calls. */
  ahtS: number | null;
}

export interface QueueKpis extends CallKpis {
  queue: string;
}

export interface AgentKpis {
  agent: string;
  /** Calls this agent answered (queue.connect). */
  answered: number;
  /** Calls this agent handled (see CallKpis.handled). */
  handled: number;
  /** 未接: offers that rang out (queue.ringNoAnswer with why = 'timeout'). */
  missed: number;
  /** Total talk time of the handled calls (a sum, not a mean). */
  talkS: number;
  /** Mean wrap-up per handled call. */
  acwS: number | null;
  /** Mean talk + wrap-up per handled call. */
  ahtS: number | null;
  /** Time logged in (any state but loggedOut), paused included. */
  loggedInS: number;
  /** Time paused. */
  pausedS: number;
  /** Time on a call (state onCall). */
  onCallS: number;
  /** Time in wrap-up (state wrapUp). */
  wrapUpS: number;
  /** 座席占用率: (onCallS + wrapUpS) ÷ (loggedInS − pausedS). */
  occupancy: number | null;
}

export interface KpiReport extends CallKpis {
  from: string;
  to: string;
  queue: string | null;
  slThresholdS: number;
  shortAbandonS: number;
  /** Shop lines the box has (an input, from the config). */
  lines: number;
  /** 座席占用率 over all agents: time onCall + wrapUp ÷ time logged in and not paused. */
  occupancy: number | null;
  /** 客户满意度: mean post-call survey score (1–5) of the answers in the range; null without answers. */
  csat: number | null;
  /** Survey answers (survey.score events) in the range. */
  csatResponses: number;
  /**
   * 放弃续排: calls that resumed an abandoned call's place (queue.resume). Each such call is also
   * in `offered` (it is a new call), and the call it resumed stays in `abandoned`; offered − resumed
   * counts each returning caller once.
   */
  resumed: number;
  /** 待回呼: callback requests open at the end of the range (filled by KpiServiceImpl from the event log; computeKpis alone leaves null). */
  callbacksPending: number | null;
  /**
   * 通话小结: calls per result code (call.disposition), counting each call once with its latest
   * result set in the range (`none`: a required result not set in time); with `queue`, that queue's calls.
   */
  dispositions: Record<string, number>;
  /** 全忙时长: minutes during which every shop line carried a call (null when lines is 0). */
  allLinesBusyMinutes: number | null;
  byQueue: QueueKpis[];
  byAgent: AgentKpis[];
}

/** A staffing query: the KPI range (and queue), plus the service-level target. */
export interface StaffingQuery extends KpiQuery {
  /** Fraction of callers to answer within slThresholdS (default 0.8). */
  targetSl?: number;
}

/** One hour of the week, local time. */
export interface StaffingSlot {
  /** ISO weekday: 1 = Monday (周一) … 7 = Sunday (周日). */
  weekday: number;
  /** Local hour 0..23 (the slot is [hour, hour + 1)). */
  hour: number;
  /** How many hours of this slot the range covered (e.g. 4 for four weeks); 0: no data. */
  hoursObserved: number;
  /** queue.enter events in this slot. */
  offered: number;
  /** offered ÷ hoursObserved. */
  offeredPerHour: number | null;
  /** Fraction of the slot's time every line was busy (what a new caller found, by PASTA). */
  allLinesBusyFraction: number | null;
  /** Estimated callers per hour including those who got a busy tone: offeredPerHour ÷ (1 − allLinesBusyFraction). */
  arrivalsPerHour: number | null;
  /** Mean handle time used for this slot (the slot's own, else the range's). */
  ahtS: number | null;
  /** arrivalsPerHour × ahtS ÷ 3600. */
  trafficErlangs: number | null;
  /** Agents to staff (finite-lines model); 0 when no traffic; null without data. */
  agents: number | null;
  /** What plain Erlang C (unlimited lines, no blocking) would say. */
  agentsErlangC: number | null;
  /** Predicted fraction of admitted callers answered within the threshold with `agents`. */
  serviceLevel: number | null;
  /** Predicted fraction of callers who find every line busy with `agents`. */
  blocking: number | null;
  /** True when the lines, not the agents, limit the service level: the target is out of reach. */
  linesLimited: boolean;
}

export interface StaffingAdvice {
  from: string;
  to: string;
  queue: string | null;
  /** IANA time zone of the weekday/hour slots. */
  timeZone: string;
  lines: number;
  targetSl: number;
  slThresholdS: number;
  /** Mean handle time over the whole range (the fallback for slots without handled calls). */
  ahtS: number | null;
  /** 168 slots: Monday 00:00 first, Sunday 23:00 last. */
  slots: StaffingSlot[];
}
