/**
 * `callbox hw bypass release|guard`: the power-fail bypass relay when the box cannot release it
 * itself (crash, kill -9; hal/src/drivers/pihat/bypass.ts). `release` writes the relay's sysfs
 * GPIO to its released level (systemd `ExecStopPost=`, which runs after the main process has gone
 * for any reason). `guard -- CMD…` is the same without systemd: it runs the box as its child,
 * passes SIGTERM/SIGINT on, releases the relay the moment the child exits, and with
 * `--restart-after S` starts it again (the box energises the relay once its lines are up).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { releaseBypassSysfs } from '../../hal/src/drivers/pihat/bypass.js';
import type { GpioRef } from '../../hal/src/drivers/pihat/hat-types.js';
import { type Out, readConfigFile } from './hw.js';
import { EXIT } from './usage.js';

export const BYPASS_USAGE = `Usage:
  callbox hw bypass release [--data-dir DIR] [--gpio-root DIR]
  callbox hw bypass guard [--data-dir DIR] [--gpio-root DIR] [--restart-after S] -- COMMAND [ARG]...

  release   put the HAT's bypass relay in its released state (the line straight to the phone);
            for systemd ExecStopPost= (runs after the box stopped, crashed or was killed)
  guard     run COMMAND (the box) as a child; release the relay as soon as it exits for any
            reason; --restart-after S starts it again after S seconds (0.1-600)
  --data-dir   where config.json is (env CALLBOX_DATA_DIR, default ./var)
  --gpio-root  the sysfs GPIO directory (default /sys/class/gpio)
Exit codes: release 0 released, 1 write failed, 78 no bypass relay in the config; guard: the
child's (128 + signal number when it was killed), 64 bad command line.
`;

interface Target {
  relay: GpioRef | null;
  heartbeat: boolean;
  chipLabel?: string;
}

function readTarget(dataDir: string): Target {
  const hat = readConfigFile(dataDir).hardware.pihat;
  return {
    relay: hat?.bypassRelay ?? null,
    heartbeat: Boolean(hat?.bypassHeartbeat),
    ...(hat?.gpioChip ? { chipLabel: hat.gpioChip } : {}),
  };
}

export async function runBypass(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'release' && sub !== 'guard') {
    out.stderr.write(sub === undefined || sub === 'help' ? BYPASS_USAGE : `callbox hw bypass: unknown command "${sub}"\n\n${BYPASS_USAGE}`);
    return sub === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  let values: { 'data-dir'?: string; 'gpio-root'?: string; 'restart-after'?: string };
  let command: string[];
  try {
    const p = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, 'gpio-root': { type: 'string' }, 'restart-after': { type: 'string' } },
    });
    values = p.values;
    command = p.positionals;
    if (sub === 'release' && command.length) throw new Error(`release takes no command (got "${command.join(' ')}")`);
    if (sub === 'guard' && !command.length) throw new Error('guard needs the command to run after --');
    const r = values['restart-after'];
    if (r !== undefined && !(Number(r) >= 0.1 && Number(r) <= 600)) throw new Error(`--restart-after takes 0.1-600 seconds (got "${r}")`);
  } catch (err) {
    out.stderr.write(`callbox hw bypass ${sub}: ${(err as Error).message}\n\n${BYPASS_USAGE}`);
    return EXIT.USAGE;
  }
  const dataDir = values['data-dir'] ?? out.env.CALLBOX_DATA_DIR ?? './var';
  const root = values['gpio-root'];
  let target: Target;
  try {
    target = readTarget(dataDir);
  } catch (err) {
    out.stderr.write(`callbox hw bypass ${sub}: ${(err as Error).message}\n`);
    return EXIT.CONFIG;
  }
  const release = (): boolean => {
    if (!target.relay) return false;
    try {
      const r = releaseBypassSysfs(target.relay, {
        ...(root ? { root } : {}),
        ...(target.chipLabel ? { chipLabel: target.chipLabel } : {}),
      });
      out.stderr.write(`bypass relay released: GPIO ${target.relay.line} (sysfs gpio${r.number}) at level ${r.level}\n`);
      return true;
    } catch (err) {
      out.stderr.write(`callbox hw bypass: releasing the relay failed: ${(err as Error).message}\n`);
      return false;
    }
  };
  if (sub === 'release') {
    if (!target.relay) {
      const why = target.heartbeat ? ' (its hardware watchdog releases it when the heartbeat stops)' : '';
      out.stderr.write(`callbox hw bypass release: the HAT in config.json has no bypass relay GPIO${why}\n`);
      return EXIT.CONFIG;
    }
    return release() ? EXIT.OK : EXIT.FAILURE;
  }
  const restartMs = values['restart-after'] === undefined ? null : Number(values['restart-after']) * 1000;
  return guard(command, restartMs, release, out);
}

function guard(command: string[], restartMs: number | null, release: () => boolean, out: Out): Promise<number> {
  const [file, ...argv] = command as [string, ...string[]];
  let stopping = false;
  let child: ReturnType<typeof spawn> | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  return new Promise((resolve) => {
    const finish = (code: number) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(code);
    };
    const onSignal = (sig: NodeJS.Signals) => {
      stopping = true;
      if (restartTimer) {
        clearTimeout(restartTimer);
        finish(EXIT.OK);
      } else child?.kill(sig);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const start = () => {
      restartTimer = null;
      const c = spawn(file, argv, { stdio: 'inherit' });
      child = c;
      c.once('spawn', () => out.stderr.write(`bypass guard: child ${c.pid} started\n`));
      let ended = false;
      const onEnd = (code: number | null, signal: NodeJS.Signals | null, why: string) => {
        if (ended) return;
        ended = true;
        child = null;
        release(); // first, whatever happened: the shop's line must reach the phone
        const status = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
        out.stderr.write(`bypass guard: child ${c.pid ?? '-'} ${why}\n`);
        if (stopping || restartMs === null) finish(status);
        else restartTimer = setTimeout(start, restartMs);
      };
      c.once('error', (err) => onEnd(1, null, `could not run ${file}: ${err.message}`));
      c.once('exit', (code, signal) => onEnd(code, signal, `exited (${signal ?? `code ${code}`})`));
    };
    start();
  });
}
