/**
 * The proof-of-possession code: printed on the box's label, stored here only as its scrypt hash
 * (firmware/src/service/passwords.ts format) in <state>/pop.hash. Failed proofs are counted on disk
 * (a reboot does not reset them): 3 free attempts, then a doubling wait from 2 s (capped at 5 min),
 * and after 10 failures a 1 hour lockout. A success clears the count.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSecret } from '../../../firmware/src/service/passwords.js';
import { parseKdf } from '../protocol/session.js';

export const FREE_ATTEMPTS = 3;
export const LOCKOUT_AFTER = 10;
export const LOCKOUT_MS = 3_600_000;
export const MAX_BACKOFF_MS = 300_000;

interface Attempts {
  failures: number;
  /** No proof is checked before this time (ms). */
  notBefore: number;
}

export class PopStore {
  private readonly hashFile: string;
  private readonly attemptsFile: string;

  constructor(
    dir: string,
    private readonly now: () => number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.hashFile = join(dir, 'pop.hash');
    this.attemptsFile = join(dir, 'pop-attempts.json');
  }

  /** Factory step: store the hash of `code` (a new random 8-digit code when absent); returns the code. */
  async provisionCode(code?: string): Promise<string> {
    const c = code ?? String(randomInt(0, 100_000_000)).padStart(8, '0');
    if (c.trim().length < 6) throw new Error('a proof-of-possession code has at least 6 characters');
    writeAtomic(this.hashFile, `${await hashSecret(c.trim())}\n`);
    return c;
  }

  hasCode(): boolean {
    return this.stored() !== null;
  }

  /** The stored "scrypt$N$r$p$salt$hash", or null. */
  stored(): string | null {
    try {
      const text = readFileSync(this.hashFile, 'utf8').trim();
      return parseKdf(text)?.hash ? text : null;
    } catch {
      return null;
    }
  }

  /** Milliseconds to wait before a proof may be checked (0: now). */
  waitMs(): number {
    return Math.max(0, this.attempts().notBefore - this.now());
  }

  recordFailure(): Attempts {
    const a = this.attempts();
    const failures = a.failures + 1;
    let wait = 0;
    if (failures >= LOCKOUT_AFTER) wait = LOCKOUT_MS;
    else if (failures >= FREE_ATTEMPTS) wait = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** (failures - FREE_ATTEMPTS));
    const next = { failures: Math.min(failures, LOCKOUT_AFTER - 1), notBefore: this.now() + wait };
    writeAtomic(this.attemptsFile, JSON.stringify(next));
    return next;
  }

  recordSuccess(): void {
    writeAtomic(this.attemptsFile, JSON.stringify({ failures: 0, notBefore: 0 }));
  }

  attempts(): Attempts {
    try {
      const a = JSON.parse(readFileSync(this.attemptsFile, 'utf8')) as Attempts;
      if (Number.isInteger(a.failures) && Number.isFinite(a.notBefore)) return a;
    } catch {}
    return { failures: 0, notBefore: 0 };
  }
}

export function writeAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}
