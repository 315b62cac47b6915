/**
 * One caller's walk through the IVR menus: play the menu prompt (digits may barge in), wait
 * timeoutS for a key, repeat the prompt `repeats` times on silence, then take onTimeout; a key with
 * no option takes onInvalid. A `lookup` action is a node of its own (lookup-run.ts: it collects a
 * number and plays the shop's answer). Ends by handing one terminal action (queue, extension, hang
 * up, callback request) to the engine. Menu hops are bounded so a looped menu tree cannot hold a line forever.
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { SequenceSource } from '../media/sequence.js';
import type { CollectResult } from './digit-collector.js';
import { type LookupAction, type LookupAnswer, type LookupKind, LookupRun } from './lookup-run.js';

export type IvrAction =
  | { action: 'queue'; queue: string; priority?: number }
  | { action: 'menu'; menu: string }
  | { action: 'extension'; agent: string }
  | { action: 'language'; language: 'zh-CN' | 'en'; menu: string }
  | { action: 'hangup' }
  | { action: 'voicemail'; box: string }
  /** A callback request: the caller hears a confirmation and is called back in turn (calls/callbacks.ts). */
  | { action: 'callback'; queue: string }
  | LookupAction;

export type IvrTerminal = Exclude<IvrAction, { action: 'menu' } | { action: 'language' } | LookupAction> & {
  reason: 'selected' | 'timeout' | 'invalid' | 'loop';
};

export interface IvrMenu {
  prompt: string;
  timeoutS: number;
  repeats: number;
  options: Record<string, IvrAction>;
  onTimeout: IvrAction;
  onInvalid: IvrAction;
  /** Prompts played once when the caller enters the menu, before its prompt (e.g. consent). */
  announce?: string[];
  /** Played after an invalid key, before the menu repeats. */
  invalidPrompt?: string;
  /** Played when no key came in time, before the menu repeats. */
  timeoutPrompt?: string;
}

export interface IvrHooks {
  play(source: FrameSource, onDone: () => void): void;
  stopPlayback(): void;
  prompt(name: string): Int16Array;
  /** The caller chose a language: later prompts come from that set. */
  setLanguage(language: 'zh-CN' | 'en'): void;
  /** Each accepted key, with the menu it was pressed in. */
  onKey(menu: string, digit: string): void;
  onMenu(menu: string): void;
  done(result: IvrTerminal): void;
  /** A self-service lookup's answer for the collected digits ("" for whereToBuy); absent: unavailable. */
  lookup?(kind: LookupKind, digits: string): LookupAnswer;
  /** A try at collecting digits ended, in a lookup node. */
  onCollect?(node: string, result: CollectResult): void;
  onLookup?(node: string, outcome: string): void;
}

export const MAX_MENU_HOPS = 20;

export class IvrSession {
  private menuId = '';
  private plays = 0;
  private hops = 0;
  private timer: TimerHandle | null = null;
  private finished = false;
  /** The self-service lookup the caller is in (it takes the keys until it ends). */
  private run: LookupRun | null = null;

  constructor(
    private readonly menus: Record<string, IvrMenu>,
    private readonly clock: Clock,
    private readonly hooks: IvrHooks,
  ) {}

  get currentMenu(): string {
    return this.run ? this.run.node : this.menuId;
  }

  start(menuId: string): void {
    this.enter(menuId);
  }

  /** Start at a lookup (e.g. the after-hours action is a where-to-buy message). */
  startWith(action: LookupAction): void {
    this.startLookup(action);
  }

  /** A DTMF digit from the caller. */
  digit(d: string): void {
    if (this.finished) return;
    if (this.run) {
      this.run.digit(d);
      return;
    }
    if (!this.menuId) return;
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
    this.run?.stop();
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
    this.playPrompt(menu, menu.announce ?? []);
  }

  /** Play `before` (announcements, an error prompt), then the menu prompt, then wait for a key. */
  private playPrompt(menu: IvrMenu, before: string[] = []): void {
    this.plays++;
    const clips = [...before, menu.prompt].map((name) => this.hooks.prompt(name));
    this.hooks.play(new SequenceSource(clips), () => this.waitForKey(menu));
  }

  private waitForKey(menu: IvrMenu): void {
    if (this.finished) return;
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.plays <= menu.repeats) this.playPrompt(menu, menu.timeoutPrompt ? [menu.timeoutPrompt] : []);
      else this.take(menu.onTimeout, 'timeout');
    }, menu.timeoutS * 1000);
  }

  private take(action: IvrAction, reason: IvrTerminal['reason']): void {
    if (action.action === 'language') {
      this.hooks.setLanguage(action.language);
      this.enter(action.menu);
      return;
    }
    if (action.action === 'menu') {
      if (reason !== 'selected' && action.menu === this.menuId) {
        // invalid key in the same menu: replay it, counting towards its repeats
        const menu = this.menus[this.menuId] as IvrMenu;
        if (this.plays <= menu.repeats) {
          this.hops++;
          this.playPrompt(menu, menu.invalidPrompt ? [menu.invalidPrompt] : []);
          return;
        }
        this.finish({ action: 'hangup', reason });
        return;
      }
      this.enter(action.menu);
      return;
    }
    if (action.action === 'lookup') {
      this.startLookup(action);
      return;
    }
    this.finish({ ...action, reason });
  }

  /** A lookup is one more node: it takes the keys until it hands the call on. */
  private startLookup(action: LookupAction): void {
    if (++this.hops > MAX_MENU_HOPS) {
      this.finish({ action: 'hangup', reason: 'loop' });
      return;
    }
    const h = this.hooks;
    const run: LookupRun = new LookupRun(action, this.clock, {
      play: (src, done) => h.play(src, done),
      stopPlayback: () => h.stopPlayback(),
      prompt: (name) => h.prompt(name),
      answer: (kind, digits) => h.lookup?.(kind, digits) ?? { outcome: 'unavailable', clips: [], next: 'fail' },
      onCollect: (r) => h.onCollect?.(run.node, r),
      onLookup: (outcome) => h.onLookup?.(run.node, outcome),
      onKey: (digit) => h.onKey(run.node, digit),
      done: (end, reason) => this.finish({ ...end, reason }),
    });
    this.run = run;
    h.onMenu(run.node);
    run.start();
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
