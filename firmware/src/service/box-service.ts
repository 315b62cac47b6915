/** The service API implemented over the box's modules. Read-only views and thin delegations. */
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock } from '../../../hal/src/clock.js';
import type { CallEngine } from '../calls/engine.js';
import { setRecordingPaused } from '../calls/recording-control.js';
import type { CallStore } from '../store/call-store.js';
import type { LoopLagMonitor } from './loop-lag.js';
import { CallboxError } from '../errors.js';
import type { BackOffice } from '../backoffice/index.js';
import type { Recorder } from '../recorder/recorder.js';
import { currentAlarms } from './alarms.js';
import type { ListenerFault } from './listener-faults.js';
import type { CallbackStore } from '../store/callback-store.js';
import { AcdControl } from './acd-control.js';
import { CallRoomsControl } from './call-rooms.js';
import { CallControlApi } from './call-control.js';
import { SYSTEM_ACTOR } from '../backoffice/common/types.js';
import type { CallControlService } from './call-control-types.js';
import type { CallRoomsService } from './call-rooms-types.js';
import type {
  AcdService,
  AuditService,
  CustomersService,
  FinanceService,
  FollowupsService,
  KbService,
  OrdersService,
  ProductsService,
  ReportsService,
  SelfServiceService,
  QaService,
  TicketsService,
  RecordingsService,
  AuthService,
  CallbacksService,
  BoxService,
  CallRecord,
  CallsService,
  CloudStatusSnapshot,
  Health,
  KpiService,
  LiveService,
  MetricsSnapshot,
  ModuleStatus,
  SimControl,
  VoicemailService,
} from './types.js';
import type { ConfigService } from './config-types.js';
import type { SmsService } from '../sms/types.js';
import type { BackupService } from './backup.js';
import { type FirmwareInfo, type FirmwareUploadResult, firmwareInfo } from './firmware-info.js';
import { FirmwareUploads, type OtaJobRunner } from './firmware-upload.js';
import { type SipSetupStatus, sipSetupStatus } from './sip-status.js';
import type { SipPhonesStatus } from '../../../hal/src/drivers/sip/phone-status.js';
import type { PromptsService } from './prompt-types.js';

export interface BoxServiceDeps {
  version: string;
  clock: Clock;
  startedAt: number;
  channels: () => Channel[];
  modules: () => ModuleStatus[];
  engine: CallEngine;
  calls: CallStore;
  auth: AuthService;
  sim: SimControl | null;
  lag: LoopLagMonitor;
  recorder: Recorder;
  callbackStore: CallbackStore;
  metricsRequireAuth: () => boolean;
  /** Cloud sync status (firmware/src/cloud); null or absent: the cloud is off. */
  cloud?: () => CloudStatusSnapshot | null;
  /** Event listeners that threw lately (listener-faults.ts); absent: none tracked. */
  listenerFaults?: () => ListenerFault[];
  kpis: KpiService;
  /** The live event feed (firmware/src/service/live.ts). */
  live: LiveService;
  voicemail: VoicemailService;
  backOffice: BackOffice;
  /** Live config changes (config-control.ts). */
  config: ConfigService;
  /** Text messages out through the modem (firmware/src/sms). */
  sms: SmsService;
  /** The shop's own voice prompts (prompt-files.ts). */
  prompts: PromptsService;
  /** Backup and restore (backup.ts). */
  backup: BackupService;
  /** The OTA root the box runs under (CALLBOX_OTA_ROOT), if any. */
  otaRoot?: string;
  /** The box's OTA jobs (cloud/ota-jobs.ts), which install uploaded bundles; absent: no uploads. */
  otaJobs?: OtaJobRunner | null;
  /** The SIP driver's address and phones (box-config.ts sipPhonesOf); null or absent: SIP does not run. */
  sip?: () => SipPhonesStatus | null;
}

export class BoxServiceImpl implements BoxService {
  readonly version: string;
  readonly auth: AuthService;
  readonly calls: CallsService;
  readonly acd: AcdService;
  readonly kpis: KpiService;
  readonly recordings: RecordingsService;
  readonly callbacks: CallbacksService;
  readonly voicemail: VoicemailService;
  readonly sim: SimControl | null;
  readonly customers: CustomersService;
  readonly tickets: TicketsService;
  readonly kb: KbService;
  readonly products: ProductsService;
  readonly orders: OrdersService;
  readonly finance: FinanceService;
  readonly followups: FollowupsService;
  readonly reports: ReportsService;
  readonly selfService: SelfServiceService;
  readonly qa: QaService;
  readonly audit: AuditService;
  readonly rooms: CallRoomsService;
  readonly control: CallControlService;
  readonly live: LiveService;
  readonly config: ConfigService;
  readonly sms: SmsService;
  readonly prompts: PromptsService;
  readonly backup: BackupService;

  private readonly uploads: FirmwareUploads;

