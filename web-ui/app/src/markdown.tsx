/**
 * A tiny, safe Markdown renderer for knowledge-base articles: it builds Preact elements, so every
 * piece of the text becomes a text node — HTML in an article (`<script>`, `<img onerror>`) shows
 * as the characters typed, never as markup. Supported: # headings, paragraphs, - / * / 1. lists,
 * > quotes, ``` code blocks, **bold**, *italic*, `code`, [links](https://…) (http, https and
 * mailto only; other schemes such as javascript: stay plain text). Line breaks inside a
 * paragraph are kept.
 */
import type { ComponentChildren, VNode } from 'preact';

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s]*$/i;
const INLINE = /(\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/;

/** Inline marks of one line of text, as text nodes and elements. */
export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let rest = text;
  let key = 0;
  for (let m = INLINE.exec(rest); m; m = INLINE.exec(rest)) {
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const [whole, , bold, em, code, label, href] = m;
    if (bold !== undefined) out.push(<strong key={key++}>{inline(bold)}</strong>);
    else if (em !== undefined) out.push(<em key={key++}>{inline(em)}</em>);
    else if (code !== undefined) out.push(<code key={key++}>{code}</code>);
    else if (label !== undefined && href !== undefined)
      out.push(
        SAFE_URL.test(href) ? (
          <a key={key++} href={href} target="_blank" rel="noopener noreferrer nofollow">
            {inline(label)}
          </a>
        ) : (
          whole
        ),
      );
    rest = rest.slice(m.index + whole.length);
  }
  if (rest) out.push(rest);
  return out;
}

function lines(textLines: string[]): ComponentChildren[] {
  return textLines.flatMap((l, i) => (i === 0 ? inline(l) : [<br key={`br${i}`} />, ...inline(l)]));
}

/** The article's Markdown as elements. */
export function renderMarkdown(md: string): VNode[] {
  const src = md.replace(/\r\n?/g, '\n').split('\n');
  const blocks: VNode[] = [];
  let i = 0;
  while (i < src.length) {
    const line = src[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < src.length && !(src[i] as string).startsWith('```')) code.push(src[i++] as string);
      i++;
      blocks.push(
        <pre key={blocks.length}>
          <code>{code.join('\n')}</code>
        </pre>,
      );
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      // Article headings sit below the page's h1/h2: # → h3 … ### and more → h5/h6.
      const level = Math.min(6, (h[1] as string).length + 2);
      const Tag = `h${level}` as 'h3';
      blocks.push(<Tag key={blocks.length}>{inline(h[2] as string)}</Tag>);
      i++;
      continue;
    }
    const ordered = /^\s*\d+[.)]\s+/;
    const bullet = /^\s*[-*+]\s+/;
    if (ordered.test(line) || bullet.test(line)) {
      const isOl = ordered.test(line);
      const re = isOl ? ordered : bullet;
      const items: ComponentChildren[] = [];
      while (i < src.length && re.test(src[i] as string)) {
        items.push(<li key={items.length}>{inline((src[i] as string).replace(re, ''))}</li>);
        i++;
      }
      blocks.push(isOl ? <ol key={blocks.length}>{items}</ol> : <ul key={blocks.length}>{items}</ul>);
      continue;
    }
    if (line.startsWith('>')) {
      const quote: string[] = [];
      while (i < src.length && (src[i] as string).startsWith('>')) quote.push((src[i++] as string).replace(/^>\s?/, ''));
      blocks.push(<blockquote key={blocks.length}>{lines(quote)}</blockquote>);
      continue;
    }
    const para: string[] = [];
    while (i < src.length) {
      const l = src[i] as string;
      if (l.trim() === '' || l.startsWith('```') || l.startsWith('>') || /^#{1,6}\s/.test(l) || ordered.test(l) || bullet.test(l)) break;
      para.push(l);
      i++;
    }
    blocks.push(<p key={blocks.length}>{lines(para)}</p>);
  }
  return blocks;
}
