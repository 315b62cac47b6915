/**
 * A HAT audio device through the ALSA tools (alsa-utils): `arecord` writes raw S16_LE 8 kHz
 * interleaved frames of all channels to our stdin pipe, `aplay` plays what we write. No native
 * addon. Each captured 20 ms block is split per channel, handed to the tick, and the tick's frames
 * are interleaved and written to aplay, so capture paces playback. A process that exits, or reports
 * an overrun/underrun ("xrun"), is restarted after `restartDelayMs`. One that fails (exits non-zero
 * or on a signal we did not send: a device missing or unplugged) makes the device faulty — the
 * tool's reason goes to the fault listener (the driver takes the ports out of service) — and is
 * retried with backoff (doubling up to `restartMaxMs`) until it works again: capture once a frame
 * arrives, playback once aplay has run `workingAfterMs`. More failures take the same path: an
 * arecord that runs but captures nothing for `stallMs` (a card that opens and sends no audio), an
 * aplay that takes no audio (its pipe full and `stallMs` of audio waiting behind it: a card that
 * does not play; cleared once an aplay took more than any pipe holds) — each ended and started
 * again — and a tool that cannot be started at all (not installed: the reason names alsa-utils; a
 * technician may install it, so it is retried too).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { FRAME_MS, FRAME_SAMPLES, type Frame, SAMPLE_RATE } from '../../audio.js';
import type { AudioDevice, AudioDeviceStats, AudioFaultListener, AudioTick } from './audio-device.js';
import { deinterleave, interleave } from './audio-device.js';

export interface AlsaDeviceOptions {
  device: string;
  channels: number;
  /** ALSA period and buffer (default 20 / 80 ms). */
  periodMs?: number;
  bufferMs?: number;
  /** Environment of the tools (ALSA_CONFIG_PATH for a test's `file` PCM). */
  env?: Record<string, string | undefined>;
  arecord?: string;
  aplay?: string;
  /** Extra arguments (e.g. `-d 2` to stop capture after 2 s in a bench test). */
  captureArgs?: string[];
  playbackArgs?: string[];
  /** Pause before restarting a process that stopped (default 500 ms), doubled after each failure in a row up to restartMaxMs (default 8 s). */
  restartDelayMs?: number;
  restartMaxMs?: number;
  /** A playback process alive this long works (default 1 s). */
  workingAfterMs?: number;
  /**
   * A capture process that delivers no byte for this long fails: the card sends no audio (default 3 s; a card delivers a
   * period every 20 ms). A playback process fails when this much audio waits for it behind its full pipe.
   */
  stallMs?: number;
  /** An aplay that took more than this works again after taking none (default 1 MiB: more than a pipe holds, 16 pages of up to 64 KiB). */
  pipeMaxBytes?: number;
  /** Wall clock for latency figures (default Date.now). */
  now?: () => number;
  log?: (msg: string, data?: Record<string, unknown>) => void;
}

type Role = 'capture' | 'playback';

