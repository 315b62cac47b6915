/** Builds a real Box on the sim driver in virtual time, with a temp data folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/src/clock.js';
import { Box, type BoxOptions } from '../../firmware/src/box.js';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { silentLogger } from '../../firmware/src/log.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROMPTS_DIR = join(ROOT, 'firmware', 'prompts');

export interface VirtualBox {
  box: Box;
  clock: VirtualClock;
  dataDir: string;
  close(): Promise<void>;
}

/** `config` changes the default config, written to the data folder before the box opens. */
export async function virtualBox(
  opts: Partial<BoxOptions> & { dataDir?: string; startMs?: number; config?: (c: Config) => void } = {},
): Promise<VirtualBox> {
  const { config, startMs, ...boxOpts } = opts;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'callbox-test-'));
  if (config) {
    const c = defaultConfig();
    config(c);
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  }
  const clock = startMs === undefined ? new VirtualClock() : new VirtualClock(startMs);
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    ...boxOpts,
    clock,
  });
  await box.start();
  let closed = false;
  return {
    box,
    clock,
    dataDir,
    close: async () => {
      if (closed) return;
      closed = true;
      await box.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every event the box's call engine records from now on (type, call id, data), in order. */
export function eventLog(box: Box): { type: string; callId: string | null; data: Record<string, unknown> }[] {
  const events: { type: string; callId: string | null; data: Record<string, unknown> }[] = [];
  box.engine.events.on('event', (e) => events.push({ type: e.type, callId: e.callId, data: e.data as Record<string, unknown> }));
  return events;
}
