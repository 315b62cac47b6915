/**
 * What a config change touches, as plain functions of two config documents: which sections changed,
 * which of them only take effect after a restart, the config's version (a content hash, the ETag of
 * GET /api/v1/config), JSON merge patch (RFC 7386), and secrets redacted for reading and restored
 * when a redacted document comes back.
 */
import { createHash } from 'node:crypto';
import type { Config } from './schema.js';

/**
 * Parts of the config read only when the box starts: the drivers and their channels (hardware,
 * SIP), the ring cadence and tones of the country, the day boundaries of the time zone, the cloud
 * broker and the USB provisioning port. Everything else is applied live (box.applyConfig).
 */
export const RESTART_REQUIRED_PATHS: readonly string[] = [
  '/hardware',
  '/http/https',
  '/shop/country',
  '/shop/timezone',
  '/sip',
  '/cloud',
  '/provisioning',
];

/** Shown instead of a secret; a document sent back with it keeps the secret in use. */
export const REDACTED = '********';

type Json = unknown;

/** The value at a JSON pointer ("/shop/name"), or undefined. */
export function valueAt(doc: Json, pointer: string): Json {
  let v: Json = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, Json>)[key];
  }
  return v;
}

/** JSON with object keys sorted: equal documents give equal text whatever their key order. */
export function stableJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, Json>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function sameJson(a: Json, b: Json): boolean {
  return stableJson(a) === stableJson(b);
}

/** The config's version: 16 hex digits of the SHA-256 of its stable JSON. */
export function configVersion(config: Json): string {
  return createHash('sha256').update(stableJson(config)).digest('hex').slice(0, 16);
}

/** JSON pointers of the changed sections: top-level keys, and the fields of `shop` and `http`. */
export function changedPaths(prev: Config, next: Config): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const k of [...keys].sort()) {
    const a = (prev as Record<string, Json>)[k];
    const b = (next as Record<string, Json>)[k];
    if (sameJson(a, b)) continue;
    if ((k === 'shop' || k === 'http') && typeof a === 'object' && typeof b === 'object' && a && b) {
      const sub = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const s of [...sub].sort()) {
        if (!sameJson((a as Record<string, Json>)[s], (b as Record<string, Json>)[s])) out.push(`/${k}/${s}`);
      }
    } else out.push(`/${k}`);
  }
  return out;
}

/** The restart-only paths whose value in `next` differs from what the running process started with. */
export function restartRequired(booted: Config, next: Config): string[] {
  return RESTART_REQUIRED_PATHS.filter((p) => !sameJson(valueAt(booted, p), valueAt(next, p)));
}

/** RFC 7386 JSON merge patch: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const base: Record<string, Json> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, Json>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, Json>)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

/** A copy with the cloud password and SIP phone passwords replaced by REDACTED. */
export function redactSecrets(config: Config): Config {
  const c = structuredClone(config) as Config;
  if (c.cloud?.password !== undefined) c.cloud.password = REDACTED;
  for (const e of c.sip?.extensions ?? []) e.password = REDACTED;
  return c;
}

/**
 * A document coming back from a reader of the redacted config: every REDACTED secret takes the
 * value in use (SIP phones matched by user). Returns the JSON pointers of REDACTED secrets that
 * have no value to keep (a new SIP phone sent with the placeholder).
 */
export function restoreSecrets(doc: Json, current: Config): string[] {
  const missing: string[] = [];
  if (typeof doc !== 'object' || doc === null) return missing;
  const d = doc as { cloud?: { password?: Json }; sip?: { extensions?: { user?: Json; password?: Json }[] } };
  if (d.cloud && typeof d.cloud === 'object' && d.cloud.password === REDACTED) {
    if (current.cloud?.password !== undefined) d.cloud.password = current.cloud.password;
    else missing.push('/cloud/password');
  }
  const exts = d.sip && typeof d.sip === 'object' && Array.isArray(d.sip.extensions) ? d.sip.extensions : [];
  exts.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || e.password !== REDACTED) return;
    const known = current.sip?.extensions.find((x) => x.user === e.user);
    if (known) e.password = known.password;
    else missing.push(`/sip/extensions/${i}/password`);
  });
  return missing;
}