  firmware(): FirmwareInfo {
    return firmwareInfo(this.d.version, this.d.otaRoot, this.uploads.status());
  }

  firmwareUpload(actor: string, body: AsyncIterable<Uint8Array>, declaredBytes: number | null): Promise<FirmwareUploadResult> {
    return this.uploads.upload(actor, body, declaredBytes);
  }

  sipStatus(): SipSetupStatus {
    const snap = this.d.config.get();
    return sipSetupStatus(snap.config, this.d.sip?.() ?? null, snap.restartRequired);
  }

  constructor(private readonly d: BoxServiceDeps) {
    this.config = d.config;
    this.sms = d.sms;
    this.prompts = d.prompts;
    this.backup = d.backup;
    const bo = d.backOffice;
    this.customers = bo.customers;
    this.tickets = bo.tickets;
    this.kb = bo.kb;
    this.products = bo.products;
    this.orders = bo.orders;
    this.finance = bo.finance;
    this.followups = bo.followups;
    this.reports = bo.reports;
    this.selfService = bo.selfService;
    this.qa = bo.qa;
    this.audit = { list: (q) => bo.audit.list(q) };
    this.control = new CallControlApi({
      engine: d.engine,
      auth: d.auth,
      getCall: (id) => d.calls.getCall(id),
      customer: (id) => {
        const c = bo.customers.get(SYSTEM_ACTOR, id);
        return c ? { phone: c.phones[0]?.phone ?? null, name: c.name ?? null } : null;
      },
    });
    this.uploads = new FirmwareUploads({
      jobs: d.otaJobs ?? null,
      otaRoot: d.otaRoot,
      audit: (actor, action, entity, id, detail) => bo.audit.record(actor, action, entity, id, detail),
    });
    this.rooms = new CallRoomsControl({ engine: d.engine, auth: d.auth, audit: (...a) => bo.audit.record(...a) });
    this.version = d.version;
    this.kpis = d.kpis;
    this.live = d.live;
    this.auth = d.auth;
    this.sim = d.sim;
    this.voicemail = d.voicemail;
    this.calls = {
      list: (q) =>
        [q.offset || undefined, q.from, q.to, q.queue, q.agent, q.number].every((v) => v === undefined)
          ? d.calls.listCalls(q.limit, q.outcomes)
          : d.calls.searchCalls(q),
      get: (id): CallRecord | null => d.calls.getCall(id),
      setDisposition: (id, req, by) => d.engine.dispositions.set(id, req, by),
      dispositions: () => d.engine.dispositions.list(),
    };
    this.acd = new AcdControl(d.engine.acd);
    this.callbacks = { list: (q) => d.callbackStore.list(q) };
    const recorder = d.recorder;
    this.recordings = {
      list: (q) => recorder.list(q),
      get: (id) => recorder.get(id),
      filePath: (id) => recorder.filePath(id),
      setLegalHold: (id, on) => recorder.setLegalHold(id, on),
      setPaused: (callId, paused) => {
        const call = d.calls.getCall(callId);
        if (!call || call.state === 'ended') {
          throw new CallboxError('NOT_FOUND', `no live call ${JSON.stringify(callId)}`);
        }
        if (!setRecordingPaused(d.engine.live(callId), paused))
          throw new CallboxError('CONFLICT', `call ${callId} is not being recorded now`);
      },
    };
  }

  health(): Health {
    const modules = this.d.modules();
    const channels = this.d.channels().map((c) => ({ id: c.id, kind: c.kind, state: c.state, ...(c.reason ? { reason: c.reason } : {}) }));
    const alarms = currentAlarms({
      channels,
      modules,
      recording: this.d.recorder.failure(),
      cloud: this.d.cloud?.() ?? null,
      listenerFaults: this.d.listenerFaults?.() ?? [],
    });
    return {
      status: alarms.some((a) => a.severity === 'error') ? 'degraded' : 'ok',
      version: this.version,
      uptimeS: Math.round((this.d.clock.now() - this.d.startedAt) / 1000),
      channels,
      modules,
      alarms,
      ...this.cloudField(),
    };
  }

  private cloudField(): { cloud?: CloudStatusSnapshot } {
    const cloud = this.d.cloud?.() ?? null;
    return cloud ? { cloud } : {};
  }

  metrics(): MetricsSnapshot {
    const lag = this.d.lag.figures();
    const mem = process.memoryUsage();
    return {
      callsActive: this.d.engine.activeCount(),
      callsTotal: this.d.calls.countCalls(),
      callsByOutcome: this.d.calls.countByOutcome(),
      eventLoopLagP50S: lag.p50S,
      eventLoopLagP99S: lag.p99S,
      eventLoopLagMaxS: lag.maxS,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      uptimeS: Math.round((this.d.clock.now() - this.d.startedAt) / 1000),
      alarms: this.health().alarms,
      ...this.cloudField(),
    };
  }

  metricsRequireAuth(): boolean {
    return this.d.metricsRequireAuth();
  }
}
