/**
 * RFC 4733 telephone-event payloads for DTMF: 4 bytes (event, E|R|volume, duration). The sender
 * sends a start packet with the marker bit, updates every 20 ms with a growing duration, and three
 * end packets (E bit) with the same timestamp; the receiver reports each event once, on its first
 * end packet (or when a new event timestamp arrives after a lost end).
 */
const EVENTS = '0123456789*#ABCD';

export function digitToEvent(digit: string): number {
  const i = EVENTS.indexOf(digit.toUpperCase());
  if (i < 0) throw new Error(`not a DTMF digit: "${digit}"`);
  return i;
}

export function eventToDigit(event: number): string | null {
  return EVENTS[event] ?? null;
}

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  /** In timestamp units (8 kHz samples). */
  duration: number;
}

export function packEvent(e: TelephoneEvent): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = e.event & 0xff;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b[2] = (e.duration >> 8) & 0xff;
  b[3] = e.duration & 0xff;
  return b;
}

export function parseEvent(p: Uint8Array): TelephoneEvent | null {
  if (p.length < 4) return null;
  return {
    event: p[0] as number,
    end: ((p[1] as number) & 0x80) !== 0,
    volume: (p[1] as number) & 0x3f,
    duration: ((p[2] as number) << 8) | (p[3] as number),
  };
}

/** Receiver: one digit per event timestamp, however many updates and redundant ends arrive. */
export class EventReceiver {
  private current: { ts: number; event: number; duration: number } | null = null;
  private readonly reported = new Set<number>();
  private readonly order: number[] = [];

  constructor(private readonly onDigit: (digit: string, durationMs: number) => void) {}

  receive(timestamp: number, e: TelephoneEvent): void {
    if (this.reported.has(timestamp)) return; // redundant end or late update of a reported event
    if (this.current && this.current.ts !== timestamp) this.report(this.current); // its end packets were lost
    if (e.end) {
      this.report({ ts: timestamp, event: e.event, duration: e.duration });
      this.current = null;
    } else {
      this.current = { ts: timestamp, event: e.event, duration: e.duration };
    }
  }

  private report(c: { ts: number; event: number; duration: number }): void {
    this.reported.add(c.ts);
    this.order.push(c.ts);
    if (this.order.length > 32) this.reported.delete(this.order.shift() as number);
    if (this.current?.ts === c.ts) this.current = null;
    const digit = eventToDigit(c.event);
    if (digit) this.onDigit(digit, Math.round(c.duration / 8));
  }
}

/** Sender: the packets of one digit, one list per 20 ms tick (start, updates, then 3 ends). */
export function eventPackets(digit: string, durationMs = 100, volume = 10): { marker: boolean; payload: Uint8Array }[][] {
  const event = digitToEvent(digit);
  const ticks = Math.max(1, Math.round(durationMs / 20));
  const out: { marker: boolean; payload: Uint8Array }[][] = [];
  for (let i = 1; i <= ticks; i++) {
    out.push([{ marker: i === 1, payload: packEvent({ event, end: false, volume, duration: i * 160 }) }]);
  }
  const end = packEvent({ event, end: true, volume, duration: ticks * 160 });
  out.push([
    { marker: false, payload: end },
    { marker: false, payload: end },
    { marker: false, payload: end },
  ]);
  return out;
}
