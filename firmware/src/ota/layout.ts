/**
 * The on-disk layout OTA works on, under a root (e.g. /opt/callbox):
 *   releases/<version>/   unpacked releases (temp dirs `.unpack-*` until complete)
 *   current -> releases/<version>   what the launcher starts (switched atomically by rename)
 *   ota/state.json        the confirmed release and the pending (unconfirmed) install
 *   ota/boot-count        boots of a pending release without confirm (outside the app)
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Pending {
  version: string;
  previous: string | null;
  jobId: string | null;
  startedAt: string;
}

export interface OtaState {
  confirmed: string | null;
  pending: Pending | null;
  /** The last rollback: which release was refused and why. */
  lastRollback: { from: string; to: string; reason: string; at: string } | null;
}

export class OtaLayout {
  constructor(readonly root: string) {}

  get releases(): string {
    return join(this.root, 'releases');
  }
  get current(): string {
    return join(this.root, 'current');
  }
  get stateFile(): string {
    return join(this.root, 'ota', 'state.json');
  }
  get bootCountFile(): string {
    return join(this.root, 'ota', 'boot-count');
  }
  releaseDir(version: string): string {
    return join(this.releases, version);
  }

  /** Version `current` points at, or null when there is none. */
  currentVersion(): string | null {
    try {
      return basename(readlinkSync(this.current));
    } catch {
      return null;
    }
  }

  /** Point `current` at releases/<version>: a symlink under a temp name renamed over it (atomic), dir fsynced. */
  switchCurrent(version: string): void {
    const tmp = join(this.root, `.current-${process.pid}-${Date.now()}`);
    rmSync(tmp, { force: true });
    symlinkSync(join('releases', version), tmp);
    renameSync(tmp, this.current);
    fsyncDir(this.root);
  }

  readState(): OtaState {
    try {
      const s = JSON.parse(readFileSync(this.stateFile, 'utf8')) as Partial<OtaState>;
      return { confirmed: s.confirmed ?? null, pending: s.pending ?? null, lastRollback: s.lastRollback ?? null };
    } catch {
      return { confirmed: this.currentVersion(), pending: null, lastRollback: null };
    }
  }

  writeState(state: OtaState): void {
    writeFileAtomic(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }

  bootCount(): number {
    try {
      const n = Number(readFileSync(this.bootCountFile, 'utf8').trim());
      return Number.isInteger(n) && n >= 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  setBootCount(n: number): void {
    writeFileAtomic(this.bootCountFile, `${n}\n`);
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write to a temp file, fsync, rename over the target, fsync the folder. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
