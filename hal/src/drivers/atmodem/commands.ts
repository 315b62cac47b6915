/** The AT commands the driver uses (3GPP 27.007 / 27.005 and the vendors' extensions), typed. */
import { type AtCommand, command } from './at-command.js';
import { params, type RegStat, regStat } from './at-urc.js';

const plain = (text: string, timeoutMs = 2000, retries = 0): AtCommand<void> => command<void>({ text, timeoutMs, retries });
const first = (res: { lines: string[] }): string[] => params(res.lines[0] ?? '');

export const at = (): AtCommand<void> => plain('AT', 1000, 2);
/** Echo on: the driver matches each answer to its command by the echo before it (at-machine.ts). */
export const echoOn = (): AtCommand<void> => plain('ATE1', 1000, 2);
export const verboseErrors = (): AtCommand<void> => plain('AT+CMEE=2', 1000, 2);

/** ATI / AT+CGMM: identification lines joined. */
export const identify = (text: 'ATI' | 'AT+CGMM' | 'AT+CGMI'): AtCommand<string> =>
  command({ text, raw: true, retries: 1, parse: (r) => r.lines.join(' ').trim() });

export type SimState = 'ready' | 'pin' | 'puk' | 'pin2' | 'other';

export function simState(s: string): SimState {
  const v = s.trim().toUpperCase();
  if (v === 'READY') return 'ready';
  if (v === 'SIM PIN') return 'pin';
  if (v === 'SIM PUK') return 'puk';
  if (v === 'SIM PIN2' || v === 'SIM PUK2') return 'pin2';
  return 'other';
}

export const cpinQuery = (): AtCommand<SimState> =>
  command({ text: 'AT+CPIN?', prefix: '+CPIN:', timeoutMs: 5000, retries: 1, parse: (r) => simState(first(r)[0] ?? '') });
/** PIN entry: never retried (a wrong PIN costs one of three tries). */
export const cpinEnter = (pin: string): AtCommand<void> => {
  if (!/^[0-9]{4,8}$/.test(pin)) throw new Error('SIM PIN must be 4-8 digits');
  return command<void>({ text: `AT+CPIN="${pin}"`, name: 'AT+CPIN', timeoutMs: 10000, retries: 0 });
};

export const regReporting = (tech: 'CREG' | 'CEREG'): AtCommand<void> => plain(`AT+${tech}=1`, 2000, 1);
/** +CREG: <n>,<stat>[,…] */
export const regQuery = (tech: 'CREG' | 'CEREG'): AtCommand<RegStat> =>
  command({ text: `AT+${tech}?`, prefix: `+${tech}:`, retries: 1, parse: (r) => regStat(Number.parseInt(first(r)[1] ?? '', 10)) });

/** +CSQ: <rssi>,<ber> → dBm (rssi 0..31 = -113..-51 dBm, 99 = unknown → null). */
export function csqToDbm(rssi: number): number | null {
  if (!Number.isInteger(rssi) || rssi < 0 || rssi > 31) return null;
  return -113 + 2 * rssi;
}
export const signal = (): AtCommand<number | null> =>
  command({ text: 'AT+CSQ', prefix: '+CSQ:', retries: 1, parse: (r) => csqToDbm(Number.parseInt(first(r)[0] ?? '', 10)) });

/** +COPS: <mode>[,<format>,<oper>[,<AcT>]] → operator name or null. */
export const operator = (): AtCommand<string | null> =>
  command({ text: 'AT+COPS?', prefix: '+COPS:', timeoutMs: 5000, retries: 1, parse: (r) => first(r)[2] || null });

export const clipOn = (): AtCommand<void> => plain('AT+CLIP=1', 2000, 1);
export const pduMode = (): AtCommand<void> => plain('AT+CMGF=0', 2000, 1);
/**
 * New SMS: +CMTI (stored, index) — read, deliver, delete. Delivery reports (`ds`): 1 → +CDS with
 * the PDU, 2 → +CDSI (stored, index), 0 → none (the modem refuses the others).
 */
