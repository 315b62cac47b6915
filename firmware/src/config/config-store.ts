/**
 * The box config on disk: one JSON file replaced durably (durable-file.ts: temp file, fsync, rename,
 * fsync of the folder), so a power cut leaves the old or the new config, and an acknowledged change
 * is the new one.
 * Loaded once at start, validated, migrated forward with a backup of the old file; every change is
 * validated before it is written, so the file on disk is always a config the firmware accepted.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { CallboxError, isCallboxError } from '../errors.js';
import { writeFileDurable } from './durable-file.js';
import { locateJsonError } from './json-position.js';
import { CONFIG_MIGRATIONS, CURRENT_CONFIG_VERSION, type Migration, migrateConfig } from './migrations.js';
import { formatIssues } from './schema-errors.js';
import { type Config, defaultConfig } from './schema.js';
import { validateConfig } from './validate.js';

export interface ConfigStoreOptions {
  /** The config file, e.g. /var/lib/callbox/config.json. */
  path: string;
  log?: Logger;
  /** Defaults to the production CONFIG_MIGRATIONS. */
  migrations?: readonly Migration[];
  /** The version this firmware writes. Only tests of future migrations change it. */
  currentVersion?: number;
}

export class ConfigStore {
  private readonly opts: ConfigStoreOptions;
  private current: Config | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ConfigStoreOptions) {
    this.opts = opts;
  }

  get path(): string {
    return this.opts.path;
  }

  /**
   * Read, migrate and validate the file. A missing file is created with defaultConfig(). A broken
   * or invalid file is refused (CONFIG_INVALID) and left exactly as it is.
   */
  load(): Promise<Config> {
    return this.serialize(() => this.loadNow());
  }

  /** The loaded config (deep-frozen: change it through update() or replace()). */
  get(): Config {
    return this.loaded();
  }

  /** Apply `mutator` to a copy of the config; write it only if the result is valid. */
  update(mutator: (draft: Config) => void): Promise<Config> {
    return this.serialize(async () => {
      const draft = structuredClone(this.loaded()) as Config;
      mutator(draft);
      return this.commit(draft, 'update');
    });
  }

  /** Replace the whole config (older versions are migrated first); written only if valid. */
  replace(next: unknown): Promise<Config> {
    return this.serialize(async () => {
      this.loaded();
      let copy: unknown;
      try {
        copy = structuredClone(next);
      } catch {
        throw new CallboxError('CONFIG_INVALID', 'config replace refused: not plain JSON data');
      }
      const { value } = migrateConfig(copy, this.migrations, this.version);
      return this.commit(value, 'replace');
    });
  }

  private get migrations(): readonly Migration[] {
    return this.opts.migrations ?? CONFIG_MIGRATIONS;
  }

  private get version(): number {
    return this.opts.currentVersion ?? CURRENT_CONFIG_VERSION;
  }

  private async loadNow(): Promise<Config> {
    const file = this.opts.path;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new CallboxError('INTERNAL', `${file}: cannot read config: ${(e as Error).message}`);
      }
      const config = defaultConfig();
      await mkdir(path.dirname(file), { recursive: true });
      await this.write(config);
      this.opts.log?.info({ file }, 'config file missing: wrote the default config');
      return this.remember(config);
    }

    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const at = locateJsonError(text, e);
      const why = (e as Error).message;
      throw new CallboxError('CONFIG_INVALID', `${file}: invalid JSON at line ${at.line}, column ${at.column}: ${why}`, {
        file,
        line: at.line,
        column: at.column,
        errors: [{ path: '/', message: `invalid JSON: ${why}` }],
      });
    }

    let migrated: ReturnType<typeof migrateConfig>;
    try {
      migrated = migrateConfig(raw, this.migrations, this.version);
    } catch (e) {
      if (isCallboxError(e)) throw new CallboxError(e.code, `${file}: ${e.message}`, withFile(e.details, file));
      throw e;
    }
    const result = validateConfig(migrated.value, { version: this.version });
    if (!result.ok) {
      throw new CallboxError('CONFIG_INVALID', `${file}: ${formatIssues(result.errors)}`, {
        file,
        errors: result.errors,
      });
    }
    if (migrated.steps > 0) {
      const backup = await this.backup(bytes, migrated.fromVersion);
      await this.write(result.config);
      this.opts.log?.info({ file, backup, from: migrated.fromVersion, to: this.version }, 'config migrated; the old file was backed up');
    }
    return this.remember(result.config);
  }

  private async commit(next: unknown, what: 'update' | 'replace'): Promise<Config> {
    const result = validateConfig(next, { version: this.version });
    if (!result.ok) {
      throw new CallboxError('CONFIG_INVALID', `config ${what} refused: ${formatIssues(result.errors)}`, {
        errors: result.errors,
      });
    }
    await this.write(result.config);
    this.opts.log?.info({ file: this.opts.path }, `config ${what} written`);
    return this.remember(result.config);
  }

  /**
   * Keep the original bytes as config.v{N}.bak.json beside the file (fsynced before the config is
   * rewritten). An existing different backup is never overwritten: the next free .bak.{k} is used.
   */
  private async backup(bytes: Buffer, version: number): Promise<string> {
    const dir = path.dirname(this.opts.path);
    const stem = path.basename(this.opts.path).replace(/\.json$/i, '');
    for (let k = 1; k < 100; k++) {
      const name = k === 1 ? `${stem}.v${version}.bak.json` : `${stem}.v${version}.bak.${k}.json`;
      const target = path.join(dir, name);
      try {
        const fh = await open(target, 'wx');
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        return target;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const existing = await readFile(target);
        if (existing.equals(bytes)) return target;
      }
    }
    throw new CallboxError('INTERNAL', `${this.opts.path}: too many config backups for version ${version}`);
  }

  private async write(config: Config): Promise<void> {
    await writeFileDurable(this.opts.path, JSON.stringify(config, null, 2));
  }

  private remember(config: Config): Config {
    this.current = deepFreeze(config);
    return this.current;
  }

  private loaded(): Config {
    if (!this.current) throw new CallboxError('UNAVAILABLE', 'config is not loaded');
    return this.current;
  }

  /** One load/update/replace at a time, in call order, so writes never interleave. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function withFile(details: unknown, file: string): unknown {
  return typeof details === 'object' && details !== null ? { file, ...details } : { file };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
