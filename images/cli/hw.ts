/**
 * `callbox hw selftest`: the bench test of the telephony HAT (hal/src/drivers/pihat/selftest.ts).
 * On the box it reads the HAT wiring from the config (hardware.pihat; stop the box first: it holds
 * the GPIO and the sound card) and walks the technician through each port in real time. `--sim`
 * runs the same walk on a simulated bench (the reference wiring, GPIO and audio in memory, a
 * simulated technician) in virtual time: it finishes in a moment and needs no hardware.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SystemClock, VirtualClock } from '../../hal/src/clock.js';
import { SimBench } from '../../hal/src/drivers/pihat/bench-sim.js';
import type { PiHatDriver } from '../../hal/src/drivers/pihat/pihat-driver.js';
import { runSelftest, type SelftestIo, type SelftestStep } from '../../hal/src/drivers/pihat/selftest.js';
import type { Config } from '../../firmware/src/config/schema.js';
import { formatIssues } from '../../firmware/src/config/schema-errors.js';
import { validateConfig } from '../../firmware/src/config/validate.js';
import { piHatDriver } from '../../firmware/src/hardware.js';
import { EXIT } from './usage.js';

export const HW_USAGE = `Usage:
  callbox hw selftest [--sim] [--data-dir DIR] [--port ID]... [--digits DIGITS] [--timeout S] [--json]
  callbox hw bypass release|guard …   (the power-fail bypass relay; callbox hw bypass help)

  Walks you through each port of the telephony HAT: call each line (ring, cadence, caller ID),
  press digits, hang up; lift each phone when it rings, press digits, flash, hang up.
  --sim        a simulated bench (reference wiring, simulated technician): no hardware needed
  --data-dir   where config.json is (env CALLBOX_DATA_DIR, default ./var); stop the box first
  --port       test only these ports (repeatable), e.g. --port fxo1 --port fxs1
  --digits     what to press (0-9 * #; default 159#)
  --timeout    seconds allowed per step (default 30)
  --json       the results as one JSON document at the end
Exit codes: 0 every check passed, 1 a check failed, 64 bad command line, 78 no HAT in the config.
`;

export interface Out {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
}

/** The data folder's config.json, validated (`hw selftest`, `hw bypass`); throws naming what is wrong. */
export function readConfigFile(dataDir: string): Config {
  const parsed = validateConfig(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`config.json is invalid: ${formatIssues(parsed.errors)}`);
  return parsed.config;
}

export async function runHw(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'bypass') return (await import('./hw-bypass.js')).runBypass(rest, out);
  if (sub !== 'selftest') {
    out.stderr.write(sub === undefined || sub === 'help' ? HW_USAGE : `callbox hw: unknown command "${sub}"\n\n${HW_USAGE}`);
    return sub === 'help' ? EXIT.OK : EXIT.USAGE;
  }
  let o: ReturnType<typeof parse>;
  try {
    o = parse(rest, out.env);
  } catch (err) {
    out.stderr.write(`callbox hw selftest: ${(err as Error).message}\n\n${HW_USAGE}`);
    return EXIT.USAGE;
  }
  const say = (s: string) => {
    if (!o.json) out.stdout.write(`${s}\n`);
  };
  const steps: SelftestStep[] = [];
  const io = (act?: SimBench['act']): SelftestIo => ({
    prompt: (action, port, text, digits) => {
      say(`» ${text}`);
      act?.(action, port, digits);
    },
    result: (s) => {
      steps.push(s);
      say(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.port} ${s.step}: ${s.detail}`);
    },
  });
  const run = { ports: o.ports, digits: o.digits, stepTimeoutMs: o.timeoutS * 1000 };

  if (o.sim) {
    const clock = new VirtualClock();
    const bench = new SimBench(clock);
    say('callbox hw selftest --sim: simulated bench (reference HAT wiring, simulated technician)');
    await bench.driver.start();
    let done = false;
    const walk = runSelftest(bench.driver, { ...run, clock, io: io((a, p, d) => bench.act(a, p, d)) }).finally(() => {
      done = true;
    });
    while (!done) await clock.run(100);
    await walk;
    bench.dispose();
    await bench.driver.stop();
  } else {
    let driver: PiHatDriver;
    try {
      const config = readConfigFile(o.dataDir);
      if (!config.hardware.pihat) throw new Error('config.json has no hardware.pihat (the HAT wiring; docs/hardware.md)');
      driver = await piHatDriver(config, new SystemClock(), (msg, data) => say(`  (${msg}${data ? ` ${JSON.stringify(data)}` : ''})`));
    } catch (err) {
      out.stderr.write(`callbox hw selftest: ${(err as Error).message}\n`);
      return EXIT.CONFIG;
    }
    await driver.start();
    try {
      await runSelftest(driver, { ...run, clock: new SystemClock(), io: io() });
    } finally {
      await driver.stop();
    }
  }
  const failed = steps.filter((s) => !s.ok);
  if (o.json) out.stdout.write(`${JSON.stringify({ ok: failed.length === 0, steps })}\n`);
  say(`${steps.length} checks, ${failed.length} failed`);
  return failed.length === 0 ? EXIT.OK : EXIT.FAILURE;
}

function parse(args: string[], env: Record<string, string | undefined>) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sim: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string', multiple: true },
      digits: { type: 'string', default: '159#' },
      timeout: { type: 'string', default: '30' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!/^[0-9*#]{1,16}$/.test(values.digits)) throw new Error(`--digits takes 1-16 of 0-9 * # (got "${values.digits}")`);
  const timeoutS = Number(values.timeout);
  if (!Number.isInteger(timeoutS) || timeoutS < 5 || timeoutS > 600)
    throw new Error(`--timeout takes 5-600 seconds (got "${values.timeout}")`);
  for (const p of values.port ?? [])
    if (!/^(fxo|fxs)[1-9][0-9]?$/.test(p)) throw new Error(`--port takes a port id like fxo1 or fxs2 (got "${p}")`);
  return {
    sim: values.sim,
    dataDir: values['data-dir'] ?? env.CALLBOX_DATA_DIR ?? './var',
    ...(values.port ? { ports: values.port } : {}),
    digits: values.digits,
    timeoutS,
    json: values.json,
  };
}
