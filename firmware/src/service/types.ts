/**
 * The typed service API of the box: the one door through which the web UI, MQTT commands and the
 * provisioning agent reach the firmware. Plain data in, plain data out; errors are CallboxError.
 */
import type { ChannelKind } from '../../../hal/src/channel.js';
import type { AgentView, QueueView } from '../acd/types.js';
import type { IvrStats } from '../kpi/ivr-stats.js';
import type { RecordingInfo } from '../recorder/types.js';
import type { CallbackRecord, CallbackState } from '../store/callback-store.js';
import type { VoicemailInfo, VoicemailState } from '../voicemail/types.js';
import type { AuditEntry, AuditQuery } from '../backoffice/common/audit.js';
import type { Actor, Page, PageQuery } from '../backoffice/common/types.js';
import type { CustomersService } from '../backoffice/customers/types.js';
import type { FinanceService } from '../backoffice/finance/types.js';
import type { FollowupsService } from '../backoffice/followups/types.js';
import type { KbService } from '../backoffice/kb/types.js';
import type { ReportsService } from '../backoffice/reports/types.js';
import type { QaService } from '../backoffice/qa/types.js';
import type { CallRoomsService } from './call-rooms-types.js';
import type { CallControlService } from './call-control-types.js';
import type { OrdersService, ProductsService } from '../backoffice/sales/types.js';
import type { SelfServiceService } from '../backoffice/selfservice/types.js';
import type { TicketsService } from '../backoffice/tickets/types.js';

// The back office's contracts (web-ui reaches them only through this file).
export type { Actor, AuditEntry, AuditQuery, Page, PageQuery };
export type * from '../backoffice/customers/types.js';
export type * from './prompt-types.js';
export type { BackupManifest, BackupService, StagedRestore } from './backup.js';
export type { FirmwareInfo, FirmwareJob, FirmwareUploadResult } from './firmware-info.js';
export type { SipContact, SipPhoneStatus, SipSetupStatus } from './sip-status.js';
export type * from '../backoffice/finance/types.js';
export type * from '../backoffice/followups/types.js';
export type * from '../backoffice/kb/types.js';
export type * from '../backoffice/qa/types.js';
export type * from './call-rooms-types.js';
export type * from './call-control-types.js';
export type * from '../backoffice/reports/types.js';
export type * from '../backoffice/sales/types.js';
export type * from '../backoffice/selfservice/types.js';
export type * from '../backoffice/tickets/types.js';
export type * from './config-types.js';
export type * from './disposition-types.js';
export type * from './health-types.js';
import type { Health, MetricsSnapshot } from './health-types.js';
export type * from '../sms/types.js';
import type { SmsService } from '../sms/types.js';
import type { BackupService } from './backup.js';
import type { FirmwareInfo, FirmwareUploadResult } from './firmware-info.js';
import type { SipSetupStatus } from './sip-status.js';
import type { PromptsService } from './prompt-types.js';
import type { CallDisposition, DispositionDef, DispositionRequest } from './disposition-types.js';
import type { ConfigService } from './config-types.js';

export type { IvrStats };
import type { AgentKpis, CallKpis, KpiQuery, KpiReport, QueueKpis, StaffingAdvice, StaffingSlot } from '../kpi/types.js';

export type { AgentView, QueueView };
export type { AgentKpis, CallKpis, KpiQuery, KpiReport, QueueKpis, StaffingAdvice, StaffingSlot };

export type CallState = 'ringing' | 'ivr' | 'queued' | 'connecting' | 'talking' | 'survey' | 'ended';

/** How a call ended. */
export type CallOutcome =
  | 'answered' // an agent talked with the caller
  | 'abandoned' // the caller hung up while in the IVR or queue
  | 'missed' // rang but the box never answered (caller gave up while ringing)
  | 'ivrHangup' // the IVR ended the call (no input, invalid input, chose to hang up)
  | 'noAgent' // no agent could take it (queue timeout / nobody logged in)
  | 'callback' // the caller left the queue asking to be called back (keeps their place)
  | 'notAccepted' // a callback the customer did not answer or did not accept with 1
  | 'voicemail' // the caller left a voicemail
  | 'failed'; // a technical failure ended it

