/**
 * Improv Wi-Fi over serial (https://www.improv-wifi.com/serial/), version 1: pure codec, no I/O.
 *
 * A packet: "IMPROV" (6 bytes), version (1), type (1), length (1), data (length bytes), checksum
 * (the low byte of the sum of every byte before it). Types: 0x01 current state (device → client),
 * 0x02 error state (device → client), 0x03 RPC command (client → device: command, data length,
 * data), 0x04 RPC result (device → client: command, data length, then length-prefixed strings).
 * Senders may end a packet with "\n" (ESP Web Tools does): bytes outside packets are skipped.
 */

export const IMPROV_HEADER = Buffer.from('IMPROV', 'ascii');
export const IMPROV_VERSION = 1;

export const IMPROV_TYPE = { currentState: 0x01, errorState: 0x02, rpc: 0x03, rpcResult: 0x04 } as const;

export const IMPROV_STATE = {
  authorizationRequired: 0x01,
  authorized: 0x02,
  provisioning: 0x03,
  provisioned: 0x04,
} as const;

export const IMPROV_ERROR = {
  none: 0x00,
  invalidRpc: 0x01,
  unknownCommand: 0x02,
  unableToConnect: 0x03,
  notAuthorized: 0x04,
  unknown: 0xff,
} as const;

export const IMPROV_COMMAND = { wifiSettings: 0x01, currentState: 0x02, deviceInfo: 0x03, scan: 0x04 } as const;

export interface ImprovPacket {
  type: number;
  data: Buffer;
}

const checksum = (bytes: Uint8Array): number => bytes.reduce((s, b) => (s + b) & 0xff, 0);

export function encodeImprov(type: number, data: Uint8Array): Buffer {
  if (data.length > 255) throw new RangeError(`improv: data is ${data.length} bytes (max 255)`);
  const body = Buffer.concat([IMPROV_HEADER, Buffer.from([IMPROV_VERSION, type, data.length]), data]);
  return Buffer.concat([body, Buffer.from([checksum(body)]), Buffer.from('\n')]);
}

/** Length-prefixed strings (an RPC result's data, a Wi-Fi command's ssid/password). */
export function encodeStrings(strings: string[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of strings) {
    const b = Buffer.from(s, 'utf8');
    if (b.length > 255) throw new RangeError('improv: a string longer than 255 bytes');
    parts.push(Buffer.from([b.length]), b);
  }
  return Buffer.concat(parts);
}

/** Strings from length-prefixed data; null when the lengths do not add up. */
export function decodeStrings(data: Uint8Array): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    const n = data[i] as number;
    if (i + 1 + n > data.length) return null;
    out.push(Buffer.from(data.subarray(i + 1, i + 1 + n)).toString('utf8'));
    i += 1 + n;
  }
  return out;
}

export const rpcResult = (command: number, strings: string[]): Buffer => {
  const body = encodeStrings(strings);
  return encodeImprov(IMPROV_TYPE.rpcResult, Buffer.concat([Buffer.from([command, body.length]), body]));
};

export const rpcCommand = (command: number, data: Uint8Array = Buffer.alloc(0)): Buffer =>
  encodeImprov(IMPROV_TYPE.rpc, Buffer.concat([Buffer.from([command, data.length]), data]));

export type ImprovProblem = 'version' | 'checksum';

/**
 * Finds packets in a byte stream that carries other traffic too (the framed protocol's COBS frames):
 * scans for the header, waits for the whole packet, checks version and checksum. Never throws;
 * buffers at most one packet (264 bytes) besides the header search.
 */
export class ImprovDecoder {
  private buf = Buffer.alloc(0);

  push(chunk: Uint8Array): (ImprovPacket | ImprovProblem)[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: (ImprovPacket | ImprovProblem)[] = [];
    for (;;) {
      const at = this.buf.indexOf(IMPROV_HEADER);
      if (at < 0) {
        // keep a tail that may be the start of a header
        this.buf = this.buf.subarray(Math.max(0, this.buf.length - (IMPROV_HEADER.length - 1)));
        return out;
      }
      const p = this.buf.subarray(at);
      if (p.length < 9) {
        this.buf = p;
        return out;
      }
      const len = p[8] as number;
      if (p.length < 9 + len + 1) {
        this.buf = p;
        return out;
      }
      const body = p.subarray(0, 9 + len);
      if (p[6] !== IMPROV_VERSION) out.push('version');
      else if (checksum(body) !== p[9 + len]) out.push('checksum');
      else out.push({ type: p[7] as number, data: Buffer.from(p.subarray(9, 9 + len)) });
      // a broken packet: look for the next header right after this one's header
      this.buf = typeof out.at(-1) === 'string' ? p.subarray(IMPROV_HEADER.length) : p.subarray(9 + len + 1);
    }
  }
}

/** An RPC command's parts, or null when its inner length is wrong. */
export function parseRpc(data: Buffer): { command: number; data: Buffer } | null {
  if (data.length < 2 || data[1] !== data.length - 2) return null;
  return { command: data[0] as number, data: data.subarray(2) };
}
