/**
 * Text for the knowledge-base index: Markdown to plain text, folding (NFKC: full-width → half-width,
 * then lower case), and the token stream the FTS5 table indexes.
 *
 * Chinese has no spaces, and Intl.Segmenter's dictionary splits shop words like 退货 into 退|货, so
 * Han (and kana/hangul) runs are indexed as overlapping bigrams: every character starts exactly one
 * token, the next character joined to it, or itself alone at the end of a run. "退货流程" is indexed
 * as `退货 货流 流程 程`. A query run of n ≥ 2 characters is the FTS5 phrase of its n-1 bigrams (the
 * characters must be contiguous); a single character is the prefix query `"货"*`. Other letters and
 * digits are words, stemmed by FTS5's porter tokenizer (policy / policies).
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Plain text of Markdown: no markup characters, link targets, HTML tags or code fences. */
export function markdownToText(md: string): string {
  return md
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*(```|~~~).*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, '')
    .replace(/(https?:\/\/|www\.)\S+/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*([-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*([-*_]\s*){3,}$/gm, '')
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, '')
    .replace(/\|/g, ' ')
    .replace(/(\*\*|__|\*|_|~~|`)/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** One code point folded: NFKC (full-width → half-width, ㈠ → (一)) and lower case. */
function foldChar(ch: string): string {
  return ch.normalize('NFKC').toLowerCase();
}

/** Folded text with, for each folded UTF-16 unit, the index of the source character it came from. */
export function foldWithMap(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) map.push(i);
    i += ch.length;
  }
  return { folded, map };
}

export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export type QueryTerm = { kind: 'cjk'; text: string } | { kind: 'word'; text: string };

/** Splits folded text into CJK runs and words; everything else separates them. */
export function terms(foldedText: string): QueryTerm[] {
  const out: QueryTerm[] = [];
  let cur = '';
  let kind: 'cjk' | 'word' | null = null;
  const flush = () => {
    if (kind && cur) out.push({ kind, text: cur });
    cur = '';
    kind = null;
  };
  for (const ch of foldedText) {
    const k = CJK.test(ch) ? 'cjk' : WORD_CHAR.test(ch) ? 'word' : null;
    if (k !== kind) flush();
    if (k) {
      kind = k;
      cur += ch;
    }
  }
  flush();
  return out;
}

function bigrams(run: string): string[] {
  const chars = [...run];
  return chars.map((c, i) => (i + 1 < chars.length ? c + chars[i + 1] : c));
}

/** The space-separated token stream the FTS5 table indexes for `plain` (already Markdown-free). */
export function indexTokens(plain: string): string {
  const parts: string[] = [];
  for (const t of terms(fold(plain))) {
    if (t.kind === 'word') parts.push(t.text);
    else parts.push(...bigrams(t.text));
  }
  return parts.join(' ');
}

/** An FTS5 MATCH expression requiring every term of `q`, or null when `q` has no searchable term. */
export function matchExpression(q: string): string | null {
  const parts = terms(fold(q)).map((t) => {
    if (t.kind === 'word') return `"${t.text}"`;
    const chars = [...t.text];
    if (chars.length === 1) return `"${t.text}"*`;
    return `"${bigrams(t.text).slice(0, -1).join(' ')}"`;
  });
  return parts.length ? parts.join(' AND ') : null;
}

/** The words of `q` as they are searched (folded), for highlighting. */
export function queryTerms(q: string): QueryTerm[] {
  return terms(fold(q));
}
