/**
 * The reference cloud's store (SQLite, for tests and a shop with a few boxes): records upserted on
 * (deviceId, id) keeping the highest version, so a redelivered batch changes nothing; the last
 * status, reported config and telemetry per device. For a fleet: pg-store.ts (PostgreSQL), the same interface.
 */
import BetterSqlite3 from 'better-sqlite3';

export interface FleetRecord {
  id: string;
  version: number;
  ts: string;
  body: unknown;
}

export interface DeviceRow {
  deviceId: string;
  state: string | null;
  status: unknown;
  statusAt: string | null;
  reported: unknown;
  telemetry: unknown;
  records: number;
}

/** The last update of an OTA job of a device (`jobs/{jobId}/update`). */
export interface FleetJob {
  deviceId: string;
  jobId: string;
  status: string;
  step: string | null;
  percent: number;
  version: string | null;
  reason: string | null;
  code: string | null;
  at: string;
}

/** A recording upload's progress (`upload/{uploadId}`); `next` chunks are stored. */
export interface FleetUpload {
  deviceId: string;
  uploadId: string;
  recordingId: string;
  name: string;
  size: number;
  sha256: string;
  chunks: number;
  next: number;
  complete: boolean;
  /** The final file (`.part` until complete). */
  path: string;
  meta: unknown;
  updatedAt: string;
}

export type Awaitable<T> = T | Promise<T>;

/**
 * What the consumer needs of a store: SqliteFleetStore (synchronous) or PgFleetStore (pg-store.ts,
 * asynchronous); the consumer awaits every call and runs them one after the other.
 */
export interface FleetStoreApi {
  /**
   * Upsert a batch in one transaction; returns how many rows changed (new or newer versions). With
   * `from` (the seq the batch continues from, checked only when given): null and nothing stored when
   * the stream's stored seq is below it — a batch before this one has not arrived (order kept).
   */
  applyBatch(deviceId: string, stream: string, seq: number, records: FleetRecord[], from?: number): Awaitable<number | null>;
  setDevice(deviceId: string, field: 'status' | 'reported' | 'telemetry', value: unknown): Awaitable<void>;
  devices(): Awaitable<DeviceRow[]>;
  records(deviceId: string, stream?: string): Awaitable<(FleetRecord & { stream: string })[]>;
  /** Keep a job's newest update (by `at`; a late older update changes nothing). */
  setJob(job: FleetJob): Awaitable<void>;
  jobs(deviceId?: string): Awaitable<FleetJob[]>;
  getUpload(deviceId: string, uploadId: string): Awaitable<FleetUpload | null>;
  putUpload(u: FleetUpload): Awaitable<void>;
  uploads(deviceId?: string): Awaitable<FleetUpload[]>;
  close(): Awaitable<void>;
}

