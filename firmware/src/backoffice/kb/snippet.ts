/**
 * Search snippets: a window of the article's plain text around the first match, HTML-escaped, with
 * every matched word wrapped in `<mark>…</mark>`. Matching is done on folded text (full-width and
 * case folded) and mapped back to the original characters.
 */
import { foldWithMap, type QueryTerm } from './text.js';

const BEFORE = 24;
const WINDOW = 96;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The forms of an English word that count as a match in the text (policy → polic…, returns → return…). */
function wordNeedle(word: string): { needle: string; prefix: boolean } {
  if (!/^[a-z]+$/.test(word) || word.length < 4) return { needle: word, prefix: false };
  const stem = word.replace(/(ies|es|s|y|ing|ed|e)$/, '');
  return stem.length >= 3 ? { needle: stem, prefix: true } : { needle: word, prefix: false };
}

/** [start, end) ranges of the folded text that match any term, sorted, non-overlapping. */
function matchRanges(folded: string, qterms: readonly QueryTerm[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const t of qterms) {
    const { needle, prefix } = t.kind === 'word' ? wordNeedle(t.text) : { needle: t.text, prefix: false };
    let from = 0;
    for (;;) {
      const at = folded.indexOf(needle, from);
      if (at < 0) break;
      let end = at + needle.length;
      const before = folded[at - 1] ?? ' ';
      const wordStart = t.kind === 'cjk' || !/[\p{L}\p{N}]/u.test(before);
      if (prefix) while (end < folded.length && /[a-z]/.test(folded[end] as string)) end++;
      const wordEnd = t.kind === 'cjk' || prefix || !/[\p{L}\p{N}]/u.test(folded[end] ?? ' ');
      if (wordStart && wordEnd) ranges.push([at, end]);
      from = at + Math.max(1, needle.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The snippet of `text` for the query terms; the text's start when nothing matches. */
export function snippetOf(text: string, qterms: readonly QueryTerm[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const { folded, map } = foldWithMap(flat);
  const found = matchRanges(folded, qterms).map(([a, b]) => [map[a] as number, b < map.length ? (map[b] as number) : flat.length] as const);
  const first = found[0];
  let start = first ? Math.max(0, first[0] - BEFORE) : 0;
  // Do not cut an English word (or a surrogate pair) in half when we can help it.
  const floor = Math.max(0, start - 12);
  while (start > floor && /[a-z0-9\uDC00-\uDFFF]/i.test(flat[start] ?? '') && /[a-z0-9\uD800-\uDBFF]/i.test(flat[start - 1] ?? '')) start--;
  const end = Math.min(flat.length, start + WINDOW);
  let out = start > 0 ? '…' : '';
  let pos = start;
  for (const [a, b] of found) {
    if (b <= start || a >= end) continue;
    const s = Math.max(a, start);
    const e = Math.min(b, end);
    out += `${escapeHtml(flat.slice(pos, s))}<mark>${escapeHtml(flat.slice(s, e))}</mark>`;
    pos = e;
  }
  out += escapeHtml(flat.slice(pos, end));
  if (end < flat.length) out += '…';
  return out;
}
