// The onoff GPIO backend's own mapping, on a fake sysfs tree (onoff itself always opens
// /sys/class/gpio, so a fake onoff stands in for it): the SoC chip is found by its pinctrl label
// and its base read from gpiochipN/base (512 on Pi OS Bookworm's Pi 4 kernel, 571 on a Pi 5,
// 0 on old kernels) — never assumed; lines off the chip and unknown trees are refused clearly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { gpioChips, OnoffGpio, type OnoffGpioCtor, socChip } from '../../../hal/src/gpio-onoff.js';

function tree(chips: { base: number; label: string; ngpio: number }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'callbox-sysfs-'));
  for (const c of chips) {
    const dir = join(root, `gpiochip${c.base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'base'), `${c.base}\n`);
    writeFileSync(join(dir, 'label'), `${c.label}\n`);
    writeFileSync(join(dir, 'ngpio'), `${c.ngpio}\n`);
  }
  writeFileSync(join(root, 'export'), '');
  return root;
}

/** A fake onoff: records what it was asked to open, and lets the test fire edges. */
function fakeOnoff() {
  const opened: { gpio: number; direction: string; edge: string | undefined; activeLow: boolean | undefined; writes: number[] }[] = [];
  const watchers: ((err: Error | null | undefined, v: 0 | 1) => void)[] = [];
  class FakeGpio {
    static accessible = true;
    readonly rec;
    constructor(gpio: number, direction: string, edge?: string, options?: { activeLow?: boolean }) {
      this.rec = { gpio, direction, edge, activeLow: options?.activeLow, writes: [] as number[], unexported: false };
      opened.push(this.rec);
    }
    async read() {
      return 0 as const;
    }
    async write(v: 0 | 1) {
      this.rec.writes.push(v);
    }
    watch(cb: (err: Error | null | undefined, v: 0 | 1) => void) {
      watchers.push(cb);
    }
    unwatch(cb?: (err: Error | null | undefined, v: 0 | 1) => void) {
      const i = cb ? watchers.indexOf(cb) : -1;
      if (i >= 0) watchers.splice(i, 1);
    }
    unexport() {
      this.rec.unexported = true;
    }
  }
  return { opened, watchers, ctor: FakeGpio as unknown as OnoffGpioCtor };
}

t.test('Pi 4 on a recent kernel: BCM 17 is sysfs 529 (base 512 read from the tree)', async (t) => {
  const root = tree([
    { base: 512, label: 'pinctrl-bcm2711', ngpio: 58 },
    { base: 570, label: 'raspberrypi-exp-gpio', ngpio: 8 },
  ]);
  t.teardown(() => rmSync(root, { recursive: true }));
  t.same(
    gpioChips(root).map((c) => c.name),
    ['gpiochip512', 'gpiochip570'],
  );
  const fake = fakeOnoff();
  const gpio = new OnoffGpio({ root, load: async () => fake.ctor });
  const ring = await gpio.input(17, { activeLow: true });
  const relay = await gpio.output(27, { initial: 0, activeLow: true });
  t.match(fake.opened, [
    { gpio: 529, direction: 'in', edge: 'both', activeLow: true },
    { gpio: 539, direction: 'high', edge: 'none', activeLow: true, writes: [0] },
  ]);
  const seen: number[] = [];
  const stop = ring.watch('falling', (v) => seen.push(v));
  for (const w of [...fake.watchers]) {
    w(null, 1);
    w(null, 0);
    w(new Error('epoll'), 0);
  }
  t.same(seen, [0], 'falling edges only, errors dropped');
  stop();
  t.equal(fake.watchers.length, 0, 'unwatched');
  await relay.write(1);
  t.same(fake.opened[1]?.writes, [0, 1]);
  await ring.close();
  t.match(fake.opened[0], { unexported: true });
  t.equal(ring.line, 17, 'the pin keeps the HAT line number');
});

t.test('Pi 5 (rp1, base 571), an old kernel (base 0), a label from the config', async (t) => {
  const pi5 = tree([
    { base: 512, label: 'gpio-brcmstb@107d508500', ngpio: 32 },
    { base: 571, label: 'pinctrl-rp1', ngpio: 54 },
  ]);
  const old = tree([{ base: 0, label: 'pinctrl-bcm2835', ngpio: 54 }]);
  t.teardown(() => {
    rmSync(pi5, { recursive: true });
    rmSync(old, { recursive: true });
  });
  t.equal(new OnoffGpio({ root: pi5 }).number(17), 588);
  t.equal(new OnoffGpio({ root: old }).number(17), 17);
  t.equal(new OnoffGpio({ root: pi5, chipLabel: 'gpio-brcmstb@107d508500' }).number(3), 515);
});

t.test('refusals name the problem', async (t) => {
  const two = tree([
    { base: 0, label: 'some-expander', ngpio: 16 },
    { base: 16, label: 'another-expander', ngpio: 16 },
  ]);
  t.teardown(() => rmSync(two, { recursive: true }));
  t.throws(() => socChip(gpioChips(two)), { message: /cannot tell which GPIO chip.*gpiochip0 "some-expander".*gpioChip/ });
  t.throws(() => new OnoffGpio({ root: two, chipLabel: 'pinctrl-bcm2711' }).number(1), {
    message: /no GPIO chip labelled "pinctrl-bcm2711"/,
  });
  t.throws(() => new OnoffGpio({ root: two, chipLabel: 'some-expander' }).number(16), {
    message: /GPIO line 16 is not on gpiochip0 "some-expander" \(0\.\.15\)/,
  });
  t.throws(() => gpioChips(join(two, 'nope')), { message: /no GPIO sysfs at .*nope/ });
});

t.test('the real onoff loads on first open; without sysfs GPIO the open fails with a clear error', async (t) => {
  const root = tree([{ base: 512, label: 'pinctrl-bcm2711', ngpio: 58 }]);
  t.teardown(() => rmSync(root, { recursive: true }));
  const gpio = new OnoffGpio({ root });
  t.equal(gpio.number(17), 529);
  // onoff itself always writes /sys/class/gpio/export, which this machine does not have.
  await t.rejects(gpio.input(17), /\/sys\/class\/gpio|ENOENT|EACCES|EINVAL/);
});
