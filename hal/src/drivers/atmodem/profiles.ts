/**
 * Modem profiles: what differs between vendors. Detected from ATI / AT+CGMM text; the generic
 * 3GPP 27.007 profile is the fallback. To add a modem: add a profile here (match, setup commands,
 * hang-up command, registration kinds, USB audio command) and a transcript test.
 */
import type { AtCommand } from './at-command.js';
import { command } from './at-command.js';

export interface ModemProfile {
  id: 'quectel-ec25' | 'simcom-sim7600' | 'simcom-sim800' | 'generic';
  name: string;
  match(ident: string): boolean;
  /** Vendor set-up after the common start-up (DTMF detection on, …). Failures are logged, not fatal. */
  setup: () => AtCommand<void>[];
  /** Switches 8 kHz S16LE PCM onto the USB audio serial port (run once at start when an audio port is configured). */
  usbAudio: (() => AtCommand<void>) | null;
  hangup: 'ATH' | 'AT+CHUP';
  /** Registration reports to read: 2G/3G modems only CREG, LTE modems CREG and CEREG. */
  reg: ('CREG' | 'CEREG')[];
}

const plain = (text: string): AtCommand<void> => command<void>({ text, timeoutMs: 3000 });

export const PROFILES: ModemProfile[] = [
  {
    id: 'quectel-ec25',
    name: 'Quectel EC25/EG25 (LTE, VoLTE)',
    match: (s) => /\b(EC2[05]|EG2[15]|EG9[15]|EC200)/i.test(s) || /quectel/i.test(s),
    // DTMF detection: +QTONEDET: <ascii code> URCs
    setup: () => [plain('AT+QTONEDET=1')],
    // USB audio: 8 kHz 16-bit PCM on the modem's USB audio port
    usbAudio: () => plain('AT+QPCMV=1,0'),
    hangup: 'AT+CHUP',
    reg: ['CREG', 'CEREG'],
  },
  {
    id: 'simcom-sim7600',
    name: 'SIMCom SIM7600 (LTE)',
    match: (s) => /SIM7[05]00|SIM7[56]\d\d|A76\d\d/i.test(s),
    setup: () => [plain('AT+DDET=1')],
    usbAudio: () => plain('AT+CPCMREG=1'),
    hangup: 'AT+CHUP',
    reg: ['CREG', 'CEREG'],
  },
  {
    id: 'simcom-sim800',
    name: 'SIMCom SIM800 (2G)',
    match: (s) => /SIM8\d\d/i.test(s),
    // +DTMF: <digit> URCs
    setup: () => [plain('AT+DDET=1,0,0')],
    usbAudio: null,
    hangup: 'ATH',
    reg: ['CREG'],
  },
  {
    id: 'generic',
    name: 'Generic 3GPP 27.007 modem',
    match: () => true,
    setup: () => [],
    usbAudio: null,
    hangup: 'ATH',
    reg: ['CREG'],
  },
];

/** The first profile whose pattern matches the identification text (ATI + AT+CGMM). */
export function detectProfile(ident: string): ModemProfile {
  return PROFILES.find((p) => p.match(ident)) as ModemProfile;
}
