/**
 * Layer 4: the one queue. Commands run one at a time through the AtMachine; the queue owns the
 * clock timer and the write function, resolves each caller's promise with its own response, and
 * hands URCs to the driver. Bytes in: feed(). Port gone: abortAll().
 */
import type { Clock, TimerHandle } from '../../clock.js';
import { AtError, type AtCommand } from './at-command.js';
import { AtLineSplitter } from './at-lines.js';
import { type AtAction, AtMachine } from './at-machine.js';
import type { Urc } from './at-urc.js';

interface Job {
  cmd: AtCommand<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface AtQueueOptions {
  clock: Clock;
  write: (data: string) => void;
  onUrc: (urc: Urc) => void;
  /** Every line and write, for logs and transcripts. */
  trace?: (dir: 'rx' | 'tx', text: string) => void;
  /** A line dropped as a late answer to an earlier command (framed only). */
  onStale?: (text: string) => void;
}

export class AtQueue {
  private readonly splitter = new AtLineSplitter();
  private readonly machine = new AtMachine();
  private readonly jobs: Job[] = [];
  private cur: Job | null = null;
  private timer: TimerHandle | null = null;
  private closed = false;
  private settling: TimerHandle | null = null;

  constructor(private readonly opts: AtQueueOptions) {}

  run<T>(cmd: AtCommand<T>): Promise<T> {
    if (this.closed) return Promise.reject(new AtError('aborted', cmd.name, 'port closed'));
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ cmd, resolve: resolve as (v: unknown) => void, reject });
      this.next();
    });
  }

  /** Bytes from the modem. */
  feed(chunk: Uint8Array | string): void {
    for (const t of this.splitter.push(chunk)) {
      if (t.kind === 'line') this.opts.trace?.('rx', t.text);
      this.apply(this.machine.token(t));
    }
  }

  /**
   * Echo framing: on once the modem echoes (ATE1), each answer is matched to its command by the
   * echo before it, so an answer that comes after its command timed out is dropped (at-machine.ts).
   */
  get framed(): boolean {
    return this.machine.framed;
  }

  set framed(on: boolean) {
    this.machine.framed = on;
  }

  /** Commands waiting (not counting the running one). */
  get waiting(): number {
    return this.jobs.length;
  }

  /** Fail the running and waiting commands (port closed, reset). The queue accepts new ones after reopen(). */
  abortAll(reason: string): void {
    this.closed = true;
    this.apply(this.machine.abort(reason));
    for (const j of this.jobs.splice(0)) j.reject(new AtError('aborted', j.cmd.name, reason));
    this.splitter.reset();
  }

  /** After a reopen the modem may have restarted: unframed until the driver turns echo on again. */
  reopen(): void {
    this.closed = false;
    this.machine.framed = false;
    this.settling?.cancel();
    this.settling = null;
    this.splitter.reset();
  }

  private next(): void {
    if (this.cur || this.machine.busy || this.settling) return;
    const job = this.jobs.shift();
    if (!job) return;
    this.cur = job;
    this.apply(this.machine.start(job.cmd));
  }

  private apply(actions: AtAction[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'write':
          this.opts.trace?.('tx', a.data);
          this.opts.write(a.data);
          break;
        case 'timer': {
          this.timer?.cancel();
          const job = this.cur;
          this.timer = this.opts.clock.setTimeout(() => {
            this.timer = null;
            // A stalled event loop runs a due timer before it reads the bytes already waiting at
            // the port: the answer would be taken for the next command's (AT+CMGR answers carry no
            // index: the wrong SIM slot deleted). setImmediate runs after the port is read.
            setImmediate(() => {
              if (this.cur === job && this.timer === null && !this.closed) this.apply(this.machine.timeout());
            });
          }, a.ms);
          break;
        }
        case 'settle':
          this.settling?.cancel();
          this.settling = this.opts.clock.setTimeout(() => {
            this.settling = null;
            if (!this.closed) this.next();
          }, a.ms);
          break;
        case 'cancelTimer':
          this.timer?.cancel();
          this.timer = null;
          break;
        case 'done':
        case 'fail': {
          const job = this.cur;
          this.cur = null;
          if (a.type === 'done') job?.resolve(a.value);
          else job?.reject(a.error);
          break;
        }
        case 'urc':
          this.opts.onUrc(a.urc);
          break;
        case 'stale':
          this.opts.onStale?.(a.text);
          break;
      }
    }
    if (!this.machine.busy && !this.closed) this.next();
  }
}
