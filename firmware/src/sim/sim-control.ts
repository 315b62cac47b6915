/** The sim driver's control surface for the service API: place a simulated customer call. */
import type { SimHat } from '../../../hal/src/drivers/sim/sim-hat.js';
import type { CallEngine } from '../calls/engine.js';
import { CallboxError } from '../errors.js';
import type { SimAgentSettings, SimCallRequest, SimControl } from '../service/types.js';

export class SimController implements SimControl {
  constructor(
    private readonly hat: SimHat,
    private readonly engine: CallEngine,
  ) {}

  async placeCall(req: SimCallRequest): Promise<{ callId: string }> {
    const ch = this.hat.channel(req.channel);
    if (!ch) throw new CallboxError('NOT_FOUND', `no channel ${req.channel} on the simulated hardware`);
    if (ch.kind === 'fxs') throw new CallboxError('BAD_REQUEST', `${req.channel} is an agent extension; call in on a line (fxo or gsm)`);
    if (ch.state !== 'idle') throw new CallboxError('CONFLICT', `${req.channel} is busy`);
    const call = {
      channel: req.channel,
      callerId: req.callerId ?? null,
      ...(req.callerName != null ? { callerName: req.callerName } : {}),
      ...(req.digits !== undefined ? { digits: req.digits } : {}),
      ...(req.hangupAfterS !== undefined ? { hangupAfterS: req.hangupAfterS } : {}),
      ...(req.fax ? { fax: true } : {}),
    };
    this.hat.placeInboundCall(call);
    const callId = this.engine.callIdOn(req.channel);
    if (!callId) throw new CallboxError('CONFLICT', `${req.channel} has no line configured, so the box ignores calls on it`);
    return { callId };
  }

  agentSettings(): SimAgentSettings {
    return this.hat.getAgentSettings();
  }

  setAgentSettings(s: Partial<SimAgentSettings>): SimAgentSettings {
    return this.hat.setAgentSettings(s);
  }

  /** Line channels that are idle now (for the demo traffic generator). */
  idleLines(): string[] {
    return this.hat
      .channels()
      .filter((c) => c.kind !== 'fxs' && c.state === 'idle')
      .map((c) => c.id);
  }
}
