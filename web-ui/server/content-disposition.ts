/**
 * The Content-Disposition header of a download (RFC 6266). Node refuses a header with characters
 * outside Latin-1, so a file name with others (a Chinese customer id typed into a URL, a report or
 * shop name) would end the request in a 500: such a name is sent as an ASCII fallback in
 * `filename` and whole, UTF-8 percent-encoded, in `filename*` (RFC 8187), which browsers prefer.
 * Quotes, backslashes and control characters never reach the header.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === filename) return `${type}; filename="${filename}"`;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
