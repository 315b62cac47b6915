/**
 * The composition root of the appliance: builds every module from config and injects the host
 * (clock, log, data folder). Nothing else constructs modules or reaches for globals. Front ends
 * (HTTP, MQTT, provisioning) take `box.service` and nothing more.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { AnchoredClock } from '../../hal/src/anchored-clock.js';
import type { Channel, Driver } from '../../hal/src/channel.js';
import type { Clock } from '../../hal/src/clock.js';
import { SimHat } from '../../hal/src/drivers/sim/sim-hat.js';
import { ModemOverlayDriver } from '../../hal/src/drivers/atmodem/with-modem.js';
import { MultiDriver } from '../../hal/src/drivers/sip/multi-driver.js';
import { sipOptionsFromEnv } from '../../hal/src/drivers/sip/sip-env.js';
import { ToneGenerator } from '../../hal/src/dsp/tone.js';
import { tonePreset } from '../../hal/src/dsp/tone-presets.js';
import { type BackOffice, createBackOffice } from './backoffice/index.js';
import { CallEngine } from './calls/engine.js';
import { reconfigure as reconfigureEngine } from './calls/engine-hosts.js';
import type { EngineConfig } from './calls/engine-types.js';
import { ConfigStore } from './config/config-store.js';
import { ConfigControl } from './service/config-control.js';
import type { ConfigApplyResult, ConfigChangeOptions } from './service/config-types.js';
import { type Config, defaultRecordingConfig } from './config/schema.js';
import { KpiServiceImpl } from './kpi/kpi-service.js';
import { PromptLibrary } from './media/prompts.js';
import { LiveFeed } from './service/live.js';
import { callLookups } from './backoffice/selfservice/call-lookups.js';
import { cloudModule } from './cloud/box-wiring.js';
import { LoopSource } from './media/sequence.js';
import { type Module, ModuleRunner } from './modules.js';
import { Recorder } from './recorder/recorder.js';
import { RecorderModule } from './recorder/recorder-module.js';
import { Auth } from './service/auth.js';
import { can } from './service/permissions.js';
import { BoxServiceImpl } from './service/box-service.js';
import { LoopLagMonitor } from './service/loop-lag.js';
import type { BoxService } from './service/types.js';
import { SimController } from './sim/sim-control.js';
import { TrafficGenerator } from './sim/traffic.js';
import { agentCounters, queueTalkTimes } from './store/agent-counters.js';
import { CallbackStore } from './store/callback-store.js';
import { CallStore } from './store/call-store.js';
import { DispositionStore } from './store/disposition-store.js';
import { openDatabase } from './store/db.js';
import { WalSync } from './store/wal-sync.js';
import { modemToInbox, smsToInbox } from './sms/sms-in.js';
import { VoicemailBox } from './voicemail/voicemail-box.js';
import { type HatIo, modemOf, piHatDriver, smsSenderOf, withModem } from './hardware.js';
import { engineConfig, RING_CADENCE, sipLines, sipPhonesOf, TONE_REGION } from './box-config.js';
import { SmsOutbox } from './sms/sms-outbox.js';
import { applyPendingRestore, BoxBackup } from './service/backup.js';
import { PromptFiles } from './service/prompt-files.js';
import { ListenerFaults } from './service/listener-faults.js';
import { VoicemailModule } from './voicemail/voicemail-module.js';

export interface BoxOptions {
  dataDir: string;
  clock: Clock;
  log: Logger;
  version: string;
  promptsDir: string;
  /** Run the sim driver whatever the config says. */
  forceSim?: boolean;
  /** GPIO and audio for the pihat driver instead of onoff and arecord/aplay (tests). */
  hatIo?: HatIo;
  /** Seeds the owner account (CALLBOX_ADMIN_PASSWORD). */
  adminPassword?: string;
  /** Demo traffic: simulated customer calls per hour (0 or absent: none). */
  demoCallsPerHour?: number;
  /** Event-loop lag monitor (off in virtual-time tests). */
  monitorLoopLag?: boolean;
  /** 8 kHz speech for simulated callers and agents. */
  simSpeech?: { caller: Int16Array | null; agent: Int16Array | null };
  /** CALLBOX_MQTT_URL / CALLBOX_DEVICE_ID override the config's cloud section (firmware/src/cloud). */
  env?: Record<string, string | undefined>;
  /** Graceful stop + the exit code the service manager restarts on (cloud cmd/reboot). */
  requestRestart?: (reason: string) => void;
  /** Front-end modules composed from outside the firmware (the USB provisioning agent, images/cli). */
  extraModules?: (ctx: { box: Box; db: Database; configStore: ConfigStore | null }) => Module[];
}

