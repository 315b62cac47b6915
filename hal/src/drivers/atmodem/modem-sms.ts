/**
 * SMS on the modem: read what arrived (+CMTI index → AT+CMGR, or +CMT with the PDU), decode, join
 * long messages, hand them over, and delete them from the SIM only once the box has them on its
 * storage (`durable`): the parts of a long message stay on the SIM until the whole is handed over,
 * so a restart or a power cut in between reads them again (the receiver drops a message it has by
 * its id). What the box could not save stays on the SIM and is read again (AT+CMGL) while the box
 * runs, backing off from 30 s to 10 min. A slot is deleted only if it got no new message since it
 * was read (a slot freed is reused by the next message: a second delete planned from an older read
 * would remove a message never read). Send with AT+CMGS in PDU mode, part by
 * part, retrying a part that failed on a network error (never one that may have gone out), each
 * part asking for a delivery report (TP-SRR); reports come as +CDS (AT+CNMI ds=1) or stored and
 * announced with +CDSI (ds=2), are decoded (sms-report.ts) and handed over by their TP-MR.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import { type AtCommand, AtError } from './at-command.js';
import * as cmd from './commands.js';
import { decodeDeliver, encodeSubmit, pduType, type SmsDeliver } from './pdu.js';
import { type AssembledSms, SmsAssembler, splitText } from './sms-concat.js';
import { decodeStatusReport, type SmsStatusReport } from './sms-report.js';

export interface SmsDeps {
  clock: Clock;
  /** AT+CMGS time limit. */
  timeoutMs: number;
  run<T>(c: AtCommand<T>): Promise<T>;
  deliver(sms: AssembledSms, receivedAt: number): void;
  /** Resolves once what deliver() saved is on the storage; the SIM copy is deleted after it. */
  durable(): Promise<void>;
  /** The messages the box has whose ids start with `idPrefix` (their id and text); none when it cannot say. */
  known(idPrefix: string): { id: string; text: string }[];
  /** A delivery report on a message sent (matched by the caller on ref + recipient). */
  report(r: SmsStatusReport): void;
  log(msg: string, data?: Record<string, unknown>): void;
}

/** Parts of a long message wait this long for the rest, then go out as they are. */
export const PARTS_MAX_WAIT_MS = 10 * 60_000;
/** A message the box could not save is read again from the SIM after this long, doubling up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 10 * 60_000;
/** Parts of one long message carry service-centre time stamps this close (most often the same second). */
export const SAME_MESSAGE_MS = 2 * 60_000;

export class ModemSms {
  private readonly asm = new SmsAssembler();
  private ref = 0;
  /** How delivery reports come (AT+CNMI ds): 1 +CDS, 2 +CDSI, 0 none (the modem took neither). */
  reports: 0 | 1 | 2 = 0;
  /** Per SIM slot: changes when a new message is announced in it and when a delete of it is sent. */
  private readonly gen = new Map<number, number>();
  private retry: TimerHandle | null = null;
  private retryMs = RETRY_FIRST_MS;

  constructor(private readonly d: SmsDeps) {
    this.ref = d.clock.now() & 0xff;
  }

  /** AT+CNMI: new messages as +CMTI, delivery reports as +CDS, else +CDSI, else none. */
  async setup(): Promise<void> {
    for (const ds of [1, 2, 0] as const) {
      try {
        await this.d.run(cmd.newSmsIndication(ds));
        this.reports = ds;
        return;
      } catch (e) {
        this.d.log('AT+CNMI refused', { ds, error: (e as Error).message });
      }
    }
  }

  /** +CMTI / +CDSI: read index, deliver, delete once saved (a part of a long message: when the whole is). */
  async stored(index: number): Promise<void> {
    this.changed(index);
    const seen = new Map(this.gen);
    let pdu: string | null = null;
    try {
      pdu = await this.d.run(cmd.readSms(index));
    } catch (e) {
      this.d.log('reading an SMS failed', { index, error: (e as Error).message });
      return;
    }
    // no message in the answer: nothing to delete (an empty slot), or nothing read (a reply that
    // went astray): the SIM keeps it, AT+CMGL reads it at the next start
    if (pdu) await this.deleteSaved(this.received(pdu, index), seen);
  }

  /** Everything on the SIM at start-up (arrived while the box was down, or not yet deleted). */
  async drain(): Promise<void> {
    const seen = new Map(this.gen);
    const list = await this.d.run(cmd.listSms());
    const done: number[] = [];
    for (const m of list) done.push(...this.received(m.pdu, m.index));
    await this.deleteSaved(done, seen);
  }

