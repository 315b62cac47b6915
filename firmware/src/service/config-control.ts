/**
 * Changing the box config while it runs (BoxService.config, box.applyConfig, cloud config/desired):
 * one change at a time, in order. A change is checked as a whole config, written through the
 * ConfigStore (atomic), made live for the next calls (`applyLive`: IVR, hours, queues, agents,
 * prompts, recording, voicemail, …), recorded in the audit trail (who changed what, from where) and
 * emitted as an `applied` event. Parts read only at start (config-changes.ts RESTART_REQUIRED_PATHS)
 * are written and reported in `restartRequired` until the box restarts.
 */
import type { Logger } from 'pino';
import { TypedEmitter } from '../../../hal/src/events.js';
import {
  changedPaths,
  configVersion,
  mergePatch,
  RESTART_REQUIRED_PATHS,
  redactSecrets,
  restartRequired,
  restoreSecrets,
} from '../config/config-changes.js';
import type { ConfigStore } from '../config/config-store.js';
import { CONFIG_MIGRATIONS, migrateConfig } from '../config/migrations.js';
import { formatIssues } from '../config/schema-errors.js';
import type { Config } from '../config/schema.js';
import { validateConfig } from '../config/validate.js';
import { CallboxError } from '../errors.js';
import type {
  ConfigApplyResult,
  ConfigChangeOptions,
  ConfigCheck,
  ConfigIssue,
  ConfigService,
  ConfigSnapshot,
  ConfigSource,
} from './config-types.js';

export interface ConfigApplied extends ConfigApplyResult {
  actor: string;
  source: ConfigSource;
  /** Every changed section (applied and restart-required). */
  changed: string[];
}

export interface ConfigEvents {
  [name: string]: unknown;
  applied: ConfigApplied;
}

export interface ConfigControlDeps {
  /** Where the config lives (a ConfigStore: validated, atomic writes). */
  store: Pick<ConfigStore, 'get' | 'replace'>;
  /** The config the process started with: restart-only parts keep running as they were. */
  booted: Config;
  /** Make `next` the running config for everything that can change live. */
  applyLive(next: Config): void;
  /** One audit trail row (back office). */
  audit(actor: string, action: string, entity: string, entityId: string | null, detail: unknown): void;
  log: Logger;
}

type Prepared = { ok: true; config: Config } | { ok: false; errors: ConfigIssue[] };

/** An older config version (a cloud that lags behind) migrated forward; anything else as it is, for validation to name. */
function migrated(doc: unknown): unknown {
  try {
    return migrateConfig(doc, CONFIG_MIGRATIONS).value;
  } catch {
    return doc;
  }
}

const asCheck = (p: Prepared): ConfigCheck => (p.ok ? { ok: true, errors: [] } : { ok: false, errors: p.errors });

const isRestartPath = (p: string): boolean => RESTART_REQUIRED_PATHS.some((r) => p === r || p.startsWith(`${r}/`) || r.startsWith(`${p}/`));

export class ConfigControl implements ConfigService {
  readonly events = new TypedEmitter<ConfigEvents>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: ConfigControlDeps) {}

  get(): ConfigSnapshot {
    const config = this.d.store.get();
    return { config: redactSecrets(config), version: configVersion(config), restartRequired: restartRequired(this.d.booted, config) };
  }

  validate(doc: unknown): ConfigCheck {
    return asCheck(this.prepare(doc));
  }

  validatePatch(patch: unknown): ConfigCheck {
    return asCheck(this.preparePatch(patch));
  }

  replace(doc: unknown, opts: ConfigChangeOptions): Promise<ConfigApplyResult> {
    return this.serialize(async () => {
      this.checkVersion(opts.ifMatch);
      return this.commit(this.need(this.prepare(doc)), opts);
    });
  }

  patch(patch: unknown, opts: ConfigChangeOptions): Promise<ConfigApplyResult> {
    return this.serialize(async () => {
      this.checkVersion(opts.ifMatch);
      return this.commit(this.need(this.preparePatch(patch)), opts);
    });
  }

  private preparePatch(patch: unknown): Prepared {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      return { ok: false, errors: [{ path: '/', message: 'a merge patch must be a JSON object' }] };
    }
    return this.prepare(mergePatch(this.d.store.get(), patch));
  }

  /** A copy of `doc` with redacted secrets put back, checked as a whole config. */
  private prepare(doc: unknown): Prepared {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return { ok: false, errors: [{ path: '/', message: 'must be a config object' }] };
    }
    let copy: unknown;
    try {
      copy = structuredClone(doc);
    } catch {
      return { ok: false, errors: [{ path: '/', message: 'must be plain JSON data' }] };
    }
    const missing = restoreSecrets(copy, this.d.store.get());
    const result = validateConfig(migrated(copy));
    const errors = [
      ...missing.map((path) => ({ path, message: 'is the redacted placeholder: send the secret itself' })),
      ...(result.ok ? [] : result.errors),
    ];
    return errors.length === 0 && result.ok ? { ok: true, config: result.config } : { ok: false, errors };
  }

  private need(p: Prepared): Config {
    if (p.ok) return p.config;
    const first = p.errors[0]?.path ?? '/';
    throw new CallboxError('VALIDATION_FAILED', `config refused: ${formatIssues(p.errors)}`, { field: first, errors: p.errors });
  }

  private checkVersion(ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    const want = ifMatch.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    const current = configVersion(this.d.store.get());
    if (want !== '*' && want !== current) {
      throw new CallboxError(
        'CONFLICT',
        `the config has changed since version ${want} (now ${current}): reload it and apply your change again`,
        {
          version: current,
        },
      );
    }
  }

  private async commit(next: Config, opts: ConfigChangeOptions): Promise<ConfigApplyResult> {
    const prev = this.d.store.get();
    const written = await this.d.store.replace(next);
    const changed = changedPaths(prev, written);
    const applied = changed.filter((p) => !isRestartPath(p));
    const pending = restartRequired(this.d.booted, written);
    // the running config follows every accepted change (restart-only parts are read only at start)
    if (changed.length > 0) {
      try {
        this.d.applyLive(written);
      } catch (err) {
        // written but not running: the owner sees it needs a restart rather than a half-applied box
        this.d.log.error({ err, changed }, 'config written but the live apply failed; a restart applies it');
        pending.push(...applied.filter((p) => !pending.includes(p)));
        applied.length = 0;
      }
    }
    const version = configVersion(written);
    const result: ConfigApplyResult = { version, applied, restartRequired: pending };
    if (changed.length > 0) {
      this.d.audit(opts.actor, 'config.apply', 'config', version, { source: opts.source, changed, applied, restartRequired: pending });
      this.d.log.info({ actor: opts.actor, source: opts.source, applied, restartRequired: pending, version }, 'config changed');
    }
    this.events.emit('applied', { ...result, actor: opts.actor, source: opts.source, changed });
    return result;
  }

  /** One change at a time, in call order. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