export class Box {
  readonly service: BoxService;
  readonly engine: CallEngine;
  readonly hat: SimHat | null;
  readonly runner: ModuleRunner;
  /** The one-time setup code printed on first boot when no owner exists. */
  setupCode: string | null = null;
  private readonly callStore: CallStore;
  readonly recorder: Recorder;
  private readonly callbackStore: CallbackStore;
  private readonly promptFiles: PromptFiles;
  /** Voicemail boxes: the engine hands callers over with voicemail.take(). */
  readonly voicemail: VoicemailBox;
  /** Customers, tickets, knowledge base, sales, finance, follow-ups, reports. */
  readonly backOffice: BackOffice;
  /** Live config changes (REST, cloud): see applyConfig(). */
  readonly configControl: ConfigControl;
  /** Channel and engine event listeners that threw (LISTENER_FAILED alarm): reported, never fatal. */
  readonly listenerFaults: ListenerFaults;
  /** The database's WAL synced off the event loop: see durable(). */
  private readonly walSync: WalSync;
  /** The running config: replaced by each live config change. */
  private current: Config;
  private readonly engineConfig: EngineConfig;

  private constructor(
    config: Config,
    private readonly db: Database,
    readonly auth: Auth,
    private readonly driver: Driver,
    private readonly opts: BoxOptions,
    configStore: ConfigStore,
  ) {
    const { clock, log } = opts;
    this.current = config;
    this.walSync = new WalSync(db.name);
    const callStore = new CallStore(db);
    this.callStore = callStore;
    this.callbackStore = new CallbackStore(db);
    this.recorder = new Recorder({
      db,
      clock,
      log: log.child({ ns: 'recorder' }),
      dir: join(opts.dataDir, 'recordings'),
      config: () => this.config.recording ?? defaultRecordingConfig(),
      queues: () => this.config.queues,
    });
    // the shop's own prompts (<data-dir>/prompts, setup page) come before the built-in ones
    const prompts = new PromptLibrary(opts.promptsDir, config.shop.language, log.child({ ns: 'prompts' }), join(opts.dataDir, 'prompts'));
    this.promptFiles = new PromptFiles({
      builtInDir: opts.promptsDir,
      dir: join(opts.dataDir, 'prompts'),
      forget: (name) => prompts.forget(name),
      audit: (actor, action, entity, id, detail) => this.backOffice.audit.record(actor, action, entity, id, detail),
    });
    this.voicemail = new VoicemailBox({
      db,
      clock,
      log: log.child({ ns: 'voicemail' }),
      dataDir: opts.dataDir,
      config: () => this.config.voicemail,
      prompt: (name, language) => prompts.get(name, language),
    });
    const country = config.shop.country;
    // one object the engine and its hosts read: a live config change updates it in place
    this.engineConfig = { ...engineConfig(config), lines: [...config.lines, ...sipLines(driver)] };
    this.listenerFaults = new ListenerFaults(() => clock.now(), log.child({ ns: 'faults' }));
    // call times follow the monotonic clock while calls are in progress: a wall-clock step (NTP,
    // a technician) reaches their timestamps at the next moment without a call (hal/src/anchored-clock.ts)
    const callClock = new AnchoredClock(clock, () => !this.engine || this.engine.activeCount() === 0);
    this.engine = new CallEngine({
      clock: callClock,
      log: log.child({ ns: 'calls' }),
      store: {
        saveCall: (call, event) => callStore.saveCall(call, event),
        appendEvent: (type, callId, data, ts) => callStore.events.append(type, callId, data, ts),
        agentCounters: (since) => agentCounters(db, since),
        queueHandleTimes: () => {
          const wrap = new Map(this.config.queues.map((q) => [q.id, q.wrapUpS * 1000]));
          const talk = queueTalkTimes(db);
          return new Map([...talk].map(([q, list]) => [q, list.map((ms) => ms + (wrap.get(q) ?? 0))]));
        },
      },
      channels: [],
      config: this.engineConfig,
      prompt: (name, language) => prompts.get(name, language),
      ringback: () => new ToneGenerator(tonePreset(TONE_REGION[country], 'ringback')),
      holdMusic: () => new LoopSource(prompts.music('hold')),
      callbackStore: this.callbackStore,
      dispositionStore: new DispositionStore(db, callStore),
      voicemail: this.voicemail,
      recorder: this.recorder,
      dialTone: () => new ToneGenerator(tonePreset(TONE_REGION[country], 'dial')),
      lookups: callLookups(() => this.backOffice),
      // *5/*6/*9<ext> from a phone: its agent's account must be a supervisor's or the owner's (calls/monitor.ts)
      monitorPolicy: {
        allowed: (agentId) => auth.listUsers().some((u) => u.agentId === agentId && !u.disabled && can(u.role, 'calls.monitor')),
        audit: (actor, action, callId, detail) => this.backOffice.audit.record(actor, action, 'call', callId, detail),
      },
    });
    this.engine.events.onListenerError = this.listenerFaults.hook('calls');
    this.backOffice = createBackOffice({
      db,
      clock,
      log: log.child({ ns: 'backoffice' }),
      config: () => this.config,
      engineEvents: this.engine.events,
      recordingFile: (id) => this.recorder.filePath(id),
    });
    const unwrap = (d: Driver) => (d instanceof ModemOverlayDriver ? d.base : d);
    const simHat = driver instanceof MultiDriver ? driver.drivers.map(unwrap).find((d) => d instanceof SimHat) : unwrap(driver);
    this.hat = simHat instanceof SimHat ? simHat : null;
    const sim = this.hat ? new SimController(this.hat, this.engine) : null;
    const lag = new LoopLagMonitor();
    const traffic =
      sim && opts.demoCallsPerHour && opts.demoCallsPerHour > 0
        ? new TrafficGenerator(sim, clock, log.child({ ns: 'demo' }), {
            callsPerHour: opts.demoCallsPerHour,
            meanTalkS: config.hardware.sim.agentTalkS,
            lines: () => sim.idleLines().filter((id) => this.config.lines.some((l) => l.channel === id)),
          })
        : null;
    this.configControl = new ConfigControl({
      store: configStore,
      booted: config,
      applyLive: (next) => this.applyLive(next),
      audit: (actor, action, entity, id, detail) => this.backOffice.audit.record(actor, action, entity, id, detail),
      log: log.child({ ns: 'config' }),
    });
    // text messages (短信): out through the modem, queued in SQLite until sent; in: the inbox
    const sms = new SmsOutbox({
      db,
      clock,
      log: log.child({ ns: 'sms' }),
      sender: smsSenderOf(driver),
      customers: this.backOffice.customers,
      tickets: this.backOffice.tickets,
    });
    // an SMS received leaves the SIM only once the inbox has it on the storage (modem-sms.ts, sms-inbox.ts)
    const modem = modemOf(driver);
    if (modem) modemToInbox(modem, sms.inbox, () => this.durable());
    const cloud = cloudModule({ box: this, db, configStore, lag, opts });
    const modules: Module[] = [
      { name: 'driver', essential: true, start: () => this.startDriver(sms), stop: () => driver.stop() },
      new RecorderModule(this.recorder, clock, log.child({ ns: 'recorder' })),
      new VoicemailModule(this.voicemail, log.child({ ns: 'voicemail' })),
      { name: 'calls', essential: true, start: () => this.engine.start(), stop: () => this.engine.stop() },
      // follow-up lists (回访): the preview dialer offers due items to free agents and dials through the engine
      {
        name: 'followups',
        start: () => this.backOffice.followups.attachDialer(this.engine.preview),
        stop: () => this.backOffice.followups.attachDialer(null),
      },
      { name: 'sms', start: () => sms.start(), stop: () => sms.stop() },
      // hourly roll-ups of closed hours for the reports (a few ms per batch, resumes after a restart)
      { name: 'reportRollups', start: () => this.backOffice.reportRollups.start(), stop: () => this.backOffice.reportRollups.stop() },
      ...(opts.monitorLoopLag ? [{ name: 'loopLag', start: () => lag.start(), stop: () => lag.stop() }] : []),
      ...(traffic ? [{ name: 'demoTraffic', start: () => traffic.start(), stop: () => traffic.stop() }] : []),
      ...(opts.extraModules?.({ box: this, db, configStore }) ?? []),
      // cloud sync over MQTT (issue 7): last, so every record source runs before it drains; offline is normal
      ...cloud.modules,
    ];
    this.runner = new ModuleRunner(modules, log);
    // A call that cannot be saved is a fault the owner must see: health turns degraded.
    this.engine.events.on('storeError', ({ message }) => this.runner.fail('calls', `saving calls failed: ${message}`));
    this.service = new BoxServiceImpl({
      version: opts.version,
      clock,
      startedAt: clock.now(),
      channels: () => driver.channels(),
      modules: () => this.runner.statuses(),
      listenerFaults: () => this.listenerFaults.current(),
      engine: this.engine,
      calls: callStore,
      auth,
      sim,
      lag,
      recorder: this.recorder,
      callbackStore: this.callbackStore,
      voicemail: this.voicemail,
      backOffice: this.backOffice,
      metricsRequireAuth: () => this.config.http.metricsRequireAuth,
      config: this.configControl,
      sms,
      prompts: this.promptFiles,
      ...((opts.env ?? process.env).CALLBOX_OTA_ROOT ? { otaRoot: (opts.env ?? process.env).CALLBOX_OTA_ROOT as string } : {}),
      otaJobs: cloud.ota,
      sip: () => sipPhonesOf(driver),
      backup: new BoxBackup({
        db,
        dataDir: opts.dataDir,
        version: opts.version,
        now: () => clock.now(),
        audit: (actor, action, entity, id, detail) => this.backOffice.audit.record(actor, action, entity, id, detail),
        requestRestart: opts.requestRestart ?? null,
      }),
      cloud: cloud.status,
      live: new LiveFeed({
        db,
        events: callStore.events,
        engineEvents: this.engine.events,
        clock,
        log: log.child({ ns: 'live' }),
        timeZone: () => this.config.shop.timezone,
      }),
      kpis: new KpiServiceImpl({
        db,
        lines: () => this.config.lines.length,
        now: () => clock.now(),
        timeZone: () => this.config.shop.timezone,
      }),
    });
  }