  /**
   * A PDU from +CMGR / +CMGL / +CMT / +CDS (`index`: its place on the SIM, if stored). Returns the
   * SIM indexes now done with: a delivery report, an unreadable PDU (logged and dropped, never
   * thrown), or every part of a message just handed over; none for a part still waiting for the rest.
   */
  received(pdu: string, index?: number): number[] {
    const now = this.d.clock.now();
    const self = index === undefined ? [] : [index];
    try {
      if (pduType(pdu) === 2) {
        this.d.report(decodeStatusReport(pdu));
        return self;
      }
      const part = decodeDeliver(pdu);
      const whole = this.asm.add(part, now, index);
      if (!whole) return this.leftover(part);
      this.d.deliver(whole, now);
      return whole.simIndexes;
    } catch (e) {
      this.d.log('unreadable SMS PDU dropped', { error: (e as Error).message, pdu: pdu.slice(0, 80) });
      return self;
    }
  }

  /**
   * A part of a long message the box already has (its other parts deleted, then the box was killed
   * or lost power before this one's AT+CMGD): its waiting parts are done with at once, instead of
   * taking SIM places for PARTS_MAX_WAIT_MS and coming back as an incomplete copy. The box's
   * message must be from the same sender with the same reference and total, sent within
   * SAME_MESSAGE_MS of this part, and hold this part's text.
   */
  private leftover(part: SmsDeliver): number[] {
    const prefix = SmsAssembler.idPrefix(part);
    if (!prefix || part.text.length === 0) return [];
    const same = this.d.known(prefix).some((m) => {
      const sentAt = Number(m.id.slice(prefix.length));
      return Number.isFinite(sentAt) && Math.abs(sentAt - part.sentAt) <= SAME_MESSAGE_MS && m.text.includes(part.text);
    });
    if (!same) return [];
    const done = this.asm.drop(part);
    this.d.log('a part of a message the box already has: deleted from the SIM', { indexes: done });
    return done;
  }

  /** Deliver long messages whose missing parts never came, then delete their parts from the SIM. */
  async expire(): Promise<void> {
    const now = this.d.clock.now();
    const done: number[] = [];
    for (const m of this.asm.expire(now, PARTS_MAX_WAIT_MS)) {
      this.d.deliver(m, now);
      done.push(...m.simIndexes);
    }
    await this.deleteSaved(done, new Map(this.gen));
  }

  /** No more reading again (the driver stops). */
  stop(): void {
    this.retry?.cancel();
    this.retry = null;
  }

  /**
   * Delete SIM copies once what was delivered from them is on the box's storage. `seen`: each slot's
   * generation when the read that found them was sent; a slot that got a new message, or whose
   * delete was sent, since then is left alone (that read may predate the delete).
   */
  private async deleteSaved(indexes: number[], seen: ReadonlyMap<number, number>): Promise<void> {
    if (!indexes.length) return;
    const planned = indexes.map((index) => ({ index, gen: seen.get(index) ?? 0 }));
    try {
      await this.d.durable();
    } catch (e) {
      // kept on the SIM: read again (and dropped if it was saved after all) in a while
      this.d.log('the box could not confirm it saved an SMS: left on the SIM', { indexes, error: (e as Error).message });
      this.readAgainLater();
      return;
    }
    this.retryMs = RETRY_FIRST_MS;
    for (const { index, gen } of planned) {
      if ((this.gen.get(index) ?? 0) !== gen) continue; // deleted already, or holding a newer message
      this.changed(index);
      await this.d.run(cmd.deleteSms(index)).catch((e: Error) => this.d.log('deleting an SMS failed', { index, error: e.message }));
    }
  }

  private changed(index: number): void {
    this.gen.set(index, (this.gen.get(index) ?? 0) + 1);
  }

  /** What could not be saved is still on the SIM: list the SIM again after a while (backing off). */
  private readAgainLater(): void {
    if (this.retry) return;
    const ms = this.retryMs;
    this.retryMs = Math.min(ms * 2, RETRY_MAX_MS);
    this.retry = this.d.clock.setTimeout(() => {
      this.retry = null;
      this.drain().catch((e: Error) => {
        this.d.log('reading the SIM again failed', { error: e.message });
        this.readAgainLater();
      });
    }, ms);
  }

  /** Send a text (split as needed). Resolves with the message references; rejects naming the failed part. */
  async send(to: string, text: string, attempts = 3): Promise<number[]> {
    if (text.length === 0) throw new Error('SMS text is empty');
    this.ref = (this.ref + 1) & 0xff;
    const parts = splitText(text, this.ref);
    const refs: number[] = [];
    for (const [k, part] of parts.entries()) {
      const pdu = encodeSubmit(to, part, { statusReport: this.reports !== 0 });
      for (let attempt = 1; ; attempt++) {
        try {
          refs.push(await this.d.run(cmd.sendSms(pdu.tpduLength, pdu.hex, this.d.timeoutMs)));
          break;
        } catch (e) {
          // A +CMS error means the network refused it: safe to resend. A timeout may have sent it.
          const retry = e instanceof AtError && (e.kind === 'cms' || e.kind === 'error') && attempt < attempts;
          if (!retry) throw new Error(`SMS part ${k + 1}/${parts.length} to ${to} failed: ${(e as Error).message}`);
          await new Promise<void>((r) => this.d.clock.setTimeout(r, 2000 * attempt));
        }
      }
    }
    return refs;
  }
}
