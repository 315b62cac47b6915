/**
 * Customers from caller ID: every inbound call with a caller ID (not anonymous/private) makes sure
 * a customer owns that number (any stored form: "013812345678", "13812345678" and
 * "+8613812345678" are one phone), created with source 'callerId' and the caller name if the line
 * sent one. Done when the caller ID arrives (so the screen pop finds the customer while the call
 * rings) and again when the call ends (caller ID known before the first saved event, a failure
 * the first time). Never throws into the engine: failures are logged.
 */
import type { CallRecord } from '../../service/types.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { CustomersCore } from './service.js';

const WHEN = new Set(['call.callerId', 'call.ended']);

export class CallerIdCustomers {
  private off: (() => void) | null = null;

  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly core: CustomersCore,
  ) {}

  attach(): void {
    if (this.off) return;
    this.off = this.deps.engineEvents.on('call', ({ call, event }) => {
      if (WHEN.has(event)) this.onCall(call);
    });
  }

  detach(): void {
    this.off?.();
    this.off = null;
  }

  onCall(call: CallRecord): void {
    if (call.direction !== 'inbound' || !call.callerId) return;
    try {
      this.core.ensureFromCallerId(call.callerId, call.callerName);
    } catch (err) {
      this.deps.log.error({ call: call.id, err: String(err) }, 'customers: customer from caller ID failed');
    }
  }
}
