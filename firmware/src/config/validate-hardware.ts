/**
 * Checks of the hardware section a JSON schema cannot express: the HAT description must be there
 * when the pihat driver is chosen; port ids unique; no GPIO line used twice; no two ports on one
 * ALSA channel; flash window in order, dial pulses shorter than a flash; lines and agents name ports the HAT has.
 */
import type { ConfigIssue } from './schema-errors.js';
import type { Config } from './schema.js';

export function hardwareIssues(c: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const hat = c.hardware.pihat;
  if (c.hardware.driver !== 'pihat') return issues;
  if (!hat) {
    add('/hardware/pihat', 'is required when hardware.driver is "pihat" (the HAT wiring: docs/hardware.md)');
    return issues;
  }
  const base = '/hardware/pihat';
  const lines = new Map<number, string>();
  const slots = new Map<string, string>();
  const ids = new Map<string, number>();
  const useLine = (ref: { line: number } | undefined, path: string) => {
    if (!ref) return;
    const prev = lines.get(ref.line);
    if (prev) add(path, `GPIO ${ref.line} is already used by ${prev}`);
    else lines.set(ref.line, path);
  };
  useLine(hat.bypassRelay, `${base}/bypassRelay`);
  useLine(hat.bypassHeartbeat, `${base}/bypassHeartbeat`);
  hat.ports.forEach((p, i) => {
    const at = `${base}/ports/${i}`;
    const prevId = ids.get(p.id);
    if (prevId !== undefined) add(`${at}/id`, `duplicate port id "${p.id}" (first at ${base}/ports/${prevId})`);
    else ids.set(p.id, i);
    if (p.kind === 'fxo') {
      useLine(p.ringDetect, `${at}/ringDetect`);
      useLine(p.hookRelay, `${at}/hookRelay`);
      useLine(p.polarity, `${at}/polarity`);
    } else {
      useLine(p.hookDetect, `${at}/hookDetect`);
      useLine(p.ringControl, `${at}/ringControl`);
    }
    useLine(p.led, `${at}/led`);
    const slot = `${p.audio.device}#${p.audio.channel}`;
    const prev = slots.get(slot);
    if (prev) add(`${at}/audio`, `${p.audio.device} channel ${p.audio.channel} already carries ${prev}`);
    else slots.set(slot, p.id);
  });
  const pr = hat.profile;
  if (pr?.flashMinMs !== undefined && pr.flashMaxMs !== undefined && pr.flashMinMs >= pr.flashMaxMs) {
    add(`${base}/profile/flashMaxMs`, `must be above flashMinMs (${pr.flashMinMs})`);
  }
  const flashMin = pr?.flashMinMs ?? 100;
  if ((pr?.pulseBreakMaxMs ?? 90) >= flashMin) {
    add(`${base}/profile/pulseBreakMaxMs`, `must be below flashMinMs (${flashMin}): a dial pulse is shorter than a hook flash`);
  }
  if ((pr?.pulseBreakMaxMs ?? 90) <= (pr?.hookDebounceMs ?? 20)) add(`${base}/profile/pulseBreakMaxMs`, 'must be above hookDebounceMs');
  const has = (kind: 'fxo' | 'fxs', id: string) => hat.ports.some((p) => p.kind === kind && p.id === id);
  const list = (kind: 'fxo' | 'fxs') =>
    hat.ports
      .filter((p) => p.kind === kind)
      .map((p) => p.id)
      .join(', ') || `no ${kind}`;
  c.lines.forEach((l, i) => {
    const gsm = /^gsm[1-9]$/.test(l.channel) || l.channel.startsWith('sip');
    if (!gsm && !has('fxo', l.channel)) add(`/lines/${i}/channel`, `no such line channel "${l.channel}" (the HAT has ${list('fxo')})`);
  });
  c.agents.forEach((a, i) => {
    if (!a.extension.startsWith('sip') && !has('fxs', a.extension)) {
      add(`/agents/${i}/extension`, `no such extension "${a.extension}" (the HAT has ${list('fxs')})`);
    }
  });
  return issues;
}
