/**
 * One caller's walk through the IVR menus: play the menu prompt (digits may barge in), wait
 * timeoutS for a key, repeat the prompt `repeats` times on silence, then take onTimeout; a key with
 * no option takes onInvalid. Ends by handing one terminal action (queue, extension, hang up) to the
 * engine. Menu hops are bounded so a looped menu tree cannot hold a line forever.
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { ClipSource } from '../media/clip.js';

export type IvrAction =
  | { action: 'queue'; queue: string; priority?: number }
  | { action: 'menu'; menu: string }
  | { action: 'extension'; agent: string }
  | { action: 'hangup' };

export type IvrTerminal = Exclude<IvrAction, { action: 'menu' }> & { reason: 'selected' | 'timeout' | 'invalid' | 'loop' };

export interface IvrMenu {
  prompt: string;
  timeoutS: number;
  repeats: number;
  options: Record<string, IvrAction>;
  onTimeout: IvrAction;
  onInvalid: IvrAction;
}

export interface IvrHooks {
  play(source: FrameSource, onDone: () => void): void;
  stopPlayback(): void;
  prompt(name: string): Int16Array;
  /** Each accepted key, with the menu it was pressed in. */
  onKey(menu: string, digit: string): void;
  onMenu(menu: string): void;
  done(result: IvrTerminal): void;
}

export const MAX_MENU_HOPS = 20;

export class IvrSession {
  private menuId = '';
  private plays = 0;
  private hops = 0;
  private timer: TimerHandle | null = null;
  private finished = false;

  constructor(
    private readonly menus: Record<string, IvrMenu>,
    private readonly clock: Clock,
    private readonly hooks: IvrHooks,
  ) {}

  get currentMenu(): string {
    return this.menuId;
  }

  start(menuId: string): void {
    this.enter(menuId);
  }

  /** A DTMF digit from the caller. */
  digit(d: string): void {
    if (this.finished || !this.menuId) return;
    const menu = this.menus[this.menuId];
    if (!menu) return;
    this.clearTimer();
    this.hooks.stopPlayback();
    const option = menu.options[d];
    if (option) {
      this.hooks.onKey(this.menuId, d);
      this.take(option, 'selected');
    } else {
      this.take(menu.onInvalid, 'invalid');
    }
  }

  stop(): void {
    this.finished = true;
    this.clearTimer();
  }

  private enter(menuId: string): void {
    if (++this.hops > MAX_MENU_HOPS) {
      this.finish({ action: 'hangup', reason: 'loop' });
      return;
    }
    const menu = this.menus[menuId];
    if (!menu) {
      this.finish({ action: 'hangup', reason: 'invalid' });
      return;
    }
    this.menuId = menuId;
    this.plays = 0;
    this.hooks.onMenu(menuId);
    this.playPrompt(menu);
  }

  private playPrompt(menu: IvrMenu): void {
    this.plays++;
    this.hooks.play(new ClipSource(this.hooks.prompt(menu.prompt)), () => this.waitForKey(menu));
  }

  private waitForKey(menu: IvrMenu): void {
    if (this.finished) return;
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.plays <= menu.repeats) this.playPrompt(menu);
      else this.take(menu.onTimeout, 'timeout');
    }, menu.timeoutS * 1000);
  }

  private take(action: IvrAction, reason: IvrTerminal['reason']): void {
    if (action.action === 'menu') {
      if (reason !== 'selected' && action.menu === this.menuId) {
        // invalid key in the same menu: replay it, counting towards its repeats
        const menu = this.menus[this.menuId] as IvrMenu;
        if (this.plays <= menu.repeats) {
          this.hops++;
          this.playPrompt(menu);
          return;
        }
        this.finish({ action: 'hangup', reason });
        return;
      }
      this.enter(action.menu);
      return;
    }
    this.finish({ ...action, reason });
  }

  private finish(result: IvrTerminal): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimer();
    this.hooks.done(result);
  }

  private clearTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
