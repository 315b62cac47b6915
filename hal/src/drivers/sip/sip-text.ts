/**
 * Just enough SIP text handling for the UDP layer, before and after sip.js: the start line, the
 * topmost Via (sent-by, received, rport), header lookup, and the edits the transport makes (Via
 * port, received/rport, Request-URI user). Full parsing stays with sip.js's grammar.
 */
export interface TopVia {
  host: string;
  port: number | null;
  received: string | null;
  rport: number | null;
  /** Index range of the sent-by in the message text. */
  sentBy: [number, number];
}

const VIA_RE = /^(?:via|v)[ \t]*:[ \t]*SIP\/2\.0\/[A-Za-z]+[ \t]+([^;,\s]+)([^\r\n,]*)/im;

export function topVia(msg: string): TopVia | null {
  const m = VIA_RE.exec(msg);
  if (!m) return null;
  const sentBy = m[1] as string;
  const start = (m.index ?? 0) + (m[0] as string).indexOf(sentBy);
  const hp = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(sentBy);
  const params = m[2] ?? '';
  const received = /;received=([^;\s]+)/i.exec(params)?.[1] ?? null;
  const rportM = /;rport=(\d+)/i.exec(params);
  return {
    host: hp?.[1] ?? sentBy,
    port: hp?.[2] ? Number(hp[2]) : null,
    received,
    rport: rportM ? Number(rportM[1]) : null,
    sentBy: [start, start + sentBy.length],
  };
}

export function startLine(msg: string): string {
  const i = msg.indexOf('\r\n');
  return i < 0 ? msg : msg.slice(0, i);
}

export function isResponse(msg: string): boolean {
  return msg.startsWith('SIP/2.0 ');
}

/** The first value of a header (long or compact name), or null. */
export function header(msg: string, name: string, compact?: string): string | null {
  const end = msg.indexOf('\r\n\r\n');
  const head = end < 0 ? msg : msg.slice(0, end);
  const names = compact ? `${name}|${compact}` : name;
  const m = new RegExp(`\\r\\n(?:${names})[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(head);
  return m ? (m[1] as string).trim() : null;
}

/** Host and port of a SIP URI inside a header value or start line. */
export function uriHostPort(s: string): { user: string | null; host: string; port: number | null } | null {
  const m = /sips?:(?:([^@;>\s]+)@)?(\[[^\]]+\]|[^:;>\s]+)(?::(\d+))?/i.exec(s);
  if (!m) return null;
  return { user: m[1] ?? null, host: (m[2] as string).replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : null };
}

/** A request's To header carries a tag: it belongs to a dialog. */
export function inDialog(msg: string): boolean {
  const to = header(msg, 'to', 't');
  return to !== null && /;\s*tag=/i.test(to);
}

/** Add received and rport to the topmost Via of a request (RFC 3261 §18.2.1, RFC 3581). */
export function stampVia(msg: string, address: string, port: number): string {
  const v = topVia(msg);
  if (!v) return msg;
  const lineEnd = msg.indexOf('\r\n', v.sentBy[1]);
  let params = msg.slice(v.sentBy[1], lineEnd < 0 ? undefined : lineEnd);
  params = params.replace(/;rport(=\d*)?/i, '').replace(/;received=[^;\s,]*/i, '');
  const comma = params.indexOf(',');
  const own = comma < 0 ? params : params.slice(0, comma);
  const rest = comma < 0 ? '' : params.slice(comma);
  const stamped = `${own};received=${address};rport=${port}${rest}`;
  return msg.slice(0, v.sentBy[1]) + stamped + (lineEnd < 0 ? '' : msg.slice(lineEnd));
}
