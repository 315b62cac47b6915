/**
 * The atmodem driver: one GSM/LTE modem on a serial port, one 'gsm' channel. It opens the port by
 * path (reopening after an unplug), runs the start-up (echo off, verbose errors, identify → profile,
 * SIM, registration, signal, operator, SMS set-up), follows the modem's URCs, checks it every
 * checkMs (signal, and a hung modem → reset), and keeps a small typed status for the health view.
 */
import type { Frame } from '../../audio.js';
import type { Channel, Driver } from '../../channel.js';
import type { TimerHandle } from '../../clock.js';
import { TypedEmitter } from '../../events.js';
import type { SerialPort } from '../../serial.js';
import { type AtCommand, AtError } from './at-command.js';
import { AtQueue } from './at-queue.js';
import type { RegStat, Urc } from './at-urc.js';
import * as cmd from './commands.js';
import { DEFAULT_TIMING, ModemChannel } from './modem-channel.js';
import { ModemSms } from './modem-sms.js';
import { PcmFramer, frameBytes } from './pcm-stream.js';
import type { AtModemOptions, ModemEvents, ModemState, ModemStatus } from './modem-types.js';
import { detectProfile, type ModemProfile, PROFILES } from './profiles.js';

export type { AtModemOptions, ModemEvents, ModemState, ModemStatus } from './modem-types.js';

export class AtModemDriver implements Driver {
  readonly name = 'atmodem';
  readonly events = new TypedEmitter<ModemEvents>();
  readonly channel: ModemChannel;
  /** Set by the box (modem-sms.ts): what the 'sms' listeners saved is on the storage (SIM copies deleted after it). */
  durable: () => Promise<void> = () => Promise.resolve();
  /** Set by the box (modem-sms.ts): the received messages it has whose ids start with a prefix. */
  known: (idPrefix: string) => { id: string; text: string }[] = () => [];
  private readonly queue: AtQueue;
  private readonly sms: ModemSms;
  private port: SerialPort | null = null;
  private audio: SerialPort | null = null;
  private readonly framer: PcmFramer;
  private readonly audioOut = new Uint8Array(320);
  private prof: ModemProfile = PROFILES[PROFILES.length - 1] as ModemProfile;
  private st: ModemStatus;
  private running = false;
  private reopenTimer: TimerHandle | null = null;
  private checkTimer: TimerHandle | null = null;
  private pinRefused = false;
  private checking = false;
  private starting: Promise<void> | null = null;
  private readonly reg = new Map<'cs' | 'eps', RegStat>();
  private readonly log: (msg: string, data?: Record<string, unknown>) => void;

  constructor(private readonly o: AtModemOptions) {
    this.log = o.log ?? (() => {});
    this.st = {
      state: 'closed',
      reason: 'not started',
      path: o.path,
      profile: null,
      model: null,
      registration: null,
      signalDbm: null,
      operator: null,
      since: o.clock.now(),
    };
    this.queue = new AtQueue({
      clock: o.clock,
      write: (d) => void this.port?.write(d).catch((e: Error) => this.log('write failed', { error: e.message })),
      onUrc: (u) => this.onUrc(u),
      onStale: (text) => this.log('late modem answer dropped', { line: text.slice(0, 60) }),
    });
    const run = <T>(c: AtCommand<T>) => this.queue.run(c);
    this.channel = new ModemChannel(
      o.channelId ?? 'gsm1',
      o.clock,
      {
        run,
        ready: () => this.st.state === 'ready',
        profile: () => this.prof,
        writeAudio: (f) => this.writeAudio(f),
        hasAudioPort: () => this.audio !== null,
        status: () => this.status(),
      },
      { ...DEFAULT_TIMING, ...o.timing },
    );
    this.sms = new ModemSms({
      clock: o.clock,
      timeoutMs: o.smsTimeoutMs ?? 60_000,
      run,
      log: this.log,
      deliver: (m, receivedAt) => this.channel.events.emit('sms', { from: m.from, text: m.text, receivedAt, id: m.id }),
      durable: () => this.durable(),
      known: (prefix) => this.known(prefix),
      report: (r) => this.events.emit('smsReport', r),
    });
    this.framer = new PcmFramer((f) => this.channel.audioIn(f));
  }

  channels(): Channel[] {
    return [this.channel];
  }

  status(): ModemStatus {
    return { ...this.st };
  }

  async start(): Promise<void> {
    this.running = true;
    this.checkTimer = this.o.clock.setInterval(() => void this.check(), this.o.checkMs ?? 30_000);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.reopenTimer?.cancel();
    this.checkTimer?.cancel();
    this.sms.stop();
    this.queue.abortAll('driver stopped');
    await this.closePorts();
    this.setStatus('closed', 'stopped');
  }

