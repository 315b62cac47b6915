/** The atmodem driver's options, typed status and events. */
import type { Clock } from '../../clock.js';
import type { SerialFactory } from '../../serial.js';
import type { RegStat } from './at-urc.js';
import type { ModemChannelTiming } from './modem-channel.js';
import type { ModemProfile } from './profiles.js';
import type { SmsStatusReport } from './sms-report.js';

export type ModemState = 'closed' | 'starting' | 'ready' | 'noSim' | 'simPin' | 'simPuk' | 'noNetwork' | 'hung';

export interface ModemStatus {
  state: ModemState;
  /** Why it is not ready, in words for the owner. */
  reason: string | null;
  path: string;
  profile: ModemProfile['id'] | null;
  model: string | null;
  registration: RegStat | null;
  signalDbm: number | null;
  operator: string | null;
  /** When the state last changed (ms). */
  since: number;
}

export interface AtModemOptions {
  path: string;
  baudRate: number;
  clock: Clock;
  serial: SerialFactory;
  channelId?: string;
  /** SIM PIN from config; entered once, never retried after a refusal. */
  pin?: string | null;
  /** USB PCM audio port (Quectel AT+QPCMV=1,0, SIMCom AT+CPCMREG=1). */
  audioPath?: string | null;
  /** Reopen the port this long after it closed or failed to open. */
  reopenMs?: number;
  /** Status check (signal, registration, alive) period. */
  checkMs?: number;
  /** AT+CMGS answer time (network), default 60 s; past it the prompt is left with ESC. */
  smsTimeoutMs?: number;
  timing?: Partial<ModemChannelTiming>;
  log?: (msg: string, data?: Record<string, unknown>) => void;
}

export interface ModemEvents {
  [k: string]: unknown;
  status: ModemStatus;
  /** The network's delivery report on a message the box sent (match it by ref and recipient). */
  smsReport: SmsStatusReport;
}
