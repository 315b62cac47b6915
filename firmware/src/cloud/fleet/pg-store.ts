/**
 * The fleet store on PostgreSQL (`callbox fleet consume --store postgres://…`): the same tables
 * and rules as the SQLite store — records upserted on (device_id, id) only when the version is
 * higher, each batch in one transaction committed before the consumer acks — for a fleet whose
 * consumers share one database. `pg` is loaded on first use (a dynamic import), so neither the
 * box nor a SQLite consumer loads it.
 */
import type { Pool } from 'pg';
import type { DeviceRow, FleetJob, FleetRecord, FleetStoreApi, FleetUpload } from './fleet-store.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    device_id TEXT NOT NULL, id TEXT NOT NULL, stream TEXT NOT NULL, version BIGINT NOT NULL,
    ts TEXT NOT NULL, body JSONB, received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, id));
  CREATE INDEX IF NOT EXISTS records_stream ON records (device_id, stream);
  CREATE TABLE IF NOT EXISTS stream_seq (
    device_id TEXT NOT NULL, stream TEXT NOT NULL, seq BIGINT NOT NULL, batches BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, stream));
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, status JSONB, status_at TIMESTAMPTZ, reported JSONB, telemetry JSONB);
  CREATE TABLE IF NOT EXISTS jobs (
    device_id TEXT NOT NULL, job_id TEXT NOT NULL, status TEXT NOT NULL, step TEXT, percent INTEGER NOT NULL,
    version TEXT, reason TEXT, code TEXT, at TEXT NOT NULL, PRIMARY KEY (device_id, job_id));
  CREATE TABLE IF NOT EXISTS uploads (
    device_id TEXT NOT NULL, upload_id TEXT NOT NULL, doc JSONB NOT NULL, PRIMARY KEY (device_id, upload_id));
