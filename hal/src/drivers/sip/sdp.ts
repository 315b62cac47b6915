/**
 * SDP offer/answer (RFC 3264) for plain RTP audio: RTP/AVP with PCMU 0, PCMA 8 and
 * telephone-event (101 by default, whatever the offer uses is echoed), ptime 20, and the
 * direction attribute for hold (sendonly/inactive from the holder, recvonly/inactive back).
 */
import type { Direction } from './rtp-session.js';

export interface MediaDescription {
  address: string;
  port: number;
  /** Codecs in preference order (0 PCMU, 8 PCMA). */
  codecs: number[];
  /** The telephone-event payload type, if offered. */
  eventPt: number | null;
  direction: Direction;
  ptime: number;
}

export interface SdpSession {
  /** Origin session id and version (version grows with each new offer/answer). */
  sessionId: number;
  version: number;
  address: string;
}

const CODEC_NAMES: Record<number, string> = { 0: 'PCMU', 8: 'PCMA' };

export function buildSdp(s: SdpSession, m: MediaDescription): string {
  const pts = [...m.codecs, ...(m.eventPt !== null ? [m.eventPt] : [])];
  const lines = [
    'v=0',
    `o=callbox ${s.sessionId} ${s.version} IN IP4 ${s.address}`,
    's=callbox',
    `c=IN IP4 ${m.address}`,
    't=0 0',
    `m=audio ${m.port} RTP/AVP ${pts.join(' ')}`,
    ...m.codecs.map((pt) => `a=rtpmap:${pt} ${CODEC_NAMES[pt]}/8000`),
    ...(m.eventPt !== null ? [`a=rtpmap:${m.eventPt} telephone-event/8000`, `a=fmtp:${m.eventPt} 0-16`] : []),
    `a=ptime:${m.ptime}`,
    `a=${m.direction}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** Parse the first audio stream of an SDP body; throws with a reason when it has none usable. */
export function parseSdp(sdp: string): MediaDescription {
  let sessionAddr: string | null = null;
  let mediaAddr: string | null = null;
  let port: number | null = null;
  let proto = '';
  let fmts: number[] = [];
  const rtpmap = new Map<number, string>();
  let direction: Direction = 'sendrecv';
  let ptime = 20;
  let inAudio = false;
  let seenAudio = false;
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length < 2 || line[1] !== '=') continue;
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      if (seenAudio) break;
      const [media, p, pr, ...rest] = value.split(/\s+/);
      inAudio = media === 'audio';
      if (inAudio) {
        seenAudio = true;
        port = Number(p);
        proto = pr ?? '';
        fmts = rest.map(Number).filter((n) => Number.isInteger(n));
      }
      continue;
    }
    if (type === 'c') {
      const addr = value.split(/\s+/)[2] ?? null;
      if (inAudio) mediaAddr = addr;
      else if (!seenAudio) sessionAddr = addr;
      continue;
    }
    if (type !== 'a' || (seenAudio && !inAudio)) continue;
    const m = /^rtpmap:(\d+)\s+([^/\s]+)\/(\d+)/i.exec(value);
    if (m) rtpmap.set(Number(m[1]), `${(m[2] as string).toLowerCase()}/${m[3]}`);
    else if (/^(sendrecv|sendonly|recvonly|inactive)$/.test(value)) direction = value as Direction;
    else if (value.startsWith('ptime:')) ptime = Number(value.slice(6)) || 20;
  }
  if (!seenAudio || port === null || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error('no audio stream in the SDP');
  if (!/^RTP\/AVP$/i.test(proto) && !/^RTP\/AVPF$/i.test(proto))
    throw new Error(`unsupported media transport ${proto} (plain RTP/AVP only)`);
  const address = mediaAddr ?? sessionAddr;
  if (!address) throw new Error('no connection address in the SDP');
  const name = (pt: number) => rtpmap.get(pt) ?? (pt === 0 ? 'pcmu/8000' : pt === 8 ? 'pcma/8000' : '');
  const codecs = fmts.filter((pt) => (pt === 0 && name(pt) === 'pcmu/8000') || (pt === 8 && name(pt) === 'pcma/8000'));
  const eventPt = fmts.find((pt) => name(pt) === 'telephone-event/8000') ?? null;
  return { address, port, codecs, eventPt, direction, ptime };
}

/** Our answer's direction for the offerer's direction (RFC 3264 §6.1). */
export function answerDirection(offered: Direction, ours: Direction = 'sendrecv'): Direction {
  const weSend = ours === 'sendrecv' || ours === 'sendonly';
  const weRecv = ours === 'sendrecv' || ours === 'recvonly';
  const theySend = offered === 'sendrecv' || offered === 'sendonly';
  const theyRecv = offered === 'sendrecv' || offered === 'recvonly';
  const send = weSend && theyRecv;
  const recv = weRecv && theySend;
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

/** Pick the codec for an answer: the offerer's first of PCMU/PCMA; null: no common codec (488). */
export function chooseCodec(offer: MediaDescription): number | null {
  return offer.codecs[0] ?? null;
}
