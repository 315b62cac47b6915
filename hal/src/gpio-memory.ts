/**
 * GPIO in memory: the twin of the onoff backend, for tests and `hw selftest --sim`. The far side
 * (a simulated line or phone) drives inputs with `drive(line, value)` and reads outputs with
 * `level(line)`; `onOutput` sees every write. Levels are physical (activeLow is applied like the
 * real backend: a pin opened activeLow reads 1 when the line is at 0).
 */
import type { Edge, Gpio, GpioPin } from './gpio.js';

interface Line {
  level: 0 | 1;
  activeLow: boolean;
  direction: 'in' | 'out';
  watchers: Set<{ edge: Edge; fn: (v: 0 | 1) => void }>;
}

export class MemoryGpio implements Gpio {
  private readonly lines = new Map<number, Line>();
  private readonly presets = new Map<number, 0 | 1>();
  /** Every output write: line, physical level. */
  onOutput: ((line: number, level: 0 | 1) => void) | null = null;

  async input(line: number, opts: { debounceMs?: number; activeLow?: boolean } = {}): Promise<GpioPin> {
    return this.open(line, 'in', opts.activeLow ?? false, this.presets.get(line) ?? 0);
  }

  async output(line: number, opts: { initial?: 0 | 1; activeLow?: boolean } = {}): Promise<GpioPin> {
    const activeLow = opts.activeLow ?? false;
    const initial = opts.initial ?? 0;
    return this.open(line, 'out', activeLow, (activeLow ? 1 - initial : initial) as 0 | 1);
  }

  /** The physical level an input line has when it is opened (the hardware's idle level). */
  preset(line: number, level: 0 | 1): void {
    this.presets.set(line, level);
  }

  /** The far side sets an input line's physical level; watchers see the logical value on a change. */
  drive(line: number, level: 0 | 1): void {
    const l = this.lines.get(line);
    if (!l) throw new Error(`GPIO ${line} is not open`);
    if (l.level === level) return;
    l.level = level;
    const v = (l.activeLow ? 1 - level : level) as 0 | 1;
    for (const w of [...l.watchers]) {
      if (w.edge === 'both' || (w.edge === 'rising' ? v === 1 : v === 0)) w.fn(v);
    }
  }

  /** The physical level of a line (null: not open). */
  level(line: number): 0 | 1 | null {
    return this.lines.get(line)?.level ?? null;
  }

  /** The logical value of a line as the driver sees it (null: not open). */
  value(line: number): 0 | 1 | null {
    const l = this.lines.get(line);
    return l ? ((l.activeLow ? 1 - l.level : l.level) as 0 | 1) : null;
  }

  openLines(): number[] {
    return [...this.lines.keys()].sort((a, b) => a - b);
  }

  private open(line: number, direction: 'in' | 'out', activeLow: boolean, level: 0 | 1): GpioPin {
    if (this.lines.has(line)) throw new Error(`GPIO ${line} is already open`);
    const l: Line = { level, activeLow, direction, watchers: new Set() };
    this.lines.set(line, l);
    const logical = () => (l.activeLow ? 1 - l.level : l.level) as 0 | 1;
    return {
      line,
      read: async () => logical(),
      write: async (value) => {
        if (l.direction !== 'out') throw new Error(`GPIO ${line} is an input`);
        l.level = (activeLow ? 1 - value : value) as 0 | 1;
        this.onOutput?.(line, l.level);
      },
      watch: (edge, fn) => {
        const w = { edge, fn };
        l.watchers.add(w);
        return () => l.watchers.delete(w);
      },
      close: async () => {
        l.watchers.clear();
        this.lines.delete(line);
      },
    };
  }
}
