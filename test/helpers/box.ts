/** Builds a real Box on the sim driver in virtual time, with a temp data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/src/clock.js';
import { Box, type BoxOptions } from '../../firmware/src/box.js';
import { silentLogger } from '../../firmware/src/log.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROMPTS_DIR = join(ROOT, 'firmware', 'prompts');

export interface VirtualBox {
  box: Box;
  clock: VirtualClock;
  dataDir: string;
  close(): Promise<void>;
}

export async function virtualBox(opts: Partial<BoxOptions> & { dataDir?: string; startMs?: number } = {}): Promise<VirtualBox> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'callbox-test-'));
  const clock = opts.startMs === undefined ? new VirtualClock() : new VirtualClock(opts.startMs);
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    ...opts,
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