export const newSmsIndication = (ds: 0 | 1 | 2 = 1): AtCommand<void> => plain(`AT+CNMI=2,1,0,${ds},0`, 2000, 0);

export const answer = (): AtCommand<void> => command<void>({ text: 'ATA', timeoutMs: 20000, dial: true });
export const hangup = (text: 'ATH' | 'AT+CHUP'): AtCommand<void> => plain(text, 20000);
/** Voice dial: the `;` makes it a voice call; OK means dialling started. */
export const dial = (number: string): AtCommand<void> => {
  if (!/^\+?[0-9*#]{1,32}$/.test(number)) throw new Error(`cannot dial "${number}"`);
  return command<void>({ text: `ATD${number};`, name: 'ATD', timeoutMs: 30000, dial: true });
};
export const dtmf = (digit: string): AtCommand<void> => {
  if (!/^[0-9*#A-D]$/.test(digit)) throw new Error(`not a DTMF digit: "${digit}"`);
  return command<void>({ text: `AT+VTS=${digit}`, name: 'AT+VTS', timeoutMs: 5000 });
};

export interface CallInfo {
  index: number;
  outgoing: boolean;
  /** 0 active, 1 held, 2 dialing, 3 alerting, 4 incoming, 5 waiting */
  stat: number;
  voice: boolean;
  number: string | null;
}
/** +CLCC: <id>,<dir>,<stat>,<mode>,<mpty>[,<number>,<type>[,<alpha>]] */
export function parseClcc(line: string): CallInfo | null {
  const p = params(line);
  const index = Number.parseInt(p[0] ?? '', 10);
  const stat = Number.parseInt(p[2] ?? '', 10);
  if (Number.isNaN(index) || Number.isNaN(stat)) return null;
  return { index, outgoing: p[1] === '0', stat, voice: p[3] === '0', number: p[5] ? p[5] : null };
}
export const listCalls = (): AtCommand<CallInfo[]> =>
  command({
    text: 'AT+CLCC',
    prefix: '+CLCC:',
    retries: 1,
    parse: (r) => r.lines.map(parseClcc).filter((c): c is CallInfo => c !== null),
  });

/** +CMGR: <stat>,[<alpha>],<length> then the PDU line. */
export const readSms = (index: number): AtCommand<string | null> =>
  command({
    text: `AT+CMGR=${index}`,
    name: 'AT+CMGR',
    prefix: '+CMGR:',
    dataAfterPrefix: true,
    timeoutMs: 5000,
    retries: 1,
    parse: (r) => r.lines[1] ?? null,
  });
export const deleteSms = (index: number): AtCommand<void> =>
  command<void>({ text: `AT+CMGD=${index}`, name: 'AT+CMGD', timeoutMs: 5000, retries: 1 });
/** All stored messages (stat 4 = all): [index, pdu] pairs. */
export const listSms = (): AtCommand<{ index: number; pdu: string }[]> =>
  command({
    text: 'AT+CMGL=4',
    prefix: '+CMGL:',
    dataAfterPrefix: true,
    timeoutMs: 10000,
    retries: 1,
    parse: (r) => {
      const out: { index: number; pdu: string }[] = [];
      for (let i = 0; i + 1 < r.lines.length; i += 2) {
        const index = Number.parseInt(params(r.lines[i] as string)[0] ?? '', 10);
        if (!Number.isNaN(index)) out.push({ index, pdu: r.lines[i + 1] as string });
      }
      return out;
    },
  });
/** AT+CMGS=<TPDU length>, then the PDU after `> `; answers +CMGS: <mr>. Not retried here: the sender decides. */
export const sendSms = (tpduLength: number, pdu: string, timeoutMs = 60000): AtCommand<number> =>
  command({
    text: `AT+CMGS=${tpduLength}`,
    name: 'AT+CMGS',
    prefix: '+CMGS:',
    payload: pdu,
    timeoutMs,
    parse: (r) => Number.parseInt(first(r)[0] ?? '-1', 10),
  });
