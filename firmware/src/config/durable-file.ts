/**
 * Replace a file so that after a crash or a power cut it holds either the old or the new bytes,
 * and once this resolves, the new ones: write a temp file beside it, fsync it, rename it over the
 * target, fsync the folder (the rename). The config file is written this way (config-store.ts).
 */
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileDurable(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  const fh = await open(temp, 'w', 0o640);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await fh.close();
  await rename(temp, target);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