export class SqliteFleetStore implements FleetStoreApi {
  readonly db: BetterSqlite3.Database;
  private readonly upsert: BetterSqlite3.Statement;
  private readonly seqStmt: BetterSqlite3.Statement;
  private readonly storedSeq: BetterSqlite3.Statement<[string, string], number>;
  private readonly tx: (deviceId: string, stream: string, seq: number, records: FleetRecord[], from?: number) => number | null;

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        device_id TEXT NOT NULL,
        id TEXT NOT NULL,
        stream TEXT NOT NULL,
        version INTEGER NOT NULL,
        ts TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, id)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS records_stream ON records(device_id, stream);
      CREATE TABLE IF NOT EXISTS stream_seq (
        device_id TEXT NOT NULL,
        stream TEXT NOT NULL,
        seq INTEGER NOT NULL,
        batches INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (device_id, stream)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS devices (
        device_id TEXT PRIMARY KEY,
        status TEXT,
        status_at INTEGER,
        reported TEXT,
        telemetry TEXT
      ) STRICT;
      CREATE TABLE IF NOT EXISTS jobs (
        device_id TEXT NOT NULL,
        job_id TEXT NOT NULL,
        status TEXT NOT NULL,
        step TEXT,
        percent INTEGER NOT NULL,
        version TEXT,
        reason TEXT,
        code TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (device_id, job_id)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS uploads (
        device_id TEXT NOT NULL,
        upload_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (device_id, upload_id)
      ) STRICT;
    `);
    this.upsert = this.db.prepare(`
      INSERT INTO records (device_id, id, stream, version, ts, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (device_id, id) DO UPDATE SET stream = excluded.stream, version = excluded.version, ts = excluded.ts,
        body = excluded.body, received_at = excluded.received_at
      WHERE excluded.version > records.version`);
    this.seqStmt = this.db.prepare(`
      INSERT INTO stream_seq (device_id, stream, seq, batches) VALUES (?, ?, ?, 1)
      ON CONFLICT (device_id, stream) DO UPDATE SET seq = MAX(seq, excluded.seq), batches = batches + 1`);
    this.storedSeq = this.db.prepare<[string, string], number>('SELECT seq FROM stream_seq WHERE device_id = ? AND stream = ?').pluck();
    this.tx = this.db.transaction((deviceId: string, stream: string, seq: number, records: FleetRecord[], from?: number) => {
      if (from !== undefined && from > (this.storedSeq.get(deviceId, stream) ?? 0)) return null;
      let changed = 0;
      const now = Date.now();
      for (const r of records) changed += this.upsert.run(deviceId, r.id, stream, r.version, r.ts, JSON.stringify(r.body), now).changes;
      this.seqStmt.run(deviceId, stream, seq);
      return changed;
    });
  }

  applyBatch(deviceId: string, stream: string, seq: number, records: FleetRecord[], from?: number): number | null {
    return this.tx(deviceId, stream, seq, records, from);
  }

  setDevice(deviceId: string, field: 'status' | 'reported' | 'telemetry', value: unknown): void {
    const col = { status: 'status', reported: 'reported', telemetry: 'telemetry' }[field];
    this.db
      .prepare(`INSERT INTO devices (device_id, ${col}) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET ${col} = excluded.${col}`)
      .run(deviceId, JSON.stringify(value));
    if (field === 'status') this.db.prepare('UPDATE devices SET status_at = ? WHERE device_id = ?').run(Date.now(), deviceId);
  }

  devices(): DeviceRow[] {
    const rows = this.db
      .prepare(`SELECT d.device_id AS deviceId, d.status, d.status_at, d.reported, d.telemetry,
          (SELECT COUNT(*) FROM records r WHERE r.device_id = d.device_id) AS records
        FROM devices d
        UNION SELECT r.device_id, NULL, NULL, NULL, NULL, COUNT(*) FROM records r
          WHERE r.device_id NOT IN (SELECT device_id FROM devices) GROUP BY r.device_id
        ORDER BY 1`)
      .all() as {
      deviceId: string;
      status: string | null;
      status_at: number | null;
      reported: string | null;
      telemetry: string | null;
      records: number;
    }[];
    const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
    return rows.map((r) => {
      const status = parse(r.status) as { state?: string } | null;
      return {
        deviceId: r.deviceId,
        state: status?.state ?? null,
        status,
        statusAt: r.status_at === null ? null : new Date(r.status_at).toISOString(),
        reported: parse(r.reported),
        telemetry: parse(r.telemetry),
        records: r.records,
      };
    });
  }

  setJob(j: FleetJob): void {
    this.db
      .prepare(`INSERT INTO jobs (device_id, job_id, status, step, percent, version, reason, code, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (device_id, job_id) DO UPDATE SET status = excluded.status, step = excluded.step, percent = excluded.percent,
          version = excluded.version, reason = excluded.reason, code = excluded.code, at = excluded.at
        WHERE excluded.at >= jobs.at`)
      .run(j.deviceId, j.jobId, j.status, j.step, j.percent, j.version, j.reason, j.code, j.at);
  }

  jobs(deviceId?: string): FleetJob[] {
    const sql = `SELECT device_id AS deviceId, job_id AS jobId, status, step, percent, version, reason, code, at FROM jobs
      ${deviceId ? 'WHERE device_id = ?' : ''} ORDER BY at DESC`;
    return (deviceId ? this.db.prepare(sql).all(deviceId) : this.db.prepare(sql).all()) as FleetJob[];
  }

  getUpload(deviceId: string, uploadId: string): FleetUpload | null {
    const row = this.db.prepare('SELECT doc FROM uploads WHERE device_id = ? AND upload_id = ?').get(deviceId, uploadId) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as FleetUpload) : null;
  }

  putUpload(u: FleetUpload): void {
    this.db
      .prepare(
        'INSERT INTO uploads (device_id, upload_id, doc) VALUES (?, ?, ?) ON CONFLICT (device_id, upload_id) DO UPDATE SET doc = excluded.doc',
      )
      .run(u.deviceId, u.uploadId, JSON.stringify(u));
  }

  uploads(deviceId?: string): FleetUpload[] {
    const rows = (
      deviceId
        ? this.db.prepare('SELECT doc FROM uploads WHERE device_id = ? ORDER BY upload_id').all(deviceId)
        : this.db.prepare('SELECT doc FROM uploads ORDER BY device_id, upload_id').all()
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as FleetUpload);
  }

  /** Records of a device (and stream), oldest id first. */
  records(deviceId: string, stream?: string): (FleetRecord & { stream: string })[] {
    const rows = (
      stream
        ? this.db.prepare('SELECT * FROM records WHERE device_id = ? AND stream = ? ORDER BY id').all(deviceId, stream)
        : this.db.prepare('SELECT * FROM records WHERE device_id = ? ORDER BY id').all(deviceId)
    ) as { id: string; stream: string; version: number; ts: string; body: string }[];
    return rows.map((r) => ({ id: r.id, stream: r.stream, version: r.version, ts: r.ts, body: JSON.parse(r.body) as unknown }));
  }

  close(): void {
    this.db.close();
  }
}
