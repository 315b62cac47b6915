/**
 * The live stream in the browser: an EventSource on /api/v1/events/stream (the session cookie
 * goes along). `snapshot` messages replace the wallboard's picture; `event` messages are handed on
 * (the agent console pops calls from them); `offer` messages (the follow-up dialer's offers for
 * this user's agent, or every agent's for a supervisor) go to `onOffer`. The browser reconnects by
 * itself and sends Last-Event-ID; a stream refused for auth ends in `onAuthLost`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WallboardSnapshot } from '../../server/live/snapshot.js';
import type { LiveEvent, OfferNotice } from '../../../firmware/src/service/types.js';

export type { WallboardSnapshot };

export interface LiveState {
  snapshot: WallboardSnapshot | null;
  connected: boolean;
  /** Server time − browser time, ms (times in state count from the box's clock). */
  skewMs: number;
}

export function useLive(onEvent?: (e: LiveEvent) => void, onAuthLost?: () => void, onOffer?: (n: OfferNotice) => void): LiveState {
  const [state, setState] = useState<LiveState>({ snapshot: null, connected: false, skewMs: 0 });
  useEffect(() => {
    const es = new EventSource('/api/v1/events/stream');
    es.addEventListener('snapshot', (m) => {
      const snapshot = JSON.parse((m as MessageEvent<string>).data) as WallboardSnapshot;
      setState({ snapshot, connected: true, skewMs: Date.parse(snapshot.at) - Date.now() });
    });
    es.addEventListener('event', (m) => onEvent?.(JSON.parse((m as MessageEvent<string>).data) as LiveEvent));
    es.addEventListener('offer', (m) => onOffer?.(JSON.parse((m as MessageEvent<string>).data) as OfferNotice));
    es.onopen = () => setState((s) => ({ ...s, connected: true }));
    es.onerror = () => {
      setState((s) => ({ ...s, connected: false }));
      // CLOSED: the box refused the stream (401/403), not a network blip.
      if (es.readyState === EventSource.CLOSED) onAuthLost?.();
    };
    return () => es.close();
  }, []);
  return state;
}

/** A re-render every `ms` (ticking times on the wallboard). */
export function useTick(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
