/**
 * Login rate limiting and lockout, in memory (a restart clears it):
 * - per user: after `userFailures` failed logins in a row the user is locked for `lockMs`
 *   (doubling with each further lock, up to `maxLockMs`); a success clears the count;
 * - per address: more than `addressFailures` failures within `windowMs` block the address until
 *   the oldest of them leaves the window.
 * A blocked attempt is refused before the password is checked: 429 RATE_LIMITED + Retry-After.
 */
import { CallboxError } from '../../../firmware/src/errors.js';

export interface LoginLimits {
  userFailures: number;
  lockMs: number;
  maxLockMs: number;
  addressFailures: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  userFailures: 5,
  lockMs: 5 * 60_000,
  maxLockMs: 60 * 60_000,
  addressFailures: 20,
  windowMs: 15 * 60_000,
};

interface UserEntry {
  failures: number;
  locks: number;
  lockedUntil: number;
}

/** Past this many tracked keys, entries that no longer block anything are dropped. */
const MAX_KEYS = 10_000;

export class LoginLimiter {
  private readonly users = new Map<string, UserEntry>();
  private readonly addresses = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 RATE_LIMITED (details.retryAfterS) when the user or the address is blocked now. */
  check(username: string, address: string): void {
    const now = this.now();
    const user = this.users.get(username.toLowerCase());
    const userWait = user && user.lockedUntil > now ? user.lockedUntil - now : 0;
    const times = this.recent(address, now);
    const addressWait = times.length >= this.limits.addressFailures ? (times[0] as number) + this.limits.windowMs - now : 0;
    const wait = Math.max(userWait, addressWait);
    if (wait > 0) {
      const retryAfterS = Math.ceil(wait / 1000);
      const who = userWait >= addressWait ? 'this user' : 'this address';
      throw new CallboxError('RATE_LIMITED', `too many failed logins for ${who}; try again in ${retryAfterS} s`, { retryAfterS });
    }
  }

  failed(username: string, address: string): void {
    const now = this.now();
    this.prune(now);
    const key = username.toLowerCase();
    const u = this.users.get(key) ?? { failures: 0, locks: 0, lockedUntil: 0 };
    u.failures++;
    if (u.failures >= this.limits.userFailures) {
      u.lockedUntil = now + Math.min(this.limits.maxLockMs, this.limits.lockMs * 2 ** u.locks);
      u.locks++;
      u.failures = 0;
    }
    this.users.set(key, u);
    const times = this.recent(address, now);
    times.push(now);
    this.addresses.set(address, times);
  }

  succeeded(username: string): void {
    this.users.delete(username.toLowerCase());
  }

  private recent(address: string, now: number): number[] {
    const times = this.addresses.get(address) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - this.limits.windowMs) times.shift();
    return times;
  }

  private prune(now: number): void {
    if (this.users.size + this.addresses.size < MAX_KEYS) return;
    for (const [k, u] of this.users) if (u.lockedUntil <= now) this.users.delete(k);
    for (const k of [...this.addresses.keys()]) if (this.recent(k, now).length === 0) this.addresses.delete(k);
  }
}
