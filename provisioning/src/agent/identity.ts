/** The box's identity: a hardware serial (Pi CPU serial, else machine-id) and the device id the technician sets. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ProvisionError } from '../protocol/messages.js';
import { writeAtomic } from './pop.js';

export const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function hardwareSerial(override?: string): string {
  if (override) return override;
  try {
    const m = /^Serial\s*:\s*([0-9a-f]+)$/im.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) return m[1];
  } catch {}
  try {
    return readFileSync('/etc/machine-id', 'utf8').trim().slice(0, 16) || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** MAC addresses of the real interfaces (no loopback, no all-zero). */
export function macAddresses(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const a = addrs?.find((x) => !x.internal && x.mac !== '00:00:00:00:00:00');
    if (a) out[name] = a.mac;
  }
  return out;
}

export class Identity {
  private readonly file: string;
  constructor(stateDir: string) {
    this.file = join(stateDir, 'identity.json');
  }

  deviceId(): string | null {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as { deviceId?: unknown };
      return typeof v.deviceId === 'string' ? v.deviceId : null;
    } catch {
      return null;
    }
  }

  setDeviceId(id: unknown): string {
    if (typeof id !== 'string' || !DEVICE_ID.test(id)) {
      throw new ProvisionError('VALIDATION_FAILED', 'deviceId: 1..64 of A-Z a-z 0-9 _ -', { field: 'deviceId' });
    }
    writeAtomic(this.file, JSON.stringify({ deviceId: id }));
    return id;
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
