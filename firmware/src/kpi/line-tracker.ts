/**
 * Which shop lines carry a call, from call.ringing (the call's start, with its channel) and
 * call.ended, fed in seq order; and the periods during which every line was busy.
 *
 * A line is busy from its call's first ring to the call's end (IVR, queue and talk included). Only
 * line channels count (kind fxo, gsm or sip trunk: not the agents' phones, fxs or SIP extensions,
 * whose own calls say `phone`); two calls on one channel
 * (call waiting) still make one busy line. "Every line busy" means at least `lines` busy channels.
 * Busy periods are clipped to [from, end). A line a transfer dials out on (call.transferred to an
 * external number: no agent, `to` the line's channel, `target` the number) is busy too, from the
 * transfer to the call's end (the consultation ringing before an attended transfer is not counted).
 */
import type { TypedEvent } from '../events/catalog.js';

export class LineTracker {
  private readonly callChannels = new Map<string, string[]>();
  private readonly channelCalls = new Map<string, number>();
  private busyChannels = 0;
  private allBusySince: number | null = null;
  private allBusyMs = 0;

  /** `onAllBusy` receives each all-lines-busy period, clipped, as it closes. */
  constructor(
    private readonly lines: number,
    private readonly from: number,
    private readonly end: number,
    private readonly onAllBusy?: (start: number, stop: number) => void,
  ) {}

  ringing(e: TypedEvent<'call.ringing'>): void {
    const { channel, kind } = e.data;
    if (e.callId === null || kind === 'fxs' || e.data.phone === true || this.callChannels.has(e.callId)) return;
    this.take(e.callId, channel, e.ts);
  }

  /** A transfer to an external number holds the line it dialled out on until the call ends. */
  transferred(e: TypedEvent<'call.transferred'>): void {
    const { agent, to, target } = e.data;
    if (e.callId === null || agent !== null || target === undefined || to === target) return; // an agent, queue or IVR menu
    if (this.callChannels.get(e.callId)?.includes(to)) return;
    this.take(e.callId, to, e.ts);
  }

  ended(e: TypedEvent<'call.ended'>): void {
    if (e.callId === null) return;
    const channels = this.callChannels.get(e.callId);
    if (channels === undefined) return;
    this.callChannels.delete(e.callId);
    for (const channel of channels) {
      const n = (this.channelCalls.get(channel) ?? 1) - 1;
      if (n > 0) this.channelCalls.set(channel, n);
      else {
        this.channelCalls.delete(channel);
        this.setBusy(this.busyChannels - 1, e.ts);
      }
    }
  }

  private take(callId: string, channel: string, ts: number): void {
    const list = this.callChannels.get(callId);
    if (list) list.push(channel);
    else this.callChannels.set(callId, [channel]);
    const n = this.channelCalls.get(channel) ?? 0;
    this.channelCalls.set(channel, n + 1);
    if (n === 0) this.setBusy(this.busyChannels + 1, ts);
  }

  /** Close an all-busy period still open at `end`. */
  finish(): void {
    if (this.allBusySince !== null) this.close(this.end);
    this.allBusySince = null;
  }

  /** Time every line was busy, in ms within [from, end). */
  get allBusyTotalMs(): number {
    return this.allBusyMs;
  }

  private setBusy(n: number, ts: number): void {
    const wasAll = this.lines > 0 && this.busyChannels >= this.lines;
    this.busyChannels = n;
    const isAll = this.lines > 0 && n >= this.lines;
    if (!wasAll && isAll) this.allBusySince = ts;
    else if (wasAll && !isAll) {
      this.close(ts);
      this.allBusySince = null;
    }
  }

  private close(until: number): void {
    const lo = Math.max(this.allBusySince ?? until, this.from);
    const hi = Math.min(until, this.end);
    if (hi <= lo) return;
    this.allBusyMs += hi - lo;
    this.onAllBusy?.(lo, hi);
  }
}
