// Debug-only memory probe of the soak (bench/soak.mjs): loaded into the box with
// `node --import bench/soak-memprobe.mjs` when SOAK_MEM_FILE is set; every 2 s it writes the box's
// process.memoryUsage() (rss, heapTotal, heapUsed, external, arrayBuffers) as JSON to that file, so
// the soak can split RSS growth into V8 heap vs native memory. Not part of the firmware bundle.
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.SOAK_MEM_FILE;
if (file) {
  const write = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
    renameSync(`${file}.tmp`, file);
  };
  write();
  setInterval(write, 2000).unref();
}
