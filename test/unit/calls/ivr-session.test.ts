// IVR menu walking in virtual time: prompts, barge-in, timeouts with repeats, invalid keys, submenus, loops.
import t from 'tap';
import type { FrameSource } from '../../../hal/src/audio.js';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { type IvrMenu, IvrSession, type IvrTerminal, MAX_MENU_HOPS } from '../../../firmware/src/ivr/ivr-session.js';

const menus: Record<string, IvrMenu> = {
  main: {
    prompt: 'welcome',
    timeoutS: 10,
    repeats: 1,
    options: { '1': { action: 'queue', queue: 'sales' }, '2': { action: 'menu', menu: 'support' }, '9': { action: 'hangup' } },
    onTimeout: { action: 'hangup' },
    onInvalid: { action: 'menu', menu: 'main' },
  },
  support: {
    prompt: 'support',
    timeoutS: 5,
    repeats: 0,
    options: { '1': { action: 'extension', agent: 'a2' }, '0': { action: 'menu', menu: 'main' } },
    onTimeout: { action: 'queue', queue: 'support' },
    onInvalid: { action: 'queue', queue: 'support' },
  },
  loop: {
    prompt: 'x',
    timeoutS: 1,
    repeats: 0,
    options: {},
    onTimeout: { action: 'menu', menu: 'loop2' },
    onInvalid: { action: 'hangup' },
  },
  loop2: {
    prompt: 'x',
    timeoutS: 1,
    repeats: 0,
    options: {},
    onTimeout: { action: 'menu', menu: 'loop' },
    onInvalid: { action: 'hangup' },
  },
};

/** Plays prompts at 20 ms per frame in virtual time; a prompt is 1 s long. */
function harness() {
  const clock = new VirtualClock(0);
  const played: string[] = [];
  const keys: string[] = [];
  let result: IvrTerminal | null = null;
  let playing: { src: FrameSource; done: () => void } | null = null;
  const frame = new Int16Array(FRAME_SAMPLES);
  clock.setInterval(() => {
    if (!playing) return;
    if (!playing.src.read(frame)) {
      const p = playing;
      playing = null;
      p.done();
    }
  }, 20);
  const ivr = new IvrSession(menus, clock, {
    play: (src, done) => {
      playing = { src, done };
    },
    stopPlayback: () => {
      playing = null;
    },
    prompt: (name) => {
      played.push(name);
      return new Int16Array(8000);
    },
    setLanguage: (l) => keys.push(`lang:${l}`),
    onKey: (menu, d) => keys.push(`${menu}:${d}`),
    onMenu: () => {},
    done: (r) => {
      result = r;
    },
  });
  return { clock, ivr, played, keys, result: () => result };
}

t.test('a key during the prompt barges in and selects', (t) => {
  const h = harness();
  h.ivr.start('main');
  h.clock.advance(500);
  h.ivr.digit('1');
  t.same(h.result(), { action: 'queue', queue: 'sales', reason: 'selected' });
  t.same(h.keys, ['main:1']);
  t.end();
});

t.test('silence: the prompt plays, waits timeoutS, repeats once, then takes onTimeout', (t) => {
  const h = harness();
  h.ivr.start('main');
  h.clock.advance(1000 + 10_000 - 40);
  t.same(h.played, ['welcome'], 'not repeated before the timeout');
  h.clock.advance(100);
  t.same(h.played, ['welcome', 'welcome'], 'repeated');
  h.clock.advance(11_100);
  t.same(h.result(), { action: 'hangup', reason: 'timeout' });
  t.end();
});

t.test('submenu, then its option; an invalid key in main replays main, then gives up', (t) => {
  const h = harness();
  h.ivr.start('main');
  h.ivr.digit('2');
  t.equal(h.ivr.currentMenu, 'support');
  h.ivr.digit('1');
  t.same(h.result(), { action: 'extension', agent: 'a2', reason: 'selected' });
  t.same(h.keys, ['main:2', 'support:1']);

  const h2 = harness();
  h2.ivr.start('main');
  h2.ivr.digit('7');
  t.same(h2.played, ['welcome', 'welcome'], 'invalid key replays the menu');
  h2.ivr.digit('7');
  t.same(h2.result(), { action: 'hangup', reason: 'invalid' }, 'second invalid key past the repeats hangs up');
  t.end();
});

t.test('a menu loop is cut after MAX_MENU_HOPS', (t) => {
  const h = harness();
  h.ivr.start('loop');
  h.clock.advance(MAX_MENU_HOPS * 3000);
  t.same(h.result(), { action: 'hangup', reason: 'loop' });
  t.end();
});

t.test('digits after the end are ignored', (t) => {
  const h = harness();
  h.ivr.start('main');
  h.ivr.digit('9');
  t.same(h.result(), { action: 'hangup', reason: 'selected' });
  h.ivr.digit('1');
  t.same(h.result(), { action: 'hangup', reason: 'selected' });
  t.end();
});

t.test('announcements play once on entry; error prompts play before a repeat; a language choice switches prompts', (t) => {
  const clock = new VirtualClock(0);
  const played: string[] = [];
  const events: string[] = [];
  let result: IvrTerminal | null = null;
  let playing: { src: FrameSource; done: () => void } | null = null;
  const frame = new Int16Array(FRAME_SAMPLES);
  clock.setInterval(() => {
    if (playing && !playing.src.read(frame)) {
      const p = playing;
      playing = null;
      p.done();
    }
  }, 20);
  let lang = 'zh-CN';
  const ivr = new IvrSession(
    {
      lang: {
        prompt: 'language',
        timeoutS: 5,
        repeats: 2,
        announce: ['consent'],
        timeoutPrompt: 'no-input',
        invalidPrompt: 'invalid',
        options: { '2': { action: 'language', language: 'en', menu: 'main' } },
        onTimeout: { action: 'hangup' },
        onInvalid: { action: 'menu', menu: 'lang' },
      },
      main: {
        prompt: 'welcome',
        timeoutS: 5,
        repeats: 0,
        options: { '1': { action: 'queue', queue: 'q' } },
        onTimeout: { action: 'hangup' },
        onInvalid: { action: 'hangup' },
      },
    },
    clock,
    {
      play: (src, done) => {
        playing = { src, done };
      },
      stopPlayback: () => {
        playing = null;
      },
      prompt: (name) => {
        played.push(`${lang}:${name}`);
        return new Int16Array(800);
      },
      setLanguage: (l) => {
        lang = l;
        events.push(`lang ${l}`);
      },
      onKey: () => {},
      onMenu: (m) => events.push(`menu ${m}`),
      done: (r) => {
        result = r;
      },
    },
  );
  ivr.start('lang');
  t.same(played, ['zh-CN:consent', 'zh-CN:language'], 'consent first, once');
  clock.advance(300 + 5000);
  t.same(played.slice(2), ['zh-CN:no-input', 'zh-CN:language'], 'timeout prompt, then the menu again (no consent)');
  ivr.digit('7');
  t.same(played.slice(4), ['zh-CN:invalid', 'zh-CN:language'], 'invalid prompt, then the menu again');
  ivr.digit('2');
  t.same(events, ['menu lang', 'lang en', 'menu main']);
  t.same(played.slice(6), ['en:welcome'], 'the next menu speaks English');
  ivr.digit('1');
  t.same(result, { action: 'queue', queue: 'q', reason: 'selected' });
  t.end();
});