`;

export class PgFleetStore implements FleetStoreApi {
  private constructor(private readonly pool: Pool) {}

  /** Connect (a pool of `max` connections) and create the tables if they are missing. */
  static async open(url: string, max = 4): Promise<PgFleetStore> {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: url, max });
    pool.on('error', () => undefined); // an idle client's error; the next query reports it
    try {
      await pool.query(SCHEMA);
    } catch (e) {
      await pool.end();
      throw new Error(`PostgreSQL store ${redact(url)}: ${(e as Error).message}`);
    }
    return new PgFleetStore(pool);
  }

  async applyBatch(deviceId: string, stream: string, seq: number, records: FleetRecord[], from?: number): Promise<number | null> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      if (from !== undefined) {
        // the stream's row locked until the commit: consumers sharing the store check it one at a time
        const r = await c.query<{ seq: string }>('SELECT seq FROM stream_seq WHERE device_id = $1 AND stream = $2 FOR UPDATE', [
          deviceId,
          stream,
        ]);
        if (from > Number(r.rows[0]?.seq ?? 0)) {
          await c.query('ROLLBACK');
          return null;
        }
      }
      let changed = 0;
      if (records.length > 0) {
        // one statement for the batch; a later duplicate id in the same batch keeps the highest version
        const r = await c.query(
          `INSERT INTO records (device_id, id, stream, version, ts, body)
           SELECT $1, x.id, $2, x.version, x.ts, x.body FROM (
             SELECT DISTINCT ON (id) id, version, ts, body
             FROM jsonb_to_recordset($3::jsonb) AS t(id TEXT, version BIGINT, ts TEXT, body JSONB)
             ORDER BY id, version DESC) x
           ON CONFLICT (device_id, id) DO UPDATE SET stream = excluded.stream, version = excluded.version, ts = excluded.ts,
             body = excluded.body, received_at = now()
           WHERE excluded.version > records.version`,
          [deviceId, stream, JSON.stringify(records.map((x) => ({ ...x, body: x.body ?? null })))],
        );
        changed = r.rowCount ?? 0;
      }
      await c.query(
        `INSERT INTO stream_seq (device_id, stream, seq, batches) VALUES ($1, $2, $3, 1)
         ON CONFLICT (device_id, stream) DO UPDATE SET seq = GREATEST(stream_seq.seq, excluded.seq), batches = stream_seq.batches + 1`,
        [deviceId, stream, seq],
      );
      await c.query('COMMIT');
      return changed;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async setDevice(deviceId: string, field: 'status' | 'reported' | 'telemetry', value: unknown): Promise<void> {
    const col = { status: 'status', reported: 'reported', telemetry: 'telemetry' }[field];
    const at = field === 'status' ? ', status_at = now()' : '';
    await this.pool.query(
      `INSERT INTO devices (device_id, ${col}${field === 'status' ? ', status_at' : ''}) VALUES ($1, $2${field === 'status' ? ', now()' : ''})
       ON CONFLICT (device_id) DO UPDATE SET ${col} = excluded.${col}${at}`,
      [deviceId, JSON.stringify(value)],
    );
  }

  async devices(): Promise<DeviceRow[]> {
    const r = await this.pool.query(`
      SELECT ids.device_id, d.status, d.status_at, d.reported, d.telemetry,
        (SELECT COUNT(*) FROM records x WHERE x.device_id = ids.device_id)::int AS records
      FROM (SELECT device_id FROM devices UNION SELECT DISTINCT device_id FROM records) ids
      LEFT JOIN devices d ON d.device_id = ids.device_id ORDER BY 1`);
    return r.rows.map((x) => ({
      deviceId: x.device_id,
      state: (x.status as { state?: string } | null)?.state ?? null,
      status: x.status,
      statusAt: x.status_at ? (x.status_at as Date).toISOString() : null,
      reported: x.reported,
      telemetry: x.telemetry,
      records: x.records,
    }));
  }

  async records(deviceId: string, stream?: string): Promise<(FleetRecord & { stream: string })[]> {
    const r = await this.pool.query(
      `SELECT id, stream, version, ts, body FROM records WHERE device_id = $1 ${stream ? 'AND stream = $2' : ''} ORDER BY id`,
      stream ? [deviceId, stream] : [deviceId],
    );
    return r.rows.map((x) => ({ id: x.id, stream: x.stream, version: Number(x.version), ts: x.ts, body: x.body }));
  }

  async setJob(j: FleetJob): Promise<void> {
    await this.pool.query(
      `INSERT INTO jobs (device_id, job_id, status, step, percent, version, reason, code, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (device_id, job_id) DO UPDATE SET status = excluded.status, step = excluded.step, percent = excluded.percent,
         version = excluded.version, reason = excluded.reason, code = excluded.code, at = excluded.at
       WHERE excluded.at >= jobs.at`,
      [j.deviceId, j.jobId, j.status, j.step, j.percent, j.version, j.reason, j.code, j.at],
    );
  }

  async jobs(deviceId?: string): Promise<FleetJob[]> {
    const r = await this.pool.query(
      `SELECT device_id AS "deviceId", job_id AS "jobId", status, step, percent, version, reason, code, at FROM jobs
       ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY at DESC`,
      deviceId ? [deviceId] : [],
    );
    return r.rows as FleetJob[];
  }

  async getUpload(deviceId: string, uploadId: string): Promise<FleetUpload | null> {
    const r = await this.pool.query('SELECT doc FROM uploads WHERE device_id = $1 AND upload_id = $2', [deviceId, uploadId]);
    return (r.rows[0]?.doc as FleetUpload | undefined) ?? null;
  }

  async putUpload(u: FleetUpload): Promise<void> {
    await this.pool.query(
      'INSERT INTO uploads (device_id, upload_id, doc) VALUES ($1, $2, $3) ON CONFLICT (device_id, upload_id) DO UPDATE SET doc = excluded.doc',
      [u.deviceId, u.uploadId, JSON.stringify(u)],
    );
  }

  async uploads(deviceId?: string): Promise<FleetUpload[]> {
    const r = await this.pool.query(
      `SELECT doc FROM uploads ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY device_id, upload_id`,
      deviceId ? [deviceId] : [],
    );
    return r.rows.map((x) => x.doc as FleetUpload);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
