/**
 * The callbox executable: `callbox run [--sim] [--demo[=N]] [--port N] [--data-dir DIR]`,
 * `callbox version`, `callbox help`. Composes the appliance (firmware) with its front ends
 * (web-ui), handles signals and exit codes. This is the entry of the production bundle.
 */
import { parseArgs } from 'node:util';
import { parseHttpsOptions } from './https-setup.js';
import { EXIT, usage, version, versionString } from './usage.js';

// Each command's code is imported when the command runs: the bundle is split (scripts/build.mjs),
// so the box (`run`) never loads the fleet consumer, the provisioning client or the DSP tools.

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'version':
    case '--version':
      // Exactly the version, the same on every architecture (scripts and the OTA tooling compare
      // it); --verbose adds Node's version and the platform.
      process.stdout.write(`${rest.includes('--verbose') ? versionString() : version()}\n`);
      return EXIT.OK;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage());
      return EXIT.OK;
    case 'run': {
      let parsed: ReturnType<typeof parseRun>;
      try {
        parsed = parseRun(rest);
      } catch (err) {
        process.stderr.write(`callbox run: ${(err as Error).message}\n\n${usage()}`);
        return EXIT.USAGE;
      }
      return (await import('./run.js')).runBox(parsed);
    }
    case 'dsp':
      return (await import('./dsp.js')).runDsp(rest);
    case 'fleet':
      return (await import('../../firmware/src/cloud/fleet/fleet-cli.js')).runFleet(rest);
    case 'release':
      return (await import('./release.js')).runRelease(rest);
    case 'ota':
      return (await import('./release.js')).runOta(rest);
    case 'hw':
      return (await import('./hw.js')).runHw(rest, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    case 'provision':
      return (await import('../../provisioning/src/client/cli.js')).runProvision(rest, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        env: process.env,
      });
    default:
      process.stderr.write(`callbox: unknown command "${command}"\n\n${usage()}`);
      return EXIT.USAGE;
  }
}

function parseRun(args: string[]) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sim: { type: 'boolean', default: false },
      demo: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'https-port': { type: 'string' },
    },
  });
  const env = process.env;
  const portText = values.port ?? env.CALLBOX_HTTP_PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be 0-65535, got "${portText}"`);
  const demoText = values.demo ?? env.CALLBOX_DEMO;
  let demoCallsPerHour = 0;
  if (demoText !== undefined && demoText !== '' && demoText !== '0') {
    demoCallsPerHour = demoText === 'true' || demoText === '1' ? 120 : Number(demoText);
    if (!Number.isFinite(demoCallsPerHour) || demoCallsPerHour < 0 || demoCallsPerHour > 36000) {
      throw new Error(`--demo takes calls per hour (0-36000), got "${demoText}"`);
    }
  }
  return {
    sim: values.sim,
    port,
    host: values.host ?? env.CALLBOX_HTTP_HOST ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? env.CALLBOX_DATA_DIR ?? './var',
    demoCallsPerHour,
    adminPassword: env.CALLBOX_ADMIN_PASSWORD || undefined,
    logLevel: env.CALLBOX_LOG_LEVEL ?? 'info',
    ...parseHttpsOptions(values['https-port'], env),
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`callbox: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = EXIT.FAILURE;
  },
);
