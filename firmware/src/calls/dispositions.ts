/**
 * Call results (通话小结 / dispositions): what a call was about, set by the agent during the call or
 * its wrap-up — from an FXS phone (`*4N`, see feature-codes.ts; during the call the agent hears the
 * confirmation whispered, the caller hears nothing), from the console or the API. The latest result
 * wins; every change is a `call.disposition` event saved in the same transaction as the call record
 * (a live call through the journal; an ended one through the store's `setDisposition`).
 *
 * A queue with `dispositionRequired` keeps its agent in wrap-up until a result is set, at most
 * DISPOSITION_HOLD_MAX_S past the queue's wrapUpS; then the call gets the code `none` (by `system`)
 * and the agent is available again (acd/disposition-hold.ts).
 */
import { DEFAULT_DISPOSITIONS } from '../config/schema-dispositions.js';
import { CallboxError } from '../errors.js';
import { SequenceSource } from '../media/sequence.js';
import type { EventCatalog } from '../events/catalog.js';
import type { CallDisposition, CallRecord, DispositionDef, DispositionRequest } from '../service/types.js';
import type { Ctx } from './engine-types.js';
import { recordingKey } from './recording-control.js';

export const NOTE_MAX = 500;
/** The code the box records when a required result was not set in time. */
export const NO_DISPOSITION = 'none';

/** A request's code and note, or VALIDATION_FAILED naming the field. */
export function checkDisposition(
  list: readonly DispositionDef[],
  req: DispositionRequest | null | undefined,
): { code: string; note: string | null } {
  const body = (typeof req === 'object' && req !== null ? req : {}) as DispositionRequest;
  const codes = list.map((d) => d.code);
  if (typeof body.code !== 'string' || !codes.includes(body.code)) {
    throw new CallboxError('VALIDATION_FAILED', `code must be one of the configured call results: ${codes.join(', ')}`, {
      field: 'code',
      allowed: codes,
    });
  }
  if (body.note === undefined || body.note === null || body.note === '') return { code: body.code, note: null };
  if (typeof body.note !== 'string' || body.note.length > NOTE_MAX) {
    throw new CallboxError('VALIDATION_FAILED', `note must be text of at most ${NOTE_MAX} characters`, { field: 'note' });
  }
  return { code: body.code, note: body.note.trim() || null };
}

/** Where an ended call's result is stored (store/disposition-store.ts): the row, the event, the outbox, in one transaction. */
export interface DispositionSink {
  getCall(id: string): CallRecord | null;
  setDisposition(
    callId: string,
    d: CallDisposition,
    event: { type: 'call.disposition'; ts: number; data: EventCatalog['call.disposition'] },
  ): CallRecord;
}

export interface DispositionHost {
  now(): number;
  list(): readonly DispositionDef[];
  /** The live call, if it is still going on. */
  active(id: string): Ctx | undefined;
  save(ctx: Ctx, data: EventCatalog['call.disposition']): void;
  sink: DispositionSink;
  /** The call's agent set a result: a required-result hold on them ends. */
  settled(agent: string): void;
}

export type DispositionSource = EventCatalog['call.disposition']['source'];

/**
 * Set `code` (already checked, or `none`) on call `callId`. NOT_FOUND for an unknown call.
 * Returns the call record and whether it had no result before.
 */
export function setDisposition(
  h: DispositionHost,
  callId: string,
  v: { code: string; note: string | null },
  by: string,
  source: DispositionSource,
): { call: CallRecord; created: boolean } {
  const ts = h.now();
  const ctx = h.active(callId);
  const before = ctx ? ctx.call.record : h.sink.getCall(callId);
  if (!before) throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(callId)}`, { id: callId });
  const created = !before.disposition;
  const d: CallDisposition = { code: v.code, note: v.note, agent: before.agent, by, at: new Date(ts).toISOString() };
  const data: EventCatalog['call.disposition'] = { code: d.code, note: d.note, agent: d.agent, queue: before.queue, by, source };
  let call: CallRecord;
  if (ctx) {
    ctx.call.record.disposition = d;
    h.save(ctx, data);
    call = ctx.call.record;
  } else {
    call = h.sink.setDisposition(callId, d, { type: 'call.disposition', ts, data });
  }
  if (d.agent && v.code !== NO_DISPOSITION) h.settled(d.agent);
  return { call, created };
}

/**
 * Keys an agent presses during a call: `*4N` (N a configured code) sets the result. The code is
 * taken as soon as it matches one code and no longer code starts with it, or at `#`.
 * Returns the code when complete, `invalid` for a complete but unknown code, null while collecting.
 */