/** caller: the customer's line; agent: an agent's phone; consult: a party an agent talks to before an attended transfer; external: a number outside the box the call was transferred to; conference: a party added to a conference; monitor: a supervisor listening, whispering or barging. */
export type LegRole = 'caller' | 'agent' | 'consult' | 'external' | 'conference' | 'monitor';

export interface CallLegRecord {
  channel: string;
  kind: ChannelKind;
  role: LegRole;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
}

export interface CallRecord {
  id: string;
  /** internal: between two of the box's extensions (calls/internal-calls.ts). */
  direction: 'inbound' | 'outbound' | 'internal';
  state: CallState;
  callerId: string | null;
  callerName: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: CallOutcome | null;
  /** Which IVR menu keys were pressed, in order. */
  ivrPath: string;
  queue: string | null;
  agent: string | null;
  legs: CallLegRecord[];
  /** The call result (通话小结) set by the agent or a supervisor, or null (always present from the store and the API). */
  disposition?: CallDisposition | null;
  /** Seconds the caller spent on hold or parked (calls/hold.ts; always present from the store and the API). */
  holdSeconds?: number;
}

export type Role = 'owner' | 'supervisor' | 'agent' | 'technician';

export interface Principal {
  username: string;
  role: Role;
}

export interface TokenGrant {
  token: string;
  expiresAt: string;
}

export interface SimCallRequest {
  /** An FXO or GSM channel id, e.g. "fxo1". */
  channel: string;
  callerId?: string | null;
  callerName?: string | null;
  /** Digits the caller presses when the box waits for input. */
  digits?: string;
  /** The caller hangs up this many seconds after the call started ringing (if still on). */
  hangupAfterS?: number;
  /** A fax machine calls (it sends CNG tones) instead of a person. */
  fax?: boolean;
}

export interface SimAgentSettings {
  /** Seconds a simulated agent lets the phone ring before answering. */
  answerAfterS: number;
  /** Seconds a simulated agent talks before hanging up (if the caller has not). */
  talkS: number;
}

export interface SimControl {
  placeCall(req: SimCallRequest): Promise<{ callId: string }>;
  agentSettings(): SimAgentSettings;
  setAgentSettings(s: Partial<SimAgentSettings>): SimAgentSettings;
}

/** A bearer token for API clients, or a browser session (cookie; state changes need the CSRF token). */
export type TokenKind = 'bearer' | 'session';

/** An account as the owner sees it (never the password hash). */
export interface UserInfo {
  username: string;
  role: Role;
  disabled: boolean;
  /** The ACD agent this user works as (agent console), or null. */
  agentId: string | null;
  createdAt: string;
}

export interface NewUser {
  username: string;
  role: Role;
  password: string;
  agentId?: string | null;
}

/** Fields absent are kept; `agentId: null` unlinks. Disabling revokes the user's tokens and sessions. */
export interface UserPatch {
  role?: Role;
  disabled?: boolean;
  agentId?: string | null;
  password?: string;
}

export interface AuthService {
  /** Exchange a username and password for a token of `kind` (default bearer). BAD_CREDENTIALS on failure. */
  login(username: string, password: string, kind?: TokenKind): Promise<TokenGrant>;
  /** The principal of a valid, unexpired token of `kind` (default bearer), or null. */
  verify(token: string, kind?: TokenKind): Principal | null;
  /** Revoke one token. */
  logout(token: string): void;
  /** Revoke every token and session of a user (logout everywhere); returns how many. */
  logoutAll(username: string): number;
  /**
   * Change one's password: BAD_CREDENTIALS when `oldPassword` is wrong, VALIDATION_FAILED for a bad
   * new one. Revokes every other token and session of the user (all but `keepToken`).
   */
  changePassword(username: string, oldPassword: string, newPassword: string, keepToken?: string): Promise<void>;
  /** Every account, by username. */
  listUsers(): UserInfo[];
  getUser(username: string): UserInfo | null;
  /** VALIDATION_FAILED (name, role, password), CONFLICT when the username is taken. */
  addUser(u: NewUser): Promise<UserInfo>;
  /** NOT_FOUND; CONFLICT when it would leave no enabled owner. */
  updateUser(username: string, patch: UserPatch): Promise<UserInfo>;
  /** First boot: create the owner with the one-time setup code. */
  setupOwner(code: string, password: string): Promise<TokenGrant>;
  /** True when an owner account exists. */
  hasOwner(): boolean;
}

