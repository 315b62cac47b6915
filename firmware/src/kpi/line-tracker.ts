/**
 * Which shop lines carry a call, from call.ringing (the call's start, with its channel) and
 * call.ended, fed in seq order; and the periods during which every line was busy.
 *
 * A line is busy from its call's first ring to the call's end (IVR, queue and talk included). Only
 * line channels count (kind fxo, gsm or sip: not the agents' fxs phones); two calls on one channel
 * (call waiting) still make one busy line. "Every line busy" means at least `lines` busy channels.
 * Busy periods are clipped to [from, end).
 */
import type { TypedEvent } from '../events/catalog.js';

export class LineTracker {
  private readonly callChannel = new Map<string, string>();
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
    if (e.callId === null || kind === 'fxs' || this.callChannel.has(e.callId)) return;
    this.callChannel.set(e.callId, channel);
    const n = this.channelCalls.get(channel) ?? 0;
    this.channelCalls.set(channel, n + 1);
    if (n === 0) this.setBusy(this.busyChannels + 1, e.ts);
  }

  ended(e: TypedEvent<'call.ended'>): void {
    if (e.callId === null) return;
    const channel = this.callChannel.get(e.callId);
    if (channel === undefined) return;
    this.callChannel.delete(e.callId);
    const n = (this.channelCalls.get(channel) ?? 1) - 1;
    if (n > 0) {
      this.channelCalls.set(channel, n);
      return;
    }
    this.channelCalls.delete(channel);
    this.setBusy(this.busyChannels - 1, e.ts);
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
