/**
 * A search snippet from the box: HTML-escaped text with <mark> around the hits. Rendered as text
 * nodes and <mark> elements (never as HTML), the entities decoded back to characters.
 */
const decode = (x: string) =>
  x
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function Snippet({ html }: { html: string }) {
  const parts = html.split(/<\/?mark>/);
  return <span class="snippet">{parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{decode(p)}</mark> : decode(p)))}</span>;
}