  /** Send a text message (long ones in parts). Rejects with a clear error when the modem is not ready. */
  async sendSms(to: string, text: string): Promise<number[]> {
    if (this.st.state !== 'ready')
      throw new Error(`cannot send SMS: modem ${this.st.state}${this.st.reason ? ` (${this.st.reason})` : ''}`);
    return this.sms.send(to, text);
  }

  // ---- port life ----

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.reopenTimer = null;
    try {
      const port = await this.o.serial.open({ path: this.o.path, baudRate: this.o.baudRate });
      this.port = port;
      port.onData((c) => this.queue.feed(c));
      port.onClose((err) => this.lost(err ? `modem disconnected: ${err.message}` : 'modem port closed'));
    } catch (e) {
      this.setStatus('closed', `cannot open ${this.o.path}: ${(e as Error).message}`);
      this.scheduleReopen();
      return;
    }
    this.queue.reopen();
    await this.startup();
  }

  private lost(reason: string): void {
    if (!this.port) return;
    this.port = null;
    this.queue.abortAll(reason);
    void this.closePorts();
    this.setStatus('closed', reason);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (!this.running || this.reopenTimer) return;
    this.reopenTimer = this.o.clock.setTimeout(() => void this.connect(), this.o.reopenMs ?? 2000);
  }

  private async closePorts(): Promise<void> {
    const [p, a] = [this.port, this.audio];
    this.port = null;
    this.audio = null;
    this.framer.reset();
    await p?.close().catch(() => {});
    await a?.close().catch(() => {});
  }

  // ---- start-up ----

  private startup(): Promise<void> {
    if (!this.starting) {
      this.starting = this.runStartup()
        .catch((e: Error) => this.failed(e))
        .finally(() => {
          this.starting = null;
        });
    }
    return this.starting;
  }

  private async runStartup(): Promise<void> {
    this.setStatus('starting', 'modem starting');
    const run = <T>(c: AtCommand<T>) => this.queue.run(c);
    await run(cmd.at());
    await this.echoFraming();
    await run(cmd.verboseErrors());
    const ident = `${await run(cmd.identify('ATI')).catch(() => '')} ${await run(cmd.identify('AT+CGMM')).catch(() => '')}`.trim();
    this.prof = detectProfile(ident);
    this.st.profile = this.prof.id;
    this.st.model = ident || null;
    if (!(await this.simReady())) return;
    for (const c of [cmd.clipOn(), cmd.pduMode(), ...this.prof.reg.map((r) => cmd.regReporting(r)), ...this.prof.setup()]) {
      await run(c).catch((e: Error) => this.log('modem set-up command refused', { error: e.message }));
    }
    await this.sms.setup();
    await this.openAudio();
    await this.refreshNetwork();
    await this.sms.drain().catch((e: Error) => this.log('reading stored SMS failed', { error: e.message }));
  }

  /**
   * ATE1, then answers are matched to commands by their echo (at-machine.ts): a modem that answers
   * late (busy for seconds) can no longer have one command's answer taken for the next one's. A
   * modem that does not echo is run unframed (answers matched by order), with a log line.
   */
  private async echoFraming(): Promise<void> {
    await this.queue.run(cmd.echoOn());
    this.queue.framed = true;
    try {
      await this.queue.run(cmd.at());
    } catch (e) {
      if (!(e instanceof AtError && e.kind === 'timeout')) throw e;
      this.queue.framed = false;
      this.log('the modem does not echo commands: answers matched by order only', { error: e.message });
    }
  }

  /** AT+CPIN?: READY goes on; a PIN is entered once from config; PUK and no SIM are reported. */
  private async simReady(): Promise<boolean> {
    let state: cmd.SimState;
    try {
      state = await this.queue.run(cmd.cpinQuery());
    } catch (e) {
      if (e instanceof AtError && e.kind === 'cme') {
        this.setStatus('noSim', `no SIM card (${e.detail})`);
        return false;
      }
      throw e;
    }
    if (state === 'pin') {
      if (!this.o.pin) {
        this.setStatus('simPin', 'the SIM needs its PIN: set it in the modem settings');
        return false;
      }
      if (this.pinRefused) {
        this.setStatus('simPin', 'the SIM refused the configured PIN; not retried (check it, then restart)');
        return false;
      }
      try {
        await this.queue.run(cmd.cpinEnter(this.o.pin));
      } catch (e) {
        this.pinRefused = true;
        this.setStatus('simPin', `the SIM refused the configured PIN (${(e as Error).message}); not retried`);
        return false;
      }
      state = await this.queue.run(cmd.cpinQuery());
    }
    if (state === 'puk' || state === 'pin2') {
      this.setStatus('simPuk', 'the SIM is locked (PUK needed): unlock it in a phone; the box never tries codes');
      return false;
    }
    if (state !== 'ready') {
      this.setStatus('noSim', `SIM not ready (${state})`);
      return false;
    }
    return true;
  }

  private async refreshNetwork(): Promise<void> {
    for (const r of this.prof.reg) {
      const stat = await this.queue.run(cmd.regQuery(r)).catch(() => null);
      if (stat) this.reg.set(r === 'CEREG' ? 'eps' : 'cs', stat);
    }
    this.st.signalDbm = await this.queue.run(cmd.signal()).catch(() => null);
    this.st.operator = await this.queue.run(cmd.operator()).catch(() => null);
    this.applyRegistration();
  }

  private applyRegistration(): void {
    const stats = [...this.reg.values()];
    const registered = stats.find((s) => s === 'home' || s === 'roaming');
    this.st.registration = registered ?? stats[0] ?? null;
    if (registered) this.setStatus('ready', null);
    else this.setStatus('noNetwork', `not registered on the network (${this.st.registration ?? 'unknown'})`);
  }

  private async openAudio(): Promise<void> {
    if (!this.o.audioPath || !this.prof.usbAudio || this.audio) return;
    try {
      await this.queue.run(this.prof.usbAudio());
      const a = await this.o.serial.open({ path: this.o.audioPath, baudRate: this.o.baudRate });
      a.onData((c) => this.framer.push(c));
      a.onClose(() => {
        if (this.audio === a) this.audio = null;
      });
      this.audio = a;
    } catch (e) {
      this.log('USB audio port not available; calls run without audio', { error: (e as Error).message });
    }
  }

  private writeAudio(frame: Frame): boolean {
    if (!this.audio) return false;
    void this.audio.write(frameBytes(frame, this.audioOut)).catch(() => {});
    return true;
  }

  // ---- faults and checks ----

  private failed(e: Error): void {
    if (!this.port) return; // the port closed under us: lost() handles it
    if (e instanceof AtError && e.kind === 'timeout') {
      this.hung(e.message);
      return;
    }
    this.setStatus('closed', `modem start-up failed: ${e.message}`);
  }

  /** No answer: ESC (leave a stuck prompt), then a full reset (AT+CFUN=1,1) and reopen the port. */
  private hung(why: string): void {
    if (!this.port) return;
    this.setStatus('hung', `modem not answering (${why}); resetting`);
    const port = this.port;
    void port.write('\x1b\r').catch(() => {});
    void this.queue
      .run(cmd.at())
      .then(() => this.startup())
      .catch(async () => {
        await port.write('AT+CFUN=1,1\r').catch(() => {});
        if (this.port !== port) return;
        this.port = null;
        this.queue.abortAll('modem reset');
        await this.closePorts();
        port.close().catch(() => {});
        this.setStatus('hung', `modem reset after no answer (${why}); reopening`);
        this.scheduleReopen();
      });
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.checkOnce();
    } finally {
      this.checking = false;
    }
  }

  private async checkOnce(): Promise<void> {
    void this.sms.expire();
    if (!this.port || this.starting || this.st.state === 'hung') return;
    if (this.st.state !== 'ready' && this.st.state !== 'noNetwork') {
      if (this.st.state === 'noSim' || this.st.state === 'simPin' || this.st.state === 'closed') await this.startup();
      return;
    }
    try {
      await this.queue.run(cmd.at());
    } catch (e) {
      if (e instanceof AtError && e.kind === 'timeout') this.hung(e.message);
      return;
    }
    await this.refreshNetwork();
  }

  private onUrc(u: Urc): void {
    switch (u.type) {
      case 'reg':
        this.reg.set(u.tech, u.stat);
        if (this.st.state === 'ready' || this.st.state === 'noNetwork') this.applyRegistration();
        return;
      case 'cpin':
        if (u.state !== 'READY') this.setStatus('noSim', `SIM removed or not ready (${u.state})`);
        else if (this.st.state === 'noSim') void this.startup();
        return;
      case 'boot':
        // The modem restarted by itself: calls are gone, set it up again.
        if (this.st.state !== 'starting') {
          this.setStatus('starting', `modem restarted (${u.line})`);
          void this.startup();
        }
        return;
      case 'cmti':
      case 'cdsi':
        void this.sms.stored(u.index);
        return;
      case 'cmt':
      case 'cds':
        this.sms.received(u.pdu);
        return;
      case 'other':
        return;
      default:
        this.channel.urc(u);
    }
  }

  private setStatus(state: ModemState, reason: string | null): void {
    const changed = this.st.state !== state || this.st.reason !== reason;
    if (this.st.state !== state) this.st.since = this.o.clock.now();
    this.st.state = state;
    this.st.reason = reason;
    this.channel.setUsable(state === 'ready', reason);
    if (changed) {
      this.log('modem status', { state, reason });
      this.events.emit('status', this.status());
    }
  }
}
