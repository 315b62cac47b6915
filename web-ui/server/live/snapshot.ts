/**
 * The wallboard's picture of the box at one moment, built from the service API: lines in use,
 * queues (waiting, longest wait), agents by state (time in state, pause reason), today's figures
 * (service level, answered, abandoned) and callbacks pending (queue callbacks waiting + scheduled
 * callbacks due). Caller numbers are masked: the
 * wallboard is shown on shared screens.
 */
import type { AgentView, BoxService, ChannelStatus, KpiReport, QueueView } from '../../../firmware/src/service/types.js';

export interface TodayFigures {
  offered: number;
  answered: number;
  abandoned: number;
  /** Answered within slThresholdS ÷ answered (null before the first answered call). */
  serviceLevel: number | null;
  slThresholdS: number;
  asaS: number | null;
  abandonRate: number | null;
}

export interface LiveCall {
  id: string;
  state: string;
  /** Masked: 138****5678. */
  caller: string | null;
  line: string | null;
  queue: string | null;
  agent: string | null;
  startedAt: string;
  answeredAt: string | null;
}

export interface WallboardSnapshot {
  /** When it was taken (ISO): times in state and waits count on from here. */
  at: string;
  /** The event log's seq it reflects. */
  seq: number;
  /** The shop's name (config shop.name, set in the setup wizard). */
  shopName: string;
  /** Shop lines in use (FXO, GSM in the config's lines; SIP): busy when not idle. */
  lines: ChannelStatus[];
  /** Extensions (FXS phones). */
  extensions: ChannelStatus[];
  queues: QueueView[];
  agents: AgentView[];
  waiting: number;
  longestWaitS: number;
  today: TodayFigures | null;
  /**
   * Callbacks pending (待回呼): queue callbacks waiting for an agent (回拨 by the caller's key, the IVR
   * or an overflow rule) + scheduled callbacks (回拨预约) whose time has come and nobody called yet.
   */
  callbacksPending: number;
  /** Of those, the scheduled callbacks due (followups.callbacksDue()). */
  callbacksScheduledDue: number;
  activeCalls: LiveCall[];
}

export function maskPhone(n: string | null): string | null {
  if (n === null) return null;
  const digits = n.replace(/\D/g, '');
  if (digits.length < 7) return n.length > 2 ? `${n.slice(0, 1)}****` : n;
  return `${n.slice(0, 3)}****${n.slice(-4)}`;
}

export function todayFigures(r: KpiReport): TodayFigures {
  return {
    offered: r.offered,
    answered: r.answered,
    abandoned: r.abandoned,
    serviceLevel: r.serviceLevel,
    slThresholdS: r.slThresholdS,
    asaS: r.asaS,
    abandonRate: r.abandonRate,
  };
}

/** Everything but today's figures (the caller caches those: they read the event log). */
export function buildSnapshot(service: BoxService, today: TodayFigures | null, now: number): WallboardSnapshot {
  const channels = service.health().channels;
  const shop = shopOf(service);
  const queues = service.acd.queues();
  const scheduledDue = service.followups.callbacksDue();
  const activeCalls = service.calls
    .list({ limit: 50 })
    .filter((c) => c.state !== 'ended')
    .map(
      (c): LiveCall => ({
        id: c.id,
        state: c.state,
        caller: maskPhone(c.callerId),
        line: c.legs.find((l) => l.role === 'caller')?.channel ?? null,
        queue: c.queue,
        agent: c.agent,
        startedAt: c.startedAt,
        answeredAt: c.answeredAt,
      }),
    );
  return {
    at: new Date(now).toISOString(),
    seq: service.live.lastSeq(),
    shopName: shop.name,
    // the lines in use (config lines; SIP lines come from their routes): a port left unused in the setup is not shown
    lines: channels.filter((c) => c.kind !== 'fxs' && (c.kind === 'sip' || shop.lines === null || shop.lines.has(c.id))),
    extensions: channels.filter((c) => c.kind === 'fxs'),
    queues,
    agents: service.acd.agents(),
    waiting: queues.reduce((n, q) => n + q.waiting, 0),
    longestWaitS: queues.reduce((m, q) => Math.max(m, q.longestWaitS), 0),
    today,
    callbacksPending: service.callbacks.list({ state: 'waiting', limit: 500 }).length + scheduledDue,
    callbacksScheduledDue: scheduledDue,
    activeCalls,
  };
}

/** The shop's name and the channels of its configured lines (null: unknown, show every line). */
function shopOf(service: BoxService): { name: string; lines: Set<string> | null } {
  try {
    const config = service.config.get().config;
    return { name: config.shop.name, lines: new Set(config.lines.map((l) => l.channel)) };
  } catch {
    return { name: '', lines: null };
  }
}
