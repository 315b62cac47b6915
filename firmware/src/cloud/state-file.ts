/**
 * What the cloud client remembers across restarts (data dir, cloud-state.json, written atomically):
 * the desired-config versions applied and pending, and the request ids of recent commands so a
 * command redelivered after a reboot is not run twice.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

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
    if (this.path) writeJsonFile(this.path, this.state);
  }
}

/** `doc` as JSON in `path`, atomically: a temp file renamed over it. */
export function writeJsonFile(path: string, doc: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc));
  renameSync(tmp, path);
}

/** Every `*.json` file of `dir` parsed (none when the folder is missing); an unreadable one is logged (`msg`) and skipped. */
export function readJsonFiles(dir: string, log: Logger, msg: string): unknown[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const docs: unknown[] = [];
  for (const n of names) {
    try {
      docs.push(JSON.parse(readFileSync(join(dir, n), 'utf8')));
    } catch (e) {
      log.warn({ file: n, err: (e as Error).message }, msg);
    }
  }
  return docs;
}
