/**
 * The config part of the service API (BoxService.config): read the box config (secrets redacted),
 * check a document without applying it, and change it live (box.applyConfig). Re-exported by
 * types.ts; front ends import it from there.
 */
import type { ConfigIssue } from '../config/schema-errors.js';
import type { Config } from '../config/schema.js';

export type { Config, ConfigIssue };

/** The config in use and its version (a content hash: the ETag of GET /api/v1/config). */
export interface ConfigSnapshot {
  config: Config;
  version: string;
  /** Paths changed since the box started that take effect only after a restart. */
  restartRequired: string[];
}

/** Who asked for a change: the REST API (a user), the cloud (config/desired), or the box itself. */
export type ConfigSource = 'api' | 'cloud' | 'system';

export interface ConfigChangeOptions {
  /** The username (or "cloud", "system") written to the audit trail. */
  actor: string;
  source: ConfigSource;
  /** The version the change was made from: CONFLICT when the config has changed since. */
  ifMatch?: string;
}

export interface ConfigApplyResult {
  /** The new config's version. */
  version: string;
  /** Changed sections now in effect for the next calls (calls in progress keep theirs). */
  applied: string[];
  /** Changed sections written to config.json that take effect after a restart. */
  restartRequired: string[];
}

export interface ConfigCheck {
  ok: boolean;
  /** Each problem with the JSON pointer of its field. */
  errors: ConfigIssue[];
}

export interface ConfigService {
  get(): ConfigSnapshot;
  /** A dry run: the document checked as a whole config (schema and references); nothing written. */
  validate(doc: unknown): ConfigCheck;
  /** Replace the whole config. VALIDATION_FAILED with details.errors; CONFLICT on a stale ifMatch. */
  replace(doc: unknown, opts: ConfigChangeOptions): Promise<ConfigApplyResult>;
  /** A JSON merge patch (RFC 7386) over the config in use, then as replace(). */
  patch(patch: unknown, opts: ConfigChangeOptions): Promise<ConfigApplyResult>;
  /** A dry run of a merge patch. */
  validatePatch(patch: unknown): ConfigCheck;
}
