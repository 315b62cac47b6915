/**
 * Backup and restore of the whole box (service.backup, owner): a `callbox-backup/1` tar.gz of a
 * consistent SQLite snapshot (better-sqlite3's online backup API: the box keeps working meanwhile),
 * the config file and the shop's own prompts, with a manifest (format, firmware version, schema
 * version, time). Restoring is two steps: `stage` checks an uploaded archive (format, a schema not
 * newer than this box's, a SQLite file, a config file, safe prompt names) and keeps it for 10
 * minutes under a token; `confirm` writes it to `<data-dir>/restore-pending/` and asks the box to
 * restart, and `applyPendingRestore` swaps the files in at the next start, before the database is
 * opened. Both the download and the restore are audited.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Actor } from '../backoffice/common/types.js';
import { CallboxError } from '../errors.js';
import { readTarGz, type TarEntry, writeTarGz } from '../ota/tar.js';
import { isPromptPath, promptNamesIn } from './prompt-files.js';
import { PROMPT_LANGUAGES } from './prompt-types.js';

export const BACKUP_FORMAT = 'callbox-backup/1';
const STAGE_MS = 10 * 60_000;
const PENDING = 'restore-pending';

export interface BackupManifest {
  format: string;
  createdAt: string;
  firmwareVersion: string;
  schemaVersion: number;
  files: string[];
}

export interface StagedRestore {
  token: string;
  expiresAt: string;
  manifest: BackupManifest;
  /** What the archive holds: the database's size, the shop name of its config, own prompts. */
  summary: { databaseBytes: number; shopName: string; prompts: number };
}

export interface BackupService {
  /** The archive and its file name (callbox-backup-<time>.tar.gz). Audited (backup.download). */
  create(actor: Actor): Promise<{ name: string; data: Buffer }>;
  /** Check an archive and keep it for confirm(). VALIDATION_FAILED (field `file`, `format`, `schemaVersion`). */
  stage(actor: Actor, gz: Buffer): StagedRestore;
  /** Put the staged archive in place for the next start and restart the box. NOT_FOUND for an unknown/expired token. */
  confirm(actor: Actor, token: string): { restarting: boolean };
}

export interface BackupDeps {
  db: Database;
  dataDir: string;
  version: string;
  now: () => number;
  audit: (actor: string, action: string, entity: string, id: string | null, detail: unknown) => void;
  requestRestart: ((reason: string) => void) | null;
}

const isSqlite = (data: Buffer): boolean => data.subarray(0, 16).toString('latin1') === 'SQLite format 3\0';
const bad = (field: string, message: string) => new CallboxError('VALIDATION_FAILED', message, { field });

function promptFiles(dir: string): TarEntry[] {
  return PROMPT_LANGUAGES.flatMap((lang) =>
    promptNamesIn(dir, lang).map(
      (name): TarEntry => ({
        path: `prompts/${lang}/${name}.wav`,
        type: 'file',
        mode: 0o644,
        data: readFileSync(join(dir, lang, `${name}.wav`)),
      }),
    ),
  );
}

export class BoxBackup implements BackupService {
  /** The one restore checked and waiting for confirm() (a new check replaces it). */
  private staged: { token: string; until: number; entries: TarEntry[] } | null = null;

  constructor(private readonly d: BackupDeps) {}

  private schemaVersion(): number {
    return this.d.db.pragma('user_version', { simple: true }) as number;
  }

