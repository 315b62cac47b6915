/** GPIO as the pihat driver needs it (ring detect, hook relay, LEDs); onoff-backed on the box. */
export type Edge = 'rising' | 'falling' | 'both';

export interface GpioPin {
  readonly line: number;
  read(): Promise<0 | 1>;
  write(value: 0 | 1): Promise<void>;
  /** Call fn on each edge; returns a function that stops watching. */
  watch(edge: Edge, fn: (value: 0 | 1) => void): () => void;
  close(): Promise<void>;
}

export interface Gpio {
  input(line: number, opts?: { debounceMs?: number; activeLow?: boolean }): Promise<GpioPin>;
  output(line: number, opts?: { initial?: 0 | 1; activeLow?: boolean }): Promise<GpioPin>;
}
