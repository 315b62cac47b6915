/** Types every back-office area shares. Plain data; times are ISO strings, money integer cents. */
import type { Principal } from '../../service/types.js';

/** Who is acting: a signed-in user, or the box itself (username "system", role owner). */
export type Actor = Principal;

export const SYSTEM_ACTOR: Actor = { username: 'system', role: 'owner' };

/** A page of a list or search: `total` counts every match, `items` are at most `limit`. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Paging of lists and searches: limit 1..500 (default 50), offset ≥ 0. */
export interface PageQuery {
  limit?: number;
  offset?: number;
}

/** Optimistic concurrency: an update may name the version it read; CONFLICT when it moved on. */
export interface Versioned {
  version: number;
}
