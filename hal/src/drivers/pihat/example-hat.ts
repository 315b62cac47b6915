/**
 * The reference wiring of the 2 FXO + 2 FXS HAT (docs/hardware.md has the same map): BCM GPIO
 * numbers on the 40-pin header, one 4-channel TDM codec as ALSA card "callboxhat". `hw selftest
 * --sim` runs on it, and it is the config example.
 */
import type { HatDescription } from './hat-types.js';

export function exampleHat(): HatDescription {
  const audio = (channel: number) => ({ device: 'plughw:CARD=callboxhat,DEV=0', channel });
  return {
    bypassRelay: { line: 26 },
    ports: [
      {
        id: 'fxo1',
        kind: 'fxo',
        ringDetect: { line: 17, activeLow: true },
        hookRelay: { line: 27 },
        polarity: { line: 22 },
        led: { line: 5 },
        audio: audio(0),
      },
      {
        id: 'fxo2',
        kind: 'fxo',
        ringDetect: { line: 23, activeLow: true },
        hookRelay: { line: 24 },
        polarity: { line: 25 },
        led: { line: 6 },
        audio: audio(1),
      },
      { id: 'fxs1', kind: 'fxs', hookDetect: { line: 12 }, ringControl: { line: 16 }, led: { line: 13 }, audio: audio(2) },
      { id: 'fxs2', kind: 'fxs', hookDetect: { line: 20 }, ringControl: { line: 21 }, led: { line: 19 }, audio: audio(3) },
    ],
  };
}
