/**
 * 监听 / Listen: a supervisor (calls.monitor) listens to a live call in the browser. The box streams
 * the call's mix (caller and talking parties) as an open-ended WAV (GET /api/v1/calls/:id/listen,
 * docs/api/conference.md); the page reads it with fetch() and plays each 100 ms chunk through Web
 * Audio at once (an <audio> element would buffer seconds of it before starting). Only the
 * supervisor hears it, nobody on the call hears them; every listen is written to the audit trail.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';

const RATE = 8000;
const HEADER = 44;

/** Plays the stream at `url` until `signal` aborts; `progress` gets the seconds played so far. */
async function play(url: string, signal: AbortSignal, progress: (s: number) => void): Promise<void> {
  const ctx = new AudioContext({ sampleRate: RATE });
  try {
    const res = await fetch(url, { signal });
    if (!res.ok || !res.body) throw new Error(String(res.status));
    const reader = res.body.getReader();
    let skip = HEADER;
    let carry: number | null = null;
    let next = 0;
    let seconds = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      let bytes = value;
      if (skip > 0) {
        const cut = Math.min(skip, bytes.length);
        skip -= cut;
        bytes = bytes.subarray(cut);
      }
      if (carry !== null) {
        const joined = new Uint8Array(bytes.length + 1);
        joined[0] = carry;
        joined.set(bytes, 1);
        bytes = joined;
        carry = null;
      }
      if (bytes.length % 2 === 1) carry = bytes[bytes.length - 1] ?? 0;
      const n = Math.floor(bytes.length / 2);
      if (n === 0) continue;
      const buffer = ctx.createBuffer(1, n, RATE);
      const ch = buffer.getChannelData(0);
      const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
      for (let i = 0; i < n; i++) ch[i] = view.getInt16(i * 2, true) / 32768;
      const src = ctx.createBufferSource();
      src.buffer = buffer;
      src.connect(ctx.destination);
      // a little slack against network jitter; never behind the clock
      next = Math.max(next, ctx.currentTime + 0.15);
      src.start(next);
      next += buffer.duration;
      seconds += buffer.duration;
      progress(seconds);
    }
  } finally {
    await ctx.close();
  }
}

/** `id`: the button's id (default `call-listen`; the state line is `<id>-state`), for pages with several. */
export function ListenIn({ callId, id = 'call-listen' }: { callId: string; id?: string }) {
  const [on, setOn] = useState(false);
  const [seconds, setSeconds] = useState(0);
  const [ended, setEnded] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    if (!on) return;
    const ac = new AbortController();
    abort.current = ac;
    setEnded(false);
    setSeconds(0);
    play(`/api/v1/calls/${encodeURIComponent(callId)}/listen`, ac.signal, setSeconds)
      .catch(() => undefined)
      .finally(() => {
        if (!ac.signal.aborted) {
          setEnded(true);
          setOn(false);
        }
      });
    return () => ac.abort();
  }, [on, callId]);
  return (
    <div class="listen-in row">
      <button type="button" id={id} aria-pressed={on} onClick={() => setOn(!on)}>
        {on ? t('calls.listenStop') : t('calls.listen')}
      </button>
      {on ? (
        <span class="muted" id={`${id}-state`} data-seconds={seconds.toFixed(1)}>
          {t('calls.listening')} {Math.floor(seconds)} s
        </span>
      ) : ended ? (
        <span class="muted">{t('calls.listenEnded')}</span>
      ) : null}
    </div>
  );
}
