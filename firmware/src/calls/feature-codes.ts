/**
 * Feature codes an agent dials on an analog (FXS) phone with no call on it: the phone gives dial
 * tone, the agent dials a code, hears a confirmation and hangs up; the change takes effect then.
 *
 *   *21      log in (登录)          *22      log out (退出)
 *   *31[N]   pause, N = a pause reason code from the config (小休, e.g. *311)
 *   *32      unpause (恢复接听)
 *   *4N      call result (通话小结) of the agent's current or last call, N = a configured code
 *            (e.g. *41 咨询); also during the call, where only the agent hears the confirmation
 *
 * A code ends with # or after a short pause in dialling.
 */
export type FeatureAction =
  | { kind: 'login' }
  | { kind: 'logout' }
  | { kind: 'pause'; reason: string | null }
  | { kind: 'unpause' }
  | { kind: 'disposition'; code: string };

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
