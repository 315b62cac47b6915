/**
 * Where the engine writes what happened: a call's record with its event in one transaction, or
 * an event on its own (agent state changes). A failed write is logged and reported (`storeError`,
 * which turns health degraded) but never stops the call. Every event is also emitted live.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../../hal/src/clock.js';
import type { TypedEmitter } from '../../../hal/src/events.js';
import type { EventCatalog, EventType } from '../events/catalog.js';
import type { CallRecord } from '../service/types.js';
import type { CallSink, EngineEvents } from './engine-types.js';

export class CallJournal {
  constructor(
    private readonly store: CallSink,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: TypedEmitter<EngineEvents>,
  ) {}

  saveCall<K extends EventType>(call: CallRecord, type: K, data: EventCatalog[K]): void {
    const ts = this.clock.now();
    try {
      this.store.saveCall(call, { type, ts, data });
    } catch (err) {
      this.failed(call.id, type, err);
    }
    this.events.emit('call', { call, event: type });
    this.events.emit('event', { type, callId: call.id, data, ts });
  }

  append<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void {
    const ts = this.clock.now();
    try {
      this.store.appendEvent(type, callId, data, ts);
    } catch (err) {
      this.failed(callId, type, err);
    }
    this.events.emit('event', { type, callId, data, ts });
  }

  private failed(callId: string | null, type: string, err: unknown): void {
    this.log.error({ call: callId, type, err: String(err) }, 'saving the call failed');
    this.events.emit('storeError', { callId: callId ?? '', message: err instanceof Error ? err.message : String(err) });
  }
}