/** One entry of the event log as the live stream carries it (seq: the log's sequence number). */
export interface LiveEvent {
  seq: number;
  /** ms since the epoch. */
  ts: number;
  type: string;
  callId: string | null;
  data: unknown;
}

/** The engine's events as they happen, for the wallboard and the agent console (SSE). */
export interface LiveService {
  /** Called for every event recorded from now on; returns the unsubscribe function. Never blocks the box. */
  subscribe(fn: (e: LiveEvent) => void): () => void;
  /** Logged events with seq > `seq`, oldest first, at most `limit` (1..1000): resume after a reconnect. */
  since(seq: number, limit: number): LiveEvent[];
  /** The newest seq of the event log (0 when empty). */
  lastSeq(): number;
  /** The first instant (ms) of today in the shop's time zone. */
  todayStart(): number;
}

/** A change of an agent's state asked for from the console or the API. */
export interface AgentStateRequest {
  state: 'available' | 'paused' | 'loggedOut';
  /** Pause reason code (config pauseReasons) or free text. */
  reason?: string;
}

export interface AcdService {
  queues(): QueueView[];
  agents(): AgentView[];
  /** NOT_FOUND for an unknown agent; CONFLICT when the change is not possible now. */
  setAgentState(agentId: string, req: AgentStateRequest): AgentView;
}

export type { RecordingInfo };

export interface RecordingsService {
  list(q: { callId?: string; limit?: number }): RecordingInfo[];
  get(id: string): RecordingInfo | null;
  /** The file on disk, or null when there is none (missing, not found). */
  filePath(id: string): string | null;
  /** NOT_FOUND for an unknown recording. */
  setLegalHold(id: string, on: boolean): RecordingInfo;
  /** Pause/resume the recording of a live call: NOT_FOUND (no such live call) or CONFLICT (not being recorded). */
  setPaused(callId: string, paused: boolean): void;
}

export type { VoicemailInfo, VoicemailState };

/** Voicemails: each one a task for the owner, new → heard → handled. */
export interface VoicemailService {
  /** Newest first; limit clamped to 1..500 (default 100). VALIDATION_FAILED for an unknown state. */
  list(q: { state?: VoicemailState; limit?: number }): VoicemailInfo[];
  get(id: string): VoicemailInfo | null;
  /** The WAV file on disk, or null when there is no such voicemail. */
  filePath(id: string): string | null;
  /**
   * Move to `state` (handled records `by` and the time); `note` replaces the note (null clears it,
   * absent keeps it). NOT_FOUND for an unknown voicemail; VALIDATION_FAILED for a bad state or note.
   */
  setState(id: string, state: VoicemailState, by: string, note?: string | null): VoicemailInfo;
}

export type { CallbackRecord, CallbackState };

export interface CallbacksService {
  /** Callback requests, newest first; with `state`, oldest first in that state (the work list). */
  list(q: { state?: CallbackState; limit: number }): CallbackRecord[];
}

/** Call history filters (every one optional but `limit`); times are ms since the epoch. */
export interface CallListQuery {
  limit: number;
  /** Skip this many of the matches (paging). */
  offset?: number;
  outcomes?: CallOutcome[];
  /** Started at or after. */
  from?: number;
  /** Started before. */
  to?: number;
  queue?: string;
  agent?: string;
  /** Digits found anywhere in the caller ID (with `numberAtEnd`, only at its end). */
  number?: string;
  numberAtEnd?: boolean;
}

