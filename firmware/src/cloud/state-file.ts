/**
 * What the cloud client remembers across restarts (data dir, cloud-state.json, written atomically):
 * the desired-config versions applied and pending, and the request ids of recent commands so a
 * command redelivered after a reboot is not run twice.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface CloudState {
  /** The desired-config version the running config came from. */
  appliedVersion: number | null;
  /** Written to config.json; parts of it take effect after the next start. */
  pendingVersion: number | null;
  /** The newest last. */
  requestIds: string[];
}

const MAX_IDS = 256;

export class CloudStateFile {
  private state: CloudState;

  constructor(private readonly path: string | null) {
    this.state = { appliedVersion: null, pendingVersion: null, requestIds: [] };
    if (!path) return;
    try {
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CloudState>;
      this.state = {
        appliedVersion: typeof raw.appliedVersion === 'number' ? raw.appliedVersion : null,
        pendingVersion: typeof raw.pendingVersion === 'number' ? raw.pendingVersion : null,
        requestIds: Array.isArray(raw.requestIds) ? raw.requestIds.filter((x) => typeof x === 'string').slice(-MAX_IDS) : [],
      };
    } catch {
      // missing or unreadable: start empty (the worst case is one re-run of a recent command)
    }
  }

  get(): Readonly<CloudState> {
    return this.state;
  }

  /** At start: a pending version is what the process now runs. */
  promotePending(): void {
    if (this.state.pendingVersion === null) return;
    this.state.appliedVersion = this.state.pendingVersion;
    this.state.pendingVersion = null;
    this.save();
  }

  /** A desired version now fully in effect (applied live). */
  setApplied(version: number): void {
    this.state.appliedVersion = version;
    this.state.pendingVersion = null;
    this.save();
  }

  setPending(version: number): void {
    this.state.pendingVersion = version;
    this.save();
  }

  seen(requestId: string): boolean {
    return this.state.requestIds.includes(requestId);
  }

  remember(requestId: string): void {
    this.state.requestIds.push(requestId);
    if (this.state.requestIds.length > MAX_IDS) this.state.requestIds.splice(0, this.state.requestIds.length - MAX_IDS);
    this.save();
  }

  private save(): void {
    if (!this.path) return;
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.path);
  }
}