export class AlsaDevice implements AudioDevice {
  readonly device: string;
  readonly channels: number;
  private tick: AudioTick | null = null;
  private rec: ChildProcess | null = null;
  private play: ChildProcess | null = null;
  private running = false;
  private pending = Buffer.alloc(0);
  private readonly block: Int16Array;
  private readonly out: Int16Array;
  private readonly rx: Frame[];
  private readonly tx: Frame[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private captureStart = 0;
  private captureFrames = 0;
  private readonly s: AudioDeviceStats;
  /** Failures in a row and the current failure, per role; what the listener was last told. */
  private readonly fails: Record<Role, number> = { capture: 0, playback: 0 };
  private readonly faults: Record<Role, string | null> = { capture: null, playback: null };
  private onFault: AudioFaultListener | null = null;
  /** Processes we end ourselves (an xrun): their exit is no failure. */
  private readonly ended = new WeakSet<ChildProcess>();
  /** Processes whose failure is already reported (not started, no audio): their close only schedules the retry. */
  private readonly reported = new WeakSet<ChildProcess>();
  /** When capture last delivered bytes (monotonic ms). */
  private capturedAt = 0;
  /** The current aplay: its name, the bytes written to it; whether playback last failed by taking no audio. */
  private playBin = 'aplay';
  private playWritten = 0;
  private playStuck = false;

  constructor(private readonly o: AlsaDeviceOptions) {
    this.device = o.device;
    this.channels = o.channels;
    this.block = new Int16Array(FRAME_SAMPLES * o.channels);
    this.out = new Int16Array(FRAME_SAMPLES * o.channels);
    this.rx = Array.from({ length: o.channels }, () => new Int16Array(FRAME_SAMPLES));
    this.tx = Array.from({ length: o.channels }, () => new Int16Array(FRAME_SAMPLES));
    this.s = {
      device: o.device,
      channels: o.channels,
      running: false,
      frames: 0,
      restarts: 0,
      xruns: 0,
      captureLagMs: 0,
      captureLagMaxMs: 0,
      playbackQueuedMs: 0,
      latencyMs: 0,
      lastError: null,
      fault: null,
    };
  }

  async start(tick: AudioTick, onFault?: AudioFaultListener): Promise<void> {
    this.tick = tick;
    this.onFault = onFault ?? null;
    this.running = true;
    this.s.running = true;
    this.spawnRole('capture');
    this.spawnRole('playback');
  }

  async stop(): Promise<void> {
    this.running = false;
    this.s.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([this.kill(this.rec), this.kill(this.play)]);
    this.rec = this.play = null;
  }

  stats(): AudioDeviceStats {
    return { ...this.s };
  }

  private args(role: Role): string[] {
    const period = (this.o.periodMs ?? FRAME_MS) * 1000;
    const buffer = (this.o.bufferMs ?? 4 * FRAME_MS) * 1000;
    const extra = (role === 'capture' ? this.o.captureArgs : this.o.playbackArgs) ?? [];
    return [
      '-D',
      this.o.device,
      '-t',
      'raw',
      '-f',
      'S16_LE',
      '-r',
      String(SAMPLE_RATE),
      '-c',
      String(this.channels),
      `--period-time=${period}`,
      `--buffer-time=${buffer}`,
      ...extra,
    ];
  }

  private spawnRole(role: Role): void {
    if (!this.running) return;
    const bin = role === 'capture' ? (this.o.arecord ?? 'arecord') : (this.o.aplay ?? 'aplay');
    const args = role === 'capture' ? this.args(role) : [...this.args(role), '-'];
    let proc: ChildProcess;
    try {
      proc = spawn(bin, args, {
        stdio: role === 'capture' ? ['ignore', 'pipe', 'pipe'] : ['pipe', 'ignore', 'pipe'],
        env: { ...process.env, ...this.o.env },
      });
    } catch (e) {
      // spawn throws for a few errors (EINVAL...) instead of emitting them
      this.failed(role, `${bin}: ${e instanceof Error ? e.message : String(e)}`);
      this.retry(role, true, 'spawn failed');
      return;
    }
    if (role === 'capture') {
      this.rec = proc;
      this.pending = Buffer.alloc(0);
      this.captureStart = this.now();
      this.captureFrames = 0;
      this.capturedAt = performance.now();
      proc.stdout?.on('data', (d: Buffer) => this.captured(d));
      this.watchSilence(proc, bin);
    } else {
      this.play = proc;
      this.playBin = bin;
      this.playWritten = 0;
      proc.stdin?.on('error', () => {}); // EPIPE when aplay dies; its exit restarts it
    }
    let errText = '';
    proc.stderr?.on('data', (d: Buffer) => {
      errText = (errText + d.toString()).slice(-2000);
      for (const line of d.toString().split('\n')) {
        if (/overrun|underrun|xrun/i.test(line)) {
          this.s.xruns++;
          this.o.log?.('ALSA xrun; restarting', { device: this.device, role, line: line.trim() });
          this.ended.add(proc);
          void this.kill(proc);
        }
      }
    });
    proc.on('error', (e: NodeJS.ErrnoException) => {
      this.reported.add(proc);
      this.failed(
        role,
        e.code === 'ENOENT' ? `${bin} not found: install the Debian package alsa-utils (${e.message})` : `${bin}: ${e.message}`,
      );
    });
    if (role === 'playback')
      this.after(this.o.workingAfterMs ?? 1000, () => this.play === proc && !this.playStuck && this.worked('playback'));
    // 'close', not 'exit': only then has all the tool's stderr (its reason) been read.
    proc.on('close', (code, signal) => {
      if (role === 'capture' && this.rec === proc) this.rec = null;
      if (role === 'playback' && this.play === proc) this.play = null;
      if (!this.running) return;
      const why = signal ?? `exit ${code}`;
      const reported = this.reported.has(proc);
      const failure = reported || (!this.ended.has(proc) && code !== 0);
      if (failure && !reported) this.failed(role, `${bin} ${why}: ${errText.trim().split('\n').pop() ?? ''}`.trim());
      this.retry(role, failure, why);
    });
  }

  /** Start the role again: after restartDelayMs, or after a failure on the backoff (doubling up to restartMaxMs). */
  private retry(role: Role, failure: boolean, why: string): void {
    const base = this.o.restartDelayMs ?? 500;
    const delay = failure ? Math.min(base * 2 ** (this.fails[role] - 1), this.o.restartMaxMs ?? 8000) : base;
    this.o.log?.('ALSA process stopped; restarting', { device: this.device, role, why, retryInMs: delay });
    this.s.restarts++;
    this.after(delay, () => this.spawnRole(role));
  }

  /**
   * A running arecord with nothing captured for stallMs is a failure (the card sends no audio): reported, ended, and started
   * again on the backoff by its close. Decided after a setImmediate, so bytes already waiting in the pipe (an event loop that
   * stalled itself) are read first and never taken for a silent card.
   */
  private watchSilence(proc: ChildProcess, bin: string): void {
    const stallMs = this.o.stallMs ?? 3000;
    const check = () =>
      setImmediate(() => {
        if (!this.running || this.rec !== proc) return;
        const quietMs = performance.now() - this.capturedAt;
        if (quietMs < stallMs) return this.after(stallMs - quietMs, check);
        this.reported.add(proc);
        this.failed('capture', `${bin} runs but the sound card sends no audio (nothing captured for ${stallMs / 1000} s)`);
        void this.kill(proc);
      });
    this.after(stallMs, check);
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private failed(role: Role, reason: string): void {
    this.fails[role]++;
    this.s.lastError = reason;
    this.faults[role] = reason;
    this.report();
  }

  private worked(role: Role): void {
    this.fails[role] = 0;
    if (role === 'playback') this.playStuck = false;
    if (this.faults[role] === null) return;
    this.faults[role] = null;
    this.report();
  }

  /** Tell the listener when the device's fault changes (capture's first: without it nothing ticks). */
  private report(): void {
    const fault = this.faults.capture ?? this.faults.playback;
    if (fault === this.s.fault) return;
    this.s.fault = fault;
    this.o.log?.(fault ? 'ALSA device failing' : 'ALSA device works again', { device: this.device, ...(fault ? { reason: fault } : {}) });
    this.onFault?.(fault);
  }

  private captured(d: Buffer): void {
    this.capturedAt = performance.now();
    const bytes = this.block.length * 2;
    let buf = this.pending.length ? Buffer.concat([this.pending, d]) : d;
    while (buf.length >= bytes) {
      for (let i = 0; i < this.block.length; i++) this.block[i] = buf.readInt16LE(i * 2);
      buf = buf.subarray(bytes);
      this.frame();
    }
    this.pending = Buffer.from(buf);
  }

  private frame(): void {
    if (this.fails.capture) this.worked('capture');
    this.captureFrames++;
    this.s.frames++;
    const due = this.captureStart + this.captureFrames * FRAME_MS;
    const lag = Math.max(0, this.now() - due);
    this.s.captureLagMs = lag;
    if (lag > this.s.captureLagMaxMs) this.s.captureLagMaxMs = lag;
    deinterleave(this.block, this.rx);
    for (const f of this.tx) f.fill(0);
    this.tick?.(this.rx, this.tx);
    interleave(this.tx, this.out);
    const play = this.play;
    if (play?.stdin?.writable && !this.reported.has(play)) this.toPlayback(play, play.stdin);
    this.s.latencyMs = (this.o.periodMs ?? FRAME_MS) + lag + (this.o.bufferMs ?? 4 * FRAME_MS) + this.s.playbackQueuedMs;
  }

  /**
   * The tick's frames to aplay. Audio piling up behind a full pipe (stallMs of it) is an aplay that takes none: a failure,
   * ended like a silent arecord (and memory bounded). After one, playback works again once an aplay took more than pipeMaxBytes.
   */
  private toPlayback(play: ChildProcess, stdin: Writable): void {
    const bytes = this.out.byteLength;
    const stallMs = this.o.stallMs ?? 3000;
    if (stdin.writableLength >= (stallMs / FRAME_MS) * bytes) {
      this.reported.add(play);
      this.playStuck = true;
      this.failed('playback', `${this.playBin} runs but the sound card takes no audio (${stallMs / 1000} s of it waiting)`);
      void this.kill(play);
      return;
    }
    // A copy: the pipe may hold the chunk after this returns.
    stdin.write(Buffer.from(this.out.buffer.slice(this.out.byteOffset, this.out.byteOffset + bytes)));
    this.playWritten += bytes;
    this.s.playbackQueuedMs = (stdin.writableLength / (bytes || 1)) * FRAME_MS;
    if (this.playStuck && this.playWritten - stdin.writableLength > (this.o.pipeMaxBytes ?? 1 << 20)) this.worked('playback');
  }

  private now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  /** End a tool: EOF on its stdin (aplay waits in read() and only checks for signals after it), SIGTERM, SIGKILL after 1 s. */
  private kill(p: ChildProcess | null): Promise<void> {
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const hard = setTimeout(() => p.kill('SIGKILL'), 1000);
      p.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      p.stdin?.end();
      p.kill('SIGTERM');
    });
  }
}