  /** Load and validate the config, open the records store. Throws CallboxError CONFIG_INVALID on a bad config. */
  static async open(opts: BoxOptions): Promise<Box> {
    mkdirSync(opts.dataDir, { recursive: true });
    // a restore confirmed before the restart (service/backup.ts) replaces the files before they open
    const restored = applyPendingRestore(opts.dataDir);
    if (restored) opts.log.warn({ dataDir: opts.dataDir, ...restored }, 'restored from a backup');
    const configStore = new ConfigStore({ path: join(opts.dataDir, 'config.json'), log: opts.log.child({ ns: 'config' }) });
    const config = await configStore.load();
    const db = openDatabase(join(opts.dataDir, 'callbox.db'));
    const auth = new Auth({ db, clock: opts.clock, log: opts.log.child({ ns: 'auth' }) });
    const useSim = opts.forceSim || config.hardware.driver === 'sim';
    // The Pi HAT (hardware.pihat: onoff GPIO, arecord/aplay) unless the sim driver is asked for.
    const hatLog = opts.log.child({ ns: 'pihat' });
    const pihat = useSim
      ? null
      : await piHatDriver(config, opts.clock, (msg, data) => hatLog.info(data ?? {}, msg), opts.hatIo).catch((err: unknown) => {
          db.close();
          throw err;
        });
    const s = config.hardware.sim;
    const simHat: Driver =
      pihat ??
      new SimHat({
        fxo: s.fxo,
        fxs: s.fxs,
        gsm: s.gsm,
        clock: opts.clock,
        lineCadence: { pattern: RING_CADENCE[config.shop.country] },
        agents: { answerAfterS: s.agentAnswerAfterS, talkS: s.agentTalkS },
        callerSpeech: opts.simSpeech?.caller ?? null,
        agentSpeech: opts.simSpeech?.agent ?? null,
      });
    // CALLBOX_MODEM: the real GSM modem takes gsm1, the other ports stay simulated (hal/src/drivers/atmodem).
    const modemLog = opts.log.child({ ns: 'modem' });
    let driver: Driver;
    try {
      driver = await withModem(simHat, config, opts.env ?? process.env, opts.clock, (msg, data) => modemLog.info(data ?? {}, msg));
    } catch (err) {
      db.close();
      throw err;
    }
    // SIP trunk from the environment (CALLBOX_SIP_TRUNK_PEER, hal/src/drivers/sip/sip-env.ts)
    const sip = sipOptionsFromEnv(opts.env ?? process.env, opts.clock, config.sip ?? {});
    // sip.js is loaded only when SIP is configured: a box without it never pays for it.
    const all = sip ? new MultiDriver([driver, new (await import('../../hal/src/drivers/sip/sip-driver.js')).SipDriver(sip)]) : driver;
    const box = new Box(config, db, auth, all, opts, configStore);
    // the restore's own entry goes into the restored audit trail
    if (restored) box.backOffice.audit.record(restored.actor, 'backup.restore', 'backup', null, { createdAt: restored.createdAt });
    return box;
  }

