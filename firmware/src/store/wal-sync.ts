/**
 * Durable acknowledgements without FULL sync on the event loop.
 *
 * The database runs `synchronous=NORMAL` (db.ts): a commit writes its WAL frames to the kernel, not
 * to the card, so a power cut can take the last seconds of commits. Before the box answers a write
 * (a `201` to the dashboard or an API client) it calls `sync()`: an `fsync` of the WAL file on
 * libuv's thread pool, so the event loop (and the calls' 20 ms audio ticks) never waits on the
 * card. Concurrent callers share one `fsync` (group commit): a caller that arrives while one runs
 * waits for the next, which starts when it ends, since the running one may have started before the
 * caller's commit. The first sync also syncs the data folder, so the `-wal` file's name is durable.
 * Measured in docs/RELIABILITY.md (Power loss): `make powerloss`.
 */
import { close, fstat, fsync, open } from 'node:fs';
import { dirname } from 'node:path';

const call = <T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

export interface WalSyncStats {
  /** fsyncs of the WAL run so far. */
  syncs: number;
  /** sync() calls answered, more than `syncs` when callers shared one. */
  requests: number;
}

export class WalSync {
  private fd: number | null = null;
  private dirSynced = false;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private closed = false;
  readonly stats: WalSyncStats = { syncs: 0, requests: 0 };

  /** `dbPath`: the database file; its WAL is `<dbPath>-wal`. */
  constructor(private readonly dbPath: string) {}

  /** Resolves once every commit made before the call is on the storage; rejects on an I/O error. */
  sync(): Promise<void> {
    this.stats.requests++;
    if (this.closed) return Promise.resolve();
    if (!this.running) return this.start();
    if (!this.queued) {
      const next = () => {
        this.queued = null;
        return this.start();
      };
      this.queued = this.running.then(next, next);
    }
    return this.queued;
  }

  /**
   * Closes the WAL's descriptor (after a running fsync, which still answers its callers); later
   * syncs resolve at once (the database is closed too).
   */
  close(): void {
    this.closed = true;
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    const pending = this.queued ?? this.running;
    if (pending) void pending.catch(() => {}).finally(() => close(fd, () => {}));
    else close(fd, () => {});
  }

  private start(): Promise<void> {
    const run = this.runOnce().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async runOnce(): Promise<void> {
    if (this.closed) return;
    const fd = await this.walFd();
    if (fd === null) return; // no WAL file: every commit is in the database file already
    await call<void>((cb) => fsync(fd, (err) => cb(err, undefined)));
    this.stats.syncs++;
    if (!this.dirSynced) {
      await syncPath(dirname(this.dbPath));
      this.dirSynced = true;
    }
  }

  /** The WAL's descriptor, opened again when the file was removed (a checkpoint at close deletes it). */
  private async walFd(): Promise<number | null> {
    if (this.fd !== null) {
      const st = await call<{ nlink: number }>((cb) => fstat(this.fd as number, cb));
      if (st.nlink > 0) return this.fd;
      close(this.fd, () => {});
      this.fd = null;
    }
    try {
      this.fd = await call<number>((cb) => open(`${this.dbPath}-wal`, 'r', cb));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    if (this.closed) {
      close(this.fd, () => {});
      this.fd = null;
      return null;
    }
    return this.fd;
  }
}

async function syncPath(path: string): Promise<void> {
  const fd = await call<number>((cb) => open(path, 'r', cb));
  try {
    await call<void>((cb) => fsync(fd, (err) => cb(err, undefined)));
  } finally {
    close(fd, () => {});
  }
}
