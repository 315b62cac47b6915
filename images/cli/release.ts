/**
 * `callbox release keygen|sign|verify` (signed OTA bundles, docs/ota.md) and `callbox ota boot`
 * (the launcher's boot counter step, run before the box starts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareBoot, DEFAULT_MAX_BOOTS } from '../../firmware/src/ota/boot.js';
import { generateKeys, loadPrivateKey, loadPublicKey, signBundle, verifyBundle } from '../../firmware/src/ota/bundle.js';
import { OtaError } from '../../firmware/src/ota/ota-error.js';
import { EXIT } from './usage.js';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const RELEASE_USAGE = `callbox release — signed OTA bundles (docs/ota.md)

  callbox release keygen --out-dir DIR            writes DIR/ota-key.pem (keep secret) and DIR/ota-key.pub.pem
  callbox release sign --key KEY.pem --version V [--min-version M] DIR -o FILE.bundle
  callbox release verify [--pub PUB.pem] FILE.bundle   exit 0 when good; 1 with the reason when not
                          (default key: $CALLBOX_OTA_PUBKEY, else ota-key.pub.pem beside the executable)
  callbox ota boot --root ROOT [--max-boots N]     launcher step: count the boot, roll back an
                                                   unconfirmed release after N boots; prints the version
  callbox ota install --root ROOT --bundle FILE [--pub PUB.pem] --restart-cmd CMD [--url URL]
                      [--job-id ID] [--deadline-s N]   install with health check and rollback; one JSON
                                                   job update per line on stdout; exit 0 SUCCEEDED, 1 FAILED
`;

function fail(io: Io, err: unknown): number {
  const code = err instanceof OtaError ? `${err.code}: ` : '';
  io.stderr.write(`callbox release: ${code}${(err as Error).message}\n`);
  return EXIT.FAILURE;
}

export async function runRelease(args: string[], io: Io = process): Promise<number> {
  const [sub, ...rest] = args;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        key: { type: 'string' },
        pub: { type: 'string' },
        version: { type: 'string' },
        'min-version': { type: 'string' },
        out: { type: 'string', short: 'o' },
        'out-dir': { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr.write(`callbox release: ${(err as Error).message}\n\n${RELEASE_USAGE}`);
    return EXIT.USAGE;
  }
  const v = parsed.values as Record<string, string | undefined>;
  const pos = parsed.positionals;
  const usage = (msg: string) => {
    io.stderr.write(`callbox release ${sub ?? ''}: ${msg}\n\n${RELEASE_USAGE}`);
    return EXIT.USAGE;
  };
  try {
    switch (sub) {
      case 'keygen': {
        if (!v['out-dir']) return usage('--out-dir is required');
        const keys = generateKeys();
        mkdirSync(v['out-dir'], { recursive: true });
        writeFileSync(`${v['out-dir']}/ota-key.pem`, keys.privatePem, { mode: 0o600 });
        writeFileSync(`${v['out-dir']}/ota-key.pub.pem`, keys.publicPem, { mode: 0o644 });
        io.stdout.write(`${v['out-dir']}/ota-key.pem\n${v['out-dir']}/ota-key.pub.pem\n`);
        return EXIT.OK;
      }
      case 'sign': {
        if (!v.key || !v.version || !v.out || pos.length !== 1) return usage('--key, --version, -o and one release folder are required');
        const { bundle, manifest } = signBundle({
          dir: pos[0] as string,
          version: v.version,
          minVersion: v['min-version'] ?? null,
          privateKey: loadPrivateKey(readFileSync(v.key)),
        });
        mkdirSync(dirname(v.out), { recursive: true });
        writeFileSync(v.out, bundle);
        io.stdout.write(`${v.out}: ${manifest.version}, ${Object.keys(manifest.files).length} files, ${bundle.length} bytes\n`);
        return EXIT.OK;
      }
      case 'verify': {
        if (pos.length !== 1) return usage('one bundle file is required');
        const pub = v.pub ?? defaultPublicKey();
        if (!pub) return usage('no --pub, no $CALLBOX_OTA_PUBKEY and no ota-key.pub.pem beside the executable');
        const { manifest } = verifyBundle(readFileSync(pos[0] as string), loadPublicKey(readFileSync(pub)));
        const min = manifest.minVersion ? ` (needs ${manifest.minVersion})` : '';
        io.stdout.write(`good: ${manifest.version}${min}, ${Object.keys(manifest.files).length} files, signed ${manifest.createdAt}\n`);
        return EXIT.OK;
      }
      default:
        return usage(sub ? `unknown subcommand "${sub}"` : 'a subcommand is needed');
    }
  } catch (err) {
    return fail(io, err);
  }
}

/** The box's release key: $CALLBOX_OTA_PUBKEY, else `ota-key.pub.pem` beside the script or the executable. */
export function defaultPublicKey(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CALLBOX_OTA_PUBKEY) return env.CALLBOX_OTA_PUBKEY;
  for (const dir of [process.argv[1] ? dirname(process.argv[1]) : null, dirname(process.execPath)]) {
    if (dir && existsSync(join(dir, 'ota-key.pub.pem'))) return join(dir, 'ota-key.pub.pem');
  }
  return null;
}

export async function runOta(args: string[], io: Io = process): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'install') return (await import('./ota-install.js')).runOtaInstall(rest, io);
  let values: { root?: string; 'max-boots'?: string };
  try {
    values = parseArgs({ args: rest, strict: true, options: { root: { type: 'string' }, 'max-boots': { type: 'string' } } }).values;
  } catch (err) {
    io.stderr.write(`callbox ota: ${(err as Error).message}\n\n${RELEASE_USAGE}`);
    return EXIT.USAGE;
  }
  const maxBoots = Number(values['max-boots'] ?? DEFAULT_MAX_BOOTS);
  if (sub !== 'boot' || !values.root || !Number.isInteger(maxBoots) || maxBoots < 1) {
    io.stderr.write(`callbox ota: usage: ota boot --root ROOT [--max-boots N>=1]\n`);
    return EXIT.USAGE;
  }
  const d = prepareBoot(values.root, maxBoots);
  if (d.rolledBack) io.stderr.write(`callbox ota: ${d.rolledBack.reason}\n`);
  io.stdout.write(`${d.version ?? ''}\n`);
  return d.version ? EXIT.OK : EXIT.FAILURE;
}