  async create(actor: Actor): Promise<{ name: string; data: Buffer }> {
    const work = mkdtempSync(join(tmpdir(), 'callbox-backup-'));
    try {
      await this.d.db.backup(join(work, 'callbox.db'));
      const files: TarEntry[] = [
        { path: 'callbox.db', type: 'file', mode: 0o600, data: readFileSync(join(work, 'callbox.db')) },
        { path: 'config.json', type: 'file', mode: 0o600, data: readFileSync(join(this.d.dataDir, 'config.json')) },
        ...promptFiles(join(this.d.dataDir, 'prompts')),
      ];
      const createdAt = new Date(this.d.now()).toISOString();
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        createdAt,
        firmwareVersion: this.d.version,
        schemaVersion: this.schemaVersion(),
        files: files.map((f) => f.path),
      };
      const data = writeTarGz([
        { path: 'manifest.json', type: 'file', mode: 0o644, data: Buffer.from(JSON.stringify(manifest, null, 2)) },
        ...files,
      ]);
      this.d.audit(actor.username, 'backup.download', 'backup', null, {
        bytes: data.length,
        schemaVersion: manifest.schemaVersion,
        files: files.length,
      });
      return { name: `callbox-backup-${createdAt.replace(/[:.]/g, '-')}.tar.gz`, data };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  stage(actor: Actor, gz: Buffer): StagedRestore {
    let entries: TarEntry[];
    try {
      entries = readTarGz(gz);
    } catch (err) {
      throw bad('file', `not a callbox backup (tar.gz): ${(err as Error).message}`);
    }
    const file = (p: string) => entries.find((e) => e.type === 'file' && e.path === p);
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(file('manifest.json')?.data.toString('utf8') ?? '') as BackupManifest;
    } catch {
      throw bad('file', 'the archive has no readable manifest.json');
    }
    if (manifest.format !== BACKUP_FORMAT)
      throw bad('format', `unknown backup format ${JSON.stringify(manifest.format)} (this box reads ${BACKUP_FORMAT})`);
    if (!Number.isInteger(manifest.schemaVersion) || manifest.schemaVersion > this.schemaVersion())
      throw bad(
        'schemaVersion',
        `the backup's database schema ${manifest.schemaVersion} is newer than this box's (${this.schemaVersion()}): update the firmware first`,
      );
    const db = file('callbox.db');
    if (db === undefined || !isSqlite(db.data)) throw bad('file', 'the archive has no SQLite database');
    let shopName = '';
    try {
      const cfg = JSON.parse(file('config.json')?.data.toString('utf8') ?? '') as { shop?: { name?: unknown } };
      shopName = typeof cfg.shop?.name === 'string' ? cfg.shop.name : '';
    } catch {
      throw bad('file', 'the archive has no readable config.json');
    }
    const keep = entries.filter(
      (e) =>
        e.type === 'file' && (e.path === 'callbox.db' || e.path === 'config.json' || e.path === 'manifest.json' || isPromptPath(e.path)),
    );
    const now = this.d.now();
    const token = randomBytes(16).toString('hex');
    this.staged = { token, until: now + STAGE_MS, entries: keep }; // one restore at a time
    this.d.audit(actor.username, 'backup.restore_check', 'backup', null, {
      createdAt: manifest.createdAt,
      schemaVersion: manifest.schemaVersion,
    });
    return {
      token,
      expiresAt: new Date(now + STAGE_MS).toISOString(),
      manifest,
      summary: { databaseBytes: db.data.length, shopName, prompts: keep.filter((e) => e.path.startsWith('prompts/')).length },
    };
  }

  confirm(actor: Actor, token: string): { restarting: boolean } {
    const s = this.staged;
    if (!s || s.token !== token || s.until < this.d.now())
      throw new CallboxError('NOT_FOUND', 'no such restore (upload the backup again: a check is kept 10 minutes)', { field: 'token' });
    if (!this.d.requestRestart) throw new CallboxError('CONFLICT', 'this box cannot restart itself (run it under the launcher or systemd)');
    this.staged = null;
    const tmp = join(this.d.dataDir, `${PENDING}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'restored-by.json'), JSON.stringify({ actor: actor.username, at: new Date(this.d.now()).toISOString() }));
    for (const e of s.entries) {
      mkdirSync(dirname(join(tmp, e.path)), { recursive: true });
      writeFileSync(join(tmp, e.path), e.data);
    }
    rmSync(join(this.d.dataDir, PENDING), { recursive: true, force: true });
    renameSync(tmp, join(this.d.dataDir, PENDING));
    this.d.audit(actor.username, 'backup.restore', 'backup', null, { files: s.entries.length });
    this.d.requestRestart('restore from a backup');
    return { restarting: true };
  }
}

/**
 * At start, before the database opens: a confirmed restore in `<data-dir>/restore-pending/` replaces
 * the database (its WAL and shared-memory files go), the config and the shop's own prompts. Returns
 * who confirmed it and the backup's time (the box audits it in the restored trail), or null.
 */
export function applyPendingRestore(dataDir: string): { actor: string; createdAt: string } | null {
  const pending = join(dataDir, PENDING);
  if (!existsSync(join(pending, 'manifest.json')) || !existsSync(join(pending, 'callbox.db'))) return null;
  const read = (f: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(join(pending, f), 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const by = read('restored-by.json');
  const manifest = read('manifest.json');
  for (const f of ['callbox.db-wal', 'callbox.db-shm']) rmSync(join(dataDir, f), { force: true });
  renameSync(join(pending, 'callbox.db'), join(dataDir, 'callbox.db'));
  if (existsSync(join(pending, 'config.json'))) renameSync(join(pending, 'config.json'), join(dataDir, 'config.json'));
  rmSync(join(dataDir, 'prompts'), { recursive: true, force: true });
  if (existsSync(join(pending, 'prompts'))) renameSync(join(pending, 'prompts'), join(dataDir, 'prompts'));
  rmSync(pending, { recursive: true, force: true });
  return { actor: typeof by.actor === 'string' ? by.actor : 'system', createdAt: String(manifest.createdAt ?? '') };
}