export interface CallsService {
  /** Newest first; with `outcomes`, only calls that ended so (missed/abandoned list); other filters narrow it. */
  list(opts: CallListQuery): CallRecord[];
  get(id: string): CallRecord | null;
  /**
   * Set the call's result (code from dispositions(); note up to 500 characters) by `by` (a
   * username): NOT_FOUND for an unknown call, VALIDATION_FAILED naming code/note. `created`: the
   * call had none before. Who may is checked by the caller (route: an agent only for their calls).
   */
  setDisposition(callId: string, req: DispositionRequest, by: string): { call: CallRecord; created: boolean };
  /** The configured call result codes. */
  dispositions(): DispositionDef[];
}

/** KPIs and staffing advice from the event log (docs/kpis.md). */
export interface KpiService {
  report(q: KpiQuery): KpiReport;
  staffing(q: KpiQuery & { targetSl?: number }): StaffingAdvice;
  /** IVR analytics: entries, keys, exits and drop-offs per menu node. */
  ivr(q: { from: number; to: number }): IvrStats;
}

/** The audit trail of personal and business data (owner). */
export interface AuditService {
  /** Newest first, filtered by every field given (entity, entityId, actor, action, beforeSeq). */
  list(q: AuditQuery): AuditEntry[];
}

export interface BoxService {
  readonly version: string;
  health(): Health;
  metrics(): MetricsSnapshot;
  /** Whether /metrics needs a bearer token (config http.metricsRequireAuth). */
  metricsRequireAuth(): boolean;
  readonly auth: AuthService;
  readonly calls: CallsService;
  readonly acd: AcdService;
  readonly kpis: KpiService;
  readonly recordings: RecordingsService;
  readonly callbacks: CallbacksService;
  readonly voicemail: VoicemailService;
  // The shop's back office (firmware/src/backoffice).
  readonly customers: CustomersService;
  readonly tickets: TicketsService;
  readonly kb: KbService;
  readonly products: ProductsService;
  readonly orders: OrdersService;
  readonly finance: FinanceService;
  readonly followups: FollowupsService;
  readonly reports: ReportsService;
  readonly selfService: SelfServiceService;
  /** Quality assurance (质检): scorecards, reviews, calibration, the review queue. */
  readonly qa: QaService;
  readonly audit: AuditService;
  /** Conferences, supervisor monitoring and browser listen-in on live calls. */
  readonly rooms: CallRoomsService;
  /** Hold, transfer, park, pickup, click-to-dial on live calls (calls/call-control.ts). */
  readonly control: CallControlService;
  /** The box config: read (secrets redacted), dry-run, change live (config-control.ts). */
  readonly config: ConfigService;
  /** Live events (wallboard, agent console). */
  readonly live: LiveService;
  /** Present only when the sim driver runs. */
  readonly sim: SimControl | null;
  /** Text messages sent through the GSM modem (firmware/src/sms). */
  readonly sms: SmsService;
  /** The shop's own voice prompts: upload, TTS, revert (service/prompt-files.ts). */
  readonly prompts: PromptsService;
  /** Backup download and two-step restore (service/backup.ts). */
  readonly backup: BackupService;
  /** The running version, the OTA state, whether an upload can work, the recent OTA jobs (service/firmware-info.ts). */
  firmware(): FirmwareInfo;
  /**
   * A signed OTA bundle from the browser (service/firmware-upload.ts): streamed to the OTA job folder
   * (413 over the limit), verified (BAD_BUNDLE, DOWNGRADE, CONFLICT; OTA_UNAVAILABLE without the
   * launcher), then installed by the OTA job runner; audited. `declaredBytes`: Content-Length, if any.
   */
  firmwareUpload(actor: string, body: AsyncIterable<Uint8Array>, declaredBytes: number | null): Promise<FirmwareUploadResult>;
  /** The box's SIP address for desk phones and each SIP extension's registrations (service/sip-status.ts). */
  sipStatus(): SipSetupStatus;
}
