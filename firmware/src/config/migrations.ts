/**
 * Config file versions. The schema describes only the current version; an older file is brought
 * forward one step at a time by the migrations below, each a pure function of the previous shape.
 */
import { CallboxError } from '../errors.js';

export const CURRENT_CONFIG_VERSION = 1;

export interface Migration {
  from: number;
  to: number;
  migrate(old: unknown): unknown;
}

/** The production migrations, oldest first. Add `{ from: 1, to: 2, migrate }` when version 2 comes. */
export const CONFIG_MIGRATIONS: readonly Migration[] = [];

export interface MigrationResult {
  /** The migrated document (not yet validated). */
  value: unknown;
  /** The version the input had. */
  fromVersion: number;
  /** Number of steps applied (0 when the input was already current). */
  steps: number;
}

/** The `version` of a parsed config document, or an error naming `/version`. */
export function readConfigVersion(raw: unknown): number {
  const version = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { version?: unknown }).version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new CallboxError('CONFIG_INVALID', '/version must be an integer >= 1', {
      errors: [{ path: '/version', message: 'must be an integer >= 1' }],
    });
  }
  return version;
}

/**
 * Step `raw` from its version to `target`, one version at a time. Refuses a document newer than
 * `target` (a downgrade of the firmware) and a gap in the migration list.
 */
export function migrateConfig(raw: unknown, migrations: readonly Migration[], target: number = CURRENT_CONFIG_VERSION): MigrationResult {
  const fromVersion = readConfigVersion(raw);
  if (fromVersion > target) {
    throw new CallboxError(
      'CONFIG_INVALID',
      `config version ${fromVersion} is newer than this firmware supports (${target}); update the firmware or restore a backup`,
      { errors: [{ path: '/version', message: `must be <= ${target}` }] },
    );
  }
  let value = raw;
  let version = fromVersion;
  let steps = 0;
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      throw new CallboxError('CONFIG_INVALID', `no config migration from version ${version} to ${version + 1}`);
    }
    if (step.to !== version + 1) {
      throw new CallboxError('INTERNAL', `config migration ${step.from}->${step.to} must step exactly one version`);
    }
    value = step.migrate(structuredClone(value));
    const got = readConfigVersionOrNull(value);
    if (got !== step.to) {
      throw new CallboxError('INTERNAL', `config migration ${step.from}->${step.to} produced version ${String(got)} instead of ${step.to}`);
    }
    version = step.to;
    steps++;
  }
  return { value, fromVersion, steps };
}

function readConfigVersionOrNull(raw: unknown): number | null {
  try {
    return readConfigVersion(raw);
  } catch {
    return null;
  }
}
