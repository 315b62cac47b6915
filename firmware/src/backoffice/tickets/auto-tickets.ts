/**
 * Tickets the box opens by itself (自动工单):
 * - a voicemail left (an inbound call ending with outcome `voicemail`: the voicemail row is final
 *   by then) → source voicemail, linked to the voicemail and the call;
 * - a missed, abandoned or unanswered (noAgent) inbound call → source missed_call, one per caller
 *   per local day: another such call while that ticket is open only adds a link to it;
 * - an SMS (`fromSms`, called by the modem driver) → source sms, or a note on the sender's open SMS
 *   ticket of the same day.
 * Each kind can be switched off in the settings. Listeners never throw into the engine: failures
 * are logged.
 */
import type { CallRecord } from '../../service/types.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { maskPhone, normalizePhone } from '../common/phone.js';
import { SYSTEM_ACTOR } from '../common/types.js';
import { localDay } from './numbering.js';
import type { TicketsImpl } from './service.js';
import type { TicketRow } from './ticket-store.js';
import type { Ticket, TicketLinkKind, TicketSource } from './types.js';

const MISSED = new Set(['missed', 'abandoned', 'noAgent']);
const DAY_MS = 86_400_000;

export class AutoTickets {
  private off: (() => void) | null = null;

  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly svc: TicketsImpl,
  ) {}

  /** Listens to the call engine's ended calls. */
  attach(): void {
    if (this.off) return;
    this.off = this.deps.engineEvents.on('call', ({ call, event }) => {
      if (event !== 'call.ended') return;
      try {
        this.callEnded(call);
      } catch (err) {
        this.deps.log.error({ call: call.id, err: String(err) }, 'automatic ticket failed');
      }
    });
  }

  detach(): void {
    this.off?.();
    this.off = null;
  }

  /** Digits of a caller ID, or null when absent or not a phone number (anonymous, "P", "O"). */
  private phoneOf(callerId: string | null): string | null {
    if (!callerId) return null;
    try {
      return normalizePhone(callerId);
    } catch {
      return null;
    }
  }

  callEnded(call: CallRecord): Ticket | null {
    if (call.direction !== 'inbound' || !call.outcome) return null;
    const settings = this.svc.settingsStore.get();
    if (call.outcome === 'voicemail' && settings.voicemailTickets) return this.voicemail(call);
    if (MISSED.has(call.outcome) && settings.missedCallTickets) return this.missed(call);
    return null;
  }

  private voicemail(call: CallRecord): Ticket | null {
    const vm = this.svc.refs.voicemailOfCall(call.id);
    if (!vm) {
      this.deps.log.warn({ call: call.id }, 'call ended with a voicemail but no voicemail row: no ticket');
      return null;
    }
    if (this.svc.store.linkedTo('voicemail', vm.id).length > 0) return null;
    const phone = this.phoneOf(vm.callerId ?? call.callerId);
    const who = phone ? maskPhone(phone) : '未知号码 / unknown number';
    const secs = Math.round(vm.durationMs / 1000);
    return this.open('voicemail', phone, call.id, `留言 / Voicemail: ${who}`, `留言箱 ${vm.box}，${secs} 秒 / box ${vm.box}, ${secs} s`, [
      ['voicemail', vm.id],
      ['call', call.id],
    ]);
  }

  private missed(call: CallRecord): Ticket | null {
    const phone = this.phoneOf(call.callerId);
    if (!phone) {
      this.deps.log.debug({ call: call.id }, 'missed call without caller ID: no ticket');
      return null;
    }
    const now = this.deps.clock.now();
    const existing = this.sameDay(this.svc.store.openFrom('missed_call', this.svc.refs.phoneKeys(phone), now - DAY_MS));
    if (existing) {
      this.svc.tx(() => {
        if (this.svc.store.addLink(existing.id, 'call', call.id, now)) {
          this.svc.writer.save(SYSTEM_ACTOR, { ...existing }, [{ type: 'auto_link', body: `call:${call.id} (${call.outcome})` }]);
        }
      });
      return this.svc.get(SYSTEM_ACTOR, existing.id);
    }
    const what =
      call.outcome === 'missed'
        ? '未接来电 / Missed call'
        : call.outcome === 'abandoned'
          ? '放弃来电 / Abandoned call'
          : '无人接听 / No agent';
    return this.open('missed_call', phone, call.id, `${what}: ${maskPhone(phone)}`, `请回电 / Please call back (${call.outcome})`, [
      ['call', call.id],
    ]);
  }

  /** The row when created on today's local day (shop time zone), else null. */
  private sameDay(row: TicketRow | null): TicketRow | null {
    if (!row) return null;
    const tz = this.deps.config().shop.timezone;
    return localDay(row.created_at, tz) === localDay(this.deps.clock.now(), tz) ? row : null;
  }

  private open(
    source: TicketSource,
    phone: string | null,
    callId: string | null,
    subject: string,
    description: string,
    links: [TicketLinkKind, string][],
  ): Ticket {
    const input = this.svc.newTicket({
      subject,
      description,
      source,
      phone,
      callId: callId && this.svc.refs.resolve('call', callId) ? callId : null,
    });
    return this.svc.tx(() => {
      const row = this.svc.writer.create(SYSTEM_ACTOR, input);
      for (const [kind, ref] of links) this.svc.store.addLink(row.id, kind, ref, row.created_at);
      this.deps.log.info({ ticket: row.number, source }, 'automatic ticket');
      return this.svc.writer.view(row, true);
    });
  }

  fromSms(from: string, text: string, receivedAt: number, smsId?: string): Ticket | null {
    if (!this.svc.settingsStore.get().smsTickets) return null;
    const phone = this.phoneOf(typeof from === 'string' ? from : null);
    const body = typeof text === 'string' ? text.slice(0, 5000) : '';
    const at = typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? new Date(receivedAt).toISOString() : null;
    const links: [TicketLinkKind, string][] = typeof smsId === 'string' && smsId.length > 0 && smsId.length <= 64 ? [['sms', smsId]] : [];
    // An SMS already on a ticket (the inbox stores each message once, so only a repeated call):
    // nothing new.
    const seen = links.length ? this.svc.store.linkedTo('sms', links[0]?.[1] as string)[0] : undefined;
    if (seen) return this.svc.get(SYSTEM_ACTOR, seen);
    const now = this.deps.clock.now();
    const existing = phone ? this.sameDay(this.svc.store.openFrom('sms', this.svc.refs.phoneKeys(phone), now - DAY_MS)) : null;
    if (existing) {
      this.svc.tx(() => {
        this.svc.store.addNote({
          id: this.deps.newId(),
          ticketId: existing.id,
          author: 'system',
          body: body || '(空短信 / empty SMS)',
          internal: false,
          ts: now,
        });
        for (const [kind, ref] of links) this.svc.store.addLink(existing.id, kind, ref, now);
        this.svc.writer.save(SYSTEM_ACTOR, { ...existing }, [{ type: 'sms', body: body.slice(0, 500) }]);
      });
      return this.svc.get(SYSTEM_ACTOR, existing.id);
    }
    const sender = phone ? maskPhone(phone) : String(from ?? '').slice(0, 32) || '未知号码 / unknown';
    const firstLine = body.split('\n')[0]?.trim().slice(0, 40) ?? '';
    const subject = `短信 / SMS ${sender}: ${firstLine || '(空 / empty)'}`;
    const description = `${body}${at ? `\n\n(收到 / received ${at}${phone ? '' : `, 发件人 / from ${String(from).slice(0, 64)}`})` : ''}`;
    return this.open('sms', phone, null, subject.slice(0, 200), description, links);
  }
}