  /** The latest accepted config (deep-frozen; each change replaces it; its restart-only parts wait for a restart). */
  get config(): Config {
    return this.current;
  }

  /**
   * Change the config while the box runs: validated, written, live for the next calls (calls in
   * progress keep their flow), audited and emitted (`configControl.events`); parts read only at
   * start come back in `restartRequired`. One change at a time.
   */
  applyConfig(next: unknown, opts: ConfigChangeOptions): Promise<ConfigApplyResult> {
    return this.configControl.replace(next, opts);
  }

  private applyLive(next: Config): void {
    this.current = next;
    reconfigureEngine(this.engineConfig, { ...engineConfig(next), lines: [...next.lines, ...sipLines(this.driver)] }, this.engine.acd);
  }

  async start(): Promise<void> {
    const closed = this.callStore.closeDanglingCalls(this.opts.clock.now());
    if (closed > 0) this.opts.log.warn({ calls: closed }, 'closed calls left open by an unclean stop');
    this.setupCode = await this.auth.ensureOwner(this.opts.adminPassword ? { seedPassword: this.opts.adminPassword } : {});
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    this.walSync.close();
    this.db.close();
  }

  /** Resolves once every commit so far is on the storage; awaited before a write is answered (store/wal-sync.ts). */
  durable(): Promise<void> {
    return this.walSync.sync();
  }

  channels(): Channel[] {
    return this.driver.channels();
  }

  private async startDriver(sms: SmsOutbox): Promise<void> {
    // before start: the modem's start hands over what waited on the SIM (sms/sms-in.ts)
    smsToInbox(this.driver.channels(), sms.inbox);
    await this.driver.start();
    // a listener that throws is a reported fault (log + LISTENER_FAILED), the other listeners still run
    for (const ch of this.driver.channels()) ch.events.onListenerError = this.listenerFaults.hook(ch.id);
    this.engine.attach(this.driver.channels());
  }
}
