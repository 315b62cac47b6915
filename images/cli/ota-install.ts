/**
 * `callbox ota install`: the installer as a process of its own (it outlives the box's restart).
 * Restarts the box with a shell command (`systemctl restart callbox` on the box), probes
 * `URL/healthz`, prints each job update as a JSON line.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs, promisify } from 'node:util';
import { loadPublicKey } from '../../firmware/src/ota/bundle.js';
import { probeHealth } from '../../firmware/src/ota/health.js';
import { installBundle } from '../../firmware/src/ota/install.js';
import { OtaError } from '../../firmware/src/ota/ota-error.js';
import { defaultPublicKey, type Io } from './release.js';
import { EXIT } from './usage.js';

const run = promisify(execFile);

export async function runOtaInstall(args: string[], io: Io): Promise<number> {
  let v: Record<string, string | undefined>;
  try {
    v = parseArgs({
      args,
      strict: true,
      options: {
        root: { type: 'string' },
        bundle: { type: 'string' },
        pub: { type: 'string' },
        url: { type: 'string' },
        'restart-cmd': { type: 'string' },
        'job-id': { type: 'string' },
        'deadline-s': { type: 'string' },
      },
    }).values as Record<string, string | undefined>;
  } catch (err) {
    io.stderr.write(`callbox ota install: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  const deadlineS = Number(v['deadline-s'] ?? 60);
  const pub = v.pub ?? defaultPublicKey();
  const url = v.url ?? 'http://127.0.0.1:8080';
  if (!v.root || !v.bundle || !v['restart-cmd'] || !pub || !Number.isFinite(deadlineS) || deadlineS <= 0 || !/^https?:\/\//.test(url)) {
    io.stderr.write(
      'callbox ota install: --root, --bundle, --restart-cmd, a public key (--pub) and a positive --deadline-s are required; --url is http(s)://…\n',
    );
    return EXIT.USAGE;
  }
  let publicKey: ReturnType<typeof loadPublicKey>;
  try {
    publicKey = loadPublicKey(readFileSync(pub));
  } catch (err) {
    io.stderr.write(`callbox ota install: ${err instanceof OtaError ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    return EXIT.FAILURE;
  }
  const restartCmd = v['restart-cmd'];
  const base = url.replace(/\/$/, '');
  const cloudWasConnected = await cloudConnected(base);
  const end = await installBundle({
    root: v.root,
    bundle: v.bundle,
    publicKey,
    jobId: v['job-id'] ?? `local-${Date.now()}`,
    restart: async () => {
      await run('/bin/sh', ['-c', restartCmd], { timeout: 60_000 });
    },
    probe: (version) => probeHealth(base, { version, cloudWasConnected }),
    healthDeadlineMs: deadlineS * 1000,
    reporter: { update: (u) => void io.stdout.write(`${JSON.stringify(u)}\n`) },
  });
  if (end.status !== 'SUCCEEDED') io.stderr.write(`callbox ota install: ${end.code}: ${end.reason}\n`);
  return end.status === 'SUCCEEDED' ? EXIT.OK : EXIT.FAILURE;
}

/** Was the box connected to the cloud before the update? (Then the new release must be too.) */
async function cloudConnected(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { cloud?: { connected?: unknown } };
    return body.cloud?.connected === true;
  } catch {
    return false;
  }
}