export function inCallDispositionKey(ctx: { dispositionDigits?: string }, digit: string, codes: readonly string[]): string | null {
  let buf = ctx.dispositionDigits ?? '';
  if (digit === '*') buf = '*';
  else if (buf.startsWith('*')) buf += digit;
  else return null;
  ctx.dispositionDigits = buf;
  if (!buf.startsWith('*4') && buf.length >= 2) {
    ctx.dispositionDigits = '';
    return null;
  }
  const code = buf.slice(2);
  if (digit === '#') {
    ctx.dispositionDigits = '';
    const c = code.slice(0, -1);
    return codes.includes(c) ? c : 'invalid';
  }
  if (code === '') return null;
  const longer = codes.some((c) => c.length > code.length && c.startsWith(code));
  if (codes.includes(code) && !longer) {
    ctx.dispositionDigits = '';
    return code;
  }
  if (!longer || code.length >= 2) {
    ctx.dispositionDigits = '';
    return codes.includes(code) ? code : 'invalid';
  }
  return null;
}

export interface DeskHost extends Omit<DispositionHost, 'list'> {
  list(): readonly DispositionDef[] | undefined;
  prompt(name: string): Int16Array;
  log: { warn(obj: object, msg: string): void };
}

/** The engine's side of call results: the agents' last calls, FXS codes, the required-result timeout. */
export class DispositionDesk {
  /** Each agent's current or last call (the target of an idle phone's `*4N`). */
  private readonly lastCall = new Map<string, string>();
  private readonly host: DispositionHost;

  constructor(private readonly h: DeskHost) {
    this.host = { ...h, list: () => dispositionList(h.list()) };
  }

  /** The configured codes (or the defaults). */
  list(): DispositionDef[] {
    return [...this.host.list()];
  }

  /** The agent answered `callId`. */
  answered(agent: string, callId: string): void {
    this.lastCall.set(agent, callId);
  }

  /** Console / API: NOT_FOUND, VALIDATION_FAILED (code, note). */
  set(callId: string, req: DispositionRequest, by: string): { call: CallRecord; created: boolean } {
    return setDisposition(this.host, callId, checkDisposition(this.host.list(), req), by, 'api');
  }

  /** `*4N` on an idle phone: the agent's current or last call; false when unknown code or no call. */
  fromPhone(agent: string, code: string): boolean {
    const callId = this.lastCall.get(agent);
    if (!callId || !this.host.list().some((d) => d.code === code)) return false;
    return this.tryPhone(agent, callId, code);
  }

  /**
   * A key the agent pressed during the call: `*1`/`*2` pause/resume the recording
   * (recording-control.ts), `*4N` sets the call's result; the agent alone hears the confirmation.
   */
  agentKey(ctx: Ctx, digit: string): void {
    recordingKey(ctx, digit);
    const agent = ctx.call.record.agent;
    const code = inCallDispositionKey(
      ctx,
      digit,
      this.host.list().map((d) => d.code),
    );
    if (code === null || !agent) return;
    const ok = code !== 'invalid' && this.tryPhone(agent, ctx.call.id, code);
    ctx.media?.whisper(new SequenceSource([this.h.prompt(ok ? 'fc-disposition' : 'fc-unknown')]));
  }

  /** A required result was not set in time: the agent's last call gets `none`. */
  timeout(agent: string): void {
    const callId = this.lastCall.get(agent);
    if (!callId) return;
    try {
      setDisposition(this.host, callId, { code: NO_DISPOSITION, note: null }, 'system', 'timeout');
    } catch (err) {
      this.h.log.warn({ agent, callId, err: String(err) }, 'recording the missing call result failed');
    }
  }

  private tryPhone(agent: string, callId: string, code: string): boolean {
    try {
      setDisposition(this.host, callId, { code, note: null }, `phone:${agent}`, 'phone');
      return true;
    } catch (err) {
      this.h.log.warn({ agent, callId, code, err: String(err) }, 'call result from the phone refused');
      return false;
    }
  }
}

/** The configured list, or the defaults. */
export function dispositionList(list: readonly DispositionDef[] | undefined): readonly DispositionDef[] {
  return list ?? DEFAULT_DISPOSITIONS;
}
