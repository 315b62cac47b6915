// Part of bench/field.bench.mjs (run with tsx): a whole provisioning run from a profile (device id,
// time, Ethernet + Wi-Fi, owner password, shop profile, cloud CSR signed by a CA, self-test, logs
// download) over a socat pty pair with the real serialport binding, the box on the sim driver.
// A pty has no baud rate, so the laptop's end is paced in the harness: every chunk, both ways,
// takes its wire time at 115200 baud 8N1 (10 bits a byte: 11 520 bytes/s) before it is written
// or delivered, one chunk after another per direction. Prints one JSON line.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionClient } from '../provisioning/src/client/client.js';
import { runProfile } from '../provisioning/src/client/run-profile.js';
import { makeCa } from '../test/helpers/test-ca.js';
import { fullRunProfile } from '../test/integration/fixtures/provision-profile.js';
import { CODE, rig } from '../test/integration/fixtures/provision-pty.js';

const BAUD = 115200;
const wireMs = (n: number) => (n * 10 * 1000) / BAUD;

const r = await rig();
const work = mkdtempSync(join(tmpdir(), 'callbox-field-'));
const ca = makeCa(work, '/CN=bench CA', 2);
// 3000 JSON log lines to download (~200 KB)
writeFileSync(
  join(r.logsDir, 'callbox.log'),
  Array.from({ length: 3000 }, (_, i) => `{"level":30,"msg":"call ${i} 来电 answered by 小王","ms":${i}}\n`).join(''),
);
const { port } = await r.connect();
let bytesOut = 0;
let bytesIn = 0;
let outChain = Promise.resolve();
let inChain = Promise.resolve();
const paced = {
  write: (d: Uint8Array) => {
    bytesOut += d.length;
    outChain = outChain.then(async () => {
      await sleep(wireMs(d.length));
      await port.write(d);
    });
    return outChain;
  },
  onData: (fn: (c: Uint8Array) => void) =>
    port.onData((c) => {
      bytesIn += c.length;
      inChain = inChain.then(async () => {
        await sleep(wireMs(c.length));
        fn(c);
      });
    }),
};
const client = new ProvisionClient(paced, { timeoutMs: 60_000 });
const t0 = performance.now();
const report = await runProfile(client, fullRunProfile(work, ca), { code: CODE, say: () => {} });
const seconds = (performance.now() - t0) / 1000;
await r.close();
if (!report.ok) {
  console.error(JSON.stringify(report.steps.filter((s) => !s.ok)));
  process.exit(1);
}
console.log(
  JSON.stringify({
    provisionSeconds: Number(seconds.toFixed(2)),
    bytesToBox: bytesOut,
    bytesFromBox: bytesIn,
    wireSecondsAt115200: Number((wireMs(bytesOut + bytesIn) / 1000).toFixed(2)),
    steps: report.steps.map((s) => s.step),
  }),
);
process.exit(0);
