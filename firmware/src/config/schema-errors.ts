/**
 * Turns TypeBox validation errors into short, field-named messages for people editing config.json
 * ("/queues/0/ringTimeoutS must be an integer >= 5"). One message per path, first one wins.
 */
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType as E } from '@sinclair/typebox/compiler';

export interface ConfigIssue {
  /** JSON pointer of the offending field, e.g. "/queues/0/members/2" ("/" for the root). */
  path: string;
  message: string;
}

const MAX_ISSUES = 50;

type SchemaBag = Record<string, unknown>;

/** Issues for every error TypeBox found, deduplicated by path and capped. */
export function issuesFromErrors(errors: Iterable<ValueError>): ConfigIssue[] {
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const e of errors) {
    for (const issue of issuesOf(e)) {
      if (seen.has(issue.path)) continue;
      seen.add(issue.path);
      out.push(issue);
    }
    if (out.length >= MAX_ISSUES) break;
  }
  return out.slice(0, MAX_ISSUES);
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}

function issuesOf(e: ValueError): ConfigIssue[] {
  const path = e.path === '' ? '/' : e.path;
  const s = e.schema as SchemaBag;
  const one = (message: string): ConfigIssue[] => [{ path, message }];
  switch (e.type) {
    case E.ObjectAdditionalProperties: {
      const patterns = s.patternProperties ? Object.keys(s.patternProperties as object) : [];
      return one(patterns.length ? `is not an allowed key (keys must match ${patterns.join(' or ')})` : 'is not a known field');
    }
    case E.ObjectRequiredProperty:
      return one(`is required (${kindOf(s)})`);
    case E.Integer:
    case E.Number:
    case E.String:
    case E.Boolean:
    case E.Object:
    case E.Array:
      return one(`must be ${kindOf(s)}`);
    case E.IntegerMinimum:
    case E.NumberMinimum:
      return one(`must be ${typeWord(s)} >= ${String(s.minimum)}`);
    case E.IntegerMaximum:
    case E.NumberMaximum:
      return one(`must be ${typeWord(s)} <= ${String(s.maximum)}`);
    case E.IntegerExclusiveMinimum:
    case E.NumberExclusiveMinimum:
      return one(`must be ${typeWord(s)} > ${String(s.exclusiveMinimum)}`);
    case E.IntegerExclusiveMaximum:
    case E.NumberExclusiveMaximum:
      return one(`must be ${typeWord(s)} < ${String(s.exclusiveMaximum)}`);
    case E.StringMinLength:
      return one(s.minLength === 1 ? 'must not be empty' : `must be at least ${String(s.minLength)} characters`);
    case E.StringMaxLength:
      return one(`must be at most ${String(s.maxLength)} characters`);
    case E.StringPattern:
      return one(`must match ${String(s.pattern)}`);
    case E.ArrayMaxItems:
      return one(`must have at most ${String(s.maxItems)} items`);
    case E.ArrayMinItems:
      return one(`must have at least ${String(s.minItems)} items`);
    case E.Literal:
      return one(`must be ${JSON.stringify(s.const)}`);
    case E.Union:
      return unionIssues(e, path);
    default:
      return one(e.message.replace(/^Expected/, 'expected'));
  }
}

/**
 * A union of literals reads as "must be one of …". A union of objects told apart by a literal
 * field (the IVR actions) reports the errors of the variant whose literal matched, or names the
 * discriminating field when none did.
 */
function unionIssues(e: ValueError, path: string): ConfigIssue[] {
  const variants = ((e.schema as SchemaBag).anyOf ?? []) as SchemaBag[];
  if (variants.length > 0 && variants.every((v) => 'const' in v)) {
    return [{ path, message: `must be one of ${variants.map((v) => JSON.stringify(v.const)).join(', ')}` }];
  }
  const perVariant = e.errors.map((it) => [...it]);
  const isDirectLiteral = (x: ValueError): boolean =>
    x.type === E.Literal && x.path.startsWith(`${e.path}/`) && !x.path.slice(e.path.length + 1).includes('/');
  const matching = perVariant.find((errs) => errs.length > 0 && !errs.some(isDirectLiteral));
  if (matching) return issuesFromErrors(matching);
  const literals = perVariant.flatMap((errs) => errs.filter(isDirectLiteral));
  const field = literals[0]?.path;
  const isObject = typeof e.value === 'object' && e.value !== null && !Array.isArray(e.value);
  if (field && isObject && literals.every((l) => l.path === field)) {
    const allowed = literals.map((l) => JSON.stringify((l.schema as SchemaBag).const)).join(', ');
    return [{ path: field, message: `must be one of ${allowed}` }];
  }
  return [{ path, message: isObject ? 'does not match any allowed form' : 'must be an object' }];
}

function typeWord(s: SchemaBag): string {
  return s.type === 'integer' ? 'an integer' : 'a number';
}

function kindOf(schema: TSchema | SchemaBag): string {
  const s = schema as SchemaBag;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) {
    const vs = s.anyOf as SchemaBag[];
    return vs.every((v) => 'const' in v) ? `one of ${vs.map((v) => JSON.stringify(v.const)).join(', ')}` : 'an object';
  }
  switch (s.type) {
    case 'integer':
    case 'number': {
      const word = typeWord(s);
      const lo = s.minimum;
      const hi = s.maximum;
      if (typeof lo === 'number' && typeof hi === 'number') return `${word} ${lo}..${hi}`;
      if (typeof lo === 'number') return `${word} >= ${lo}`;
      if (typeof hi === 'number') return `${word} <= ${hi}`;
      return word;
    }
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a value';
  }
}
