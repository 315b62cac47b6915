/**
 * Feature codes an agent dials on an analog (FXS) phone with no call on it: the phone gives dial
 * tone, the agent dials a code, hears a confirmation and hangs up; the change takes effect then.
 *
 *   *21      log in (登录)          *22      log out (退出)
 *   *31[N]   pause, N = a pause reason code from the config (小休, e.g. *311)
 *   *32      unpause (恢复接听)
 *   *4N      call result (通话小结) of the agent's current or last call, N = a configured code
 *            (e.g. *41 咨询); also during the call, where only the agent hears the confirmation
 *   *5<ext>  listen to the call of extension <ext> (监听); *6<ext> whisper to its agent (耳语);
 *            *9<ext> barge in (强插): supervisors only, joined at once (monitor.ts)
 *   *8N      pick up the call parked in slot 7N (接回停泊的来电, e.g. *81 takes slot 71; park.ts)
 *
 * A code ends with # or after a short pause in dialling.
 */
export type FeatureAction =
  | { kind: 'login' }
  | { kind: 'logout' }
  | { kind: 'pause'; reason: string | null }
  | { kind: 'unpause' }
  | { kind: 'disposition'; code: string }
  | { kind: 'pickup'; slot: number }
  | { kind: 'monitor'; mode: 'listen' | 'whisper' | 'barge'; target: string };

const MONITOR_KEYS: Record<string, 'listen' | 'whisper' | 'barge'> = { '5': 'listen', '6': 'whisper', '9': 'barge' };

/** Wait after the last digit before the code counts as complete. */
export const INTER_DIGIT_MS = 2500;

export function parseFeatureCode(dialled: string): FeatureAction | null {
  const code = dialled.endsWith('#') ? dialled.slice(0, -1) : dialled;
  if (code === '*21') return { kind: 'login' };
  if (code === '*22') return { kind: 'logout' };
  if (code === '*32') return { kind: 'unpause' };
  const pause = /^\*31([0-9]{0,2})$/.exec(code);
  if (pause) return { kind: 'pause', reason: pause[1] ? pause[1] : null };
  const disposition = /^\*4([0-9]{1,2})$/.exec(code);
  if (disposition?.[1]) return { kind: 'disposition', code: disposition[1] };
  const monitor = /^\*([569])([0-9]{1,6})$/.exec(code);
  if (monitor?.[1] && monitor[2]) return { kind: 'monitor', mode: MONITOR_KEYS[monitor[1]] ?? 'listen', target: monitor[2] };
  const pickup = /^\*8([1-9])$/.exec(code);
  if (pickup?.[1]) return { kind: 'pickup', slot: 70 + Number(pickup[1]) };
  return null;
}

/** The prompt that confirms an action (or says the code was not understood). */
export function confirmationPrompt(action: FeatureAction | null): string {
  switch (action?.kind) {
    case 'login':
      return 'fc-logged-in';
    case 'logout':
      return 'fc-logged-out';
    case 'pause':
      return 'fc-paused';
    case 'unpause':
      return 'fc-available';
    case 'disposition':
      return 'fc-disposition';
    default:
      return 'fc-unknown';
  }
}
