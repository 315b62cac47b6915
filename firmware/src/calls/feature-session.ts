/**
 * One agent at an idle analog phone dialling a feature code: dial tone until the first digit,
 * digits collected until # or a pause, then the confirmation prompt. The action is handed back
 * when the agent hangs up, so the change takes effect with the handset down.
 */
import type { Logger } from 'pino';
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Acd } from '../acd/acd.js';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import { type FeatureAction, INTER_DIGIT_MS, confirmationPrompt, parseFeatureCode } from './feature-codes.js';

export class FeatureSession {
  private dialled = '';
  private timer: TimerHandle | null = null;
  private action: FeatureAction | null = null;
  private complete = false;
  private readonly media: CallMedia;

  constructor(
    phone: Channel,
    private readonly clock: Clock,
    dialTone: FrameSource,
    private readonly prompt: (name: string) => Int16Array,
    /** Actions that take effect at once (a call result): false when refused (error prompt). */
    private readonly immediate?: (action: FeatureAction) => boolean,
  ) {
    this.media = new CallMedia(phone);
    this.media.play(dialTone);
  }

  get digits(): string {
    return this.dialled;
  }

  digit(d: string): void {
    if (this.complete) return;
    this.media.stopPlayback();
    this.dialled += d;
    this.timer?.cancel();
    if (d === '#' || this.dialled.length >= 8) {
      this.finish();
      return;
    }
    this.timer = this.clock.setTimeout(() => this.finish(), INTER_DIGIT_MS);
  }

  /** The handset went down: the action to apply (null when nothing valid was dialled). */
  end(): FeatureAction | null {
    this.timer?.cancel();
    if (!this.complete && this.dialled) this.action = this.now(parseFeatureCode(this.dialled)).action;
    this.media.detach();
    return this.action;
  }

  private finish(): void {
    this.timer = null;
    this.complete = true;
    const { action, ok } = this.now(parseFeatureCode(this.dialled));
    this.action = action;
    this.media.play(new SequenceSource([this.prompt(ok ? confirmationPrompt(action ?? { kind: 'disposition', code: '' }) : 'fc-unknown')]));
  }

  /** A call result is set now, a parked call picked up now (nothing is left for the hang-up); other actions wait for the hang-up. */
  private now(action: FeatureAction | null): { action: FeatureAction | null; ok: boolean } {
    if (action?.kind !== 'disposition' && action?.kind !== 'pickup' && action?.kind !== 'monitor') return { action, ok: action !== null };
    return { action: null, ok: this.immediate?.(action) ?? false };
  }
}

/** Apply a dialled action to the agent (refusals, e.g. pausing while logged out, are logged). */
export function applyFeatureAction(acd: Acd, agentId: string, action: FeatureAction, log: Logger): void {
  try {
    if (action.kind === 'login' || action.kind === 'unpause') acd.login(agentId);
    else if (action.kind === 'logout') acd.logout(agentId);
    else if (action.kind === 'pause') acd.pause(agentId, action.reason);
  } catch (err) {
    log.warn({ agent: agentId, action, err: String(err) }, 'feature code refused');
  }
}

/** The handset went down after dialling a feature code: apply it (before the phone counts as idle). */
export function endFeatureSession(phone: Channel, sessions: Map<string, FeatureSession>, acd: Acd, log: Logger): void {
  const session = sessions.get(phone.id);
  const agent = acd.agentByExtension(phone.id);
  if (!session || !agent) return;
  sessions.delete(phone.id);
  const action = session.end();
  if (!action) {
    if (session.digits) log.info({ agent: agent.id, dialled: session.digits }, 'unknown feature code');
    return;
  }
  applyFeatureAction(acd, agent.id, action, log);
}
