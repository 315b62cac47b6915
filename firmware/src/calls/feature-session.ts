/**
 * One agent at an idle analog phone dialling a feature code: dial tone until the first digit,
 * digits collected until # or a pause, then the confirmation prompt. The action is handed back
 * when the agent hangs up, so the change takes effect with the handset down.
 *
 * Digits that do not start with `*` are a number or an extension (phone-dial.ts): collected until #
 * or the dial plan's pause, then handed to `dialOut`, which starts the call (the session then only
 * passes keys on to the call) or refuses it (busy tone until the handset goes down).
 */
import type { Logger } from 'pino';
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Acd } from '../acd/acd.js';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { CallMedia } from '../media/leg-media.js';
import { SequenceSource } from '../media/sequence.js';
import { type FeatureAction, INTER_DIGIT_MS, confirmationPrompt, parseFeatureCode } from './feature-codes.js';
import { MAX_DIALLED } from './phone-dial.js';

/** Dialling a number or an extension (not a feature code) on the idle phone. */
export interface DialOut {
  interDigitMs: number;
  /** Start the call (true: the call has the phone's audio now), or false (busy tone). */
  dial(digits: string): boolean;
  busyTone(): FrameSource;
  /** A key pressed once the call is up (call results, recording pause: dispositions.ts). */
  key(digit: string): void;
}

export class FeatureSession {
  private dialled = '';
  private timer: TimerHandle | null = null;
  private action: FeatureAction | null = null;
  private complete = false;
  private media: CallMedia;

  constructor(
    private readonly phone: Channel,
    private readonly clock: Clock,
    dialTone: FrameSource,
    private readonly prompt: (name: string) => Int16Array,
    /** Actions that take effect at once (a call result): false when refused (error prompt). */
    private readonly immediate?: (action: FeatureAction) => boolean,
    private readonly dialOut?: DialOut,
  ) {
    this.media = new CallMedia(phone);
    this.media.play(dialTone);
  }

  get digits(): string {
    return this.dialled;
  }

  /** The dialled number went out as a call: keys now belong to it. */
  private calling = false;

  digit(d: string): void {
    if (this.calling) {
      this.dialOut?.key(d);
      return;
    }
    if (this.complete) return;
    this.media.stopPlayback();
    this.dialled += d;
    this.timer?.cancel();
    const number = this.dialOut && !this.dialled.startsWith('*');
    if (d === '#' || this.dialled.length >= (number ? MAX_DIALLED : 8)) {
      this.finish();
      return;
    }
    this.timer = this.clock.setTimeout(() => this.finish(), number ? (this.dialOut?.interDigitMs ?? INTER_DIGIT_MS) : INTER_DIGIT_MS);
  }

  /** The handset went down: the action to apply (null when nothing valid was dialled). */
  end(): FeatureAction | null {
    this.timer?.cancel();
    if (this.calling) return null;
    if (!this.complete && this.dialled && this.dialled.startsWith('*')) this.action = this.now(parseFeatureCode(this.dialled)).action;
    this.media.detach();
    return this.action;
  }

  private finish(): void {
    this.timer = null;
    this.complete = true;
    if (this.dialOut && !this.dialled.startsWith('*')) {
      this.media.detach();
      if (this.dialOut.dial(this.dialled)) this.calling = true;
      else {
        this.media = new CallMedia(this.phone);
        this.media.play(this.dialOut.busyTone());
      }
      return;
    }
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
