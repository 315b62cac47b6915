/**
 * `callbox provision …`: the technician's command line (docs/provisioning.md, "CLI").
 *
 *   callbox provision --port /dev/ttyACM0 info | selftest
 *   callbox provision --port /dev/ttyACM0 run --profile shop.json [--code 12345678] [--report r.json]
 *   callbox provision --port /dev/ttyACM0 logs --out ./logs [--code …]
 *   callbox provision --port /dev/ttyACM0 reset [--code …] [--yes]
 *   callbox provision pop --data-dir /var/lib/callbox [--code …]     (factory: store the label's code)
 *
 * The code comes from --code, CALLBOX_PROVISION_CODE, or a prompt when stdin is a terminal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { SerialFactory, SerialPort } from '../../../hal/src/serial.js';
import { PopStore } from '../agent/pop.js';
import { ProvisionError } from '../protocol/messages.js';
import { nodeSerial } from '../../../hal/src/serial-node.js';
import { ProvisionClient } from './client.js';
import { type ProfileFile, runProfile } from './run-profile.js';
import { type Progress, download } from './transfer.js';

export const PROVISION_EXIT = { OK: 0, FAILURE: 1, USAGE: 64, UNAVAILABLE: 69, NOPERM: 77 } as const;

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  serial?: SerialFactory;
}

export const PROVISION_USAGE = `Usage: callbox provision --port PORT <command> [options]
  info                         identity, versions, MAC addresses, hardware found (no code needed)
  selftest                     lines, modem, disk, clock, database (no code needed)
  run --profile FILE           full provisioning from a profile JSON file (docs/provisioning.md)
      [--report FILE]          provisioning report (default ./provision-<serial>.json)
  logs --out DIR               download the box's logs (resumes after a cut cable)
  reset [--yes]                factory reset (asks to type RESET unless --yes)
  pop --data-dir DIR           on the box, at the factory: store the hash of the label's code
Options: --code CODE (or CALLBOX_PROVISION_CODE; prompted on a terminal), --baud N (115200),
         --timeout MS (5000)
`;

export async function runProvision(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr.write(`callbox provision: ${(e as Error).message}\n\n${PROVISION_USAGE}`);
    return PROVISION_EXIT.USAGE;
  }
  const { values, command } = parsed;
  if (command === 'help' || command === undefined) {
    io.stdout.write(PROVISION_USAGE);
    return command ? PROVISION_EXIT.OK : PROVISION_EXIT.USAGE;
  }
  if (command === 'pop') return factoryCode(values, io);
  if (!values.port) {
    io.stderr.write(`callbox provision: --port is required (the box's USB serial port, e.g. /dev/ttyACM0)\n`);
    return PROVISION_EXIT.USAGE;
  }
  let port: SerialPort;
  try {
    port = await (io.serial ?? nodeSerial).open({ path: values.port, baudRate: Number(values.baud ?? 115200) });
  } catch (e) {
    io.stderr.write(
      `callbox provision: cannot open ${values.port}: ${(e as Error).message}\n  Is the box plugged in with a data cable? List ports with: ls /dev/ttyACM* /dev/ttyUSB*\n`,
    );
    return PROVISION_EXIT.UNAVAILABLE;
  }
  const client = new ProvisionClient(port, { timeoutMs: Number(values.timeout ?? 5000) });
  try {
    return await dispatch(command, client, values, io);
  } catch (e) {
    return report(e, io);
  } finally {
    client.close();
    await port.close();
  }
}

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      code: { type: 'string' },
      profile: { type: 'string' },
      report: { type: 'string' },
      out: { type: 'string' },
      timeout: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new Error(`one command at a time, got ${positionals.join(' ')}`);
  for (const k of ['baud', 'timeout'] as const) {
    if (values[k] !== undefined && !(Number(values[k]) > 0)) throw new Error(`--${k} takes a positive number`);
  }
  return { values, command: positionals[0] };
}

async function dispatch(command: string, client: ProvisionClient, v: Values, io: CliIo): Promise<number> {
  const bar = progressBar(io);
  switch (command) {
    case 'info':
      await client.hello();
      io.stdout.write(`${JSON.stringify(await client.request('info'), null, 2)}\n`);
      return PROVISION_EXIT.OK;
    case 'selftest': {
      await client.hello();
      const r = await client.request('selftest', {}, { timeoutMs: 30_000 });
      for (const c of r.checks as { name: string; ok: boolean; detail: string }[])
        io.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
      return r.ok ? PROVISION_EXIT.OK : PROVISION_EXIT.FAILURE;
    }
    case 'run': {
      if (!v.profile) throw new ProvisionError('BAD_REQUEST', 'run needs --profile FILE');
      const file = resolve(v.profile);
      let profile: ProfileFile;
      try {
        profile = JSON.parse(readFileSync(file, 'utf8')) as ProfileFile;
      } catch (e) {
        throw new ProvisionError('BAD_REQUEST', `${file}: ${(e as Error).message}`);
      }
      const code = await askCode(v, io);
      const rep = await runProfile(client, profile, { code, baseDir: dirname(file), progress: bar, say: (l) => io.stderr.write(`${l}\n`) });
      const serial = String(rep.box?.serial ?? 'unknown');
      const out = resolve(v.report ?? `provision-${serial}.json`);
      writeFileSync(out, `${JSON.stringify(rep, null, 2)}\n`);
      const failed = rep.steps.find((s) => !s.ok);
      if (failed?.error) {
        io.stderr.write(`callbox provision: step "${failed.step}" failed: ${failed.error.message}\n`);
        io.stderr.write(`report: ${out}\n`);
        return failed.error.code === 'AUTH_FAILED' || failed.error.code === 'RATE_LIMITED'
          ? PROVISION_EXIT.NOPERM
          : failed.error.code === 'TIMEOUT'
            ? PROVISION_EXIT.UNAVAILABLE
            : PROVISION_EXIT.FAILURE;
      }
      io.stdout.write(`provisioned ${serial} (${rep.steps.map((s) => s.step).join(', ')}); report: ${out}\n`);
      return PROVISION_EXIT.OK;
    }
    case 'logs': {
      if (!v.out) throw new ProvisionError('BAD_REQUEST', 'logs needs --out DIR');
      await client.hello();
      await client.authenticate(await askCode(v, io));
      const { files } = (await client.request('logs.list')) as { files: { name: string }[] };
      for (const f of files) await download(client, f.name, join(resolve(v.out), f.name), { progress: bar(f.name) });
      io.stdout.write(`${files.length} log file(s) in ${resolve(v.out)}\n`);
      return PROVISION_EXIT.OK;
    }
    case 'reset': {
      await client.hello();
      await client.authenticate(await askCode(v, io));
      const { token } = (await client.request('reset.request')) as { token: string };
      if (!v.yes) {
        const answer = await ask(io, 'Factory reset erases config, owner, credentials and network settings. 恢复出厂设置 — type RESET: ');
        if (answer.trim() !== 'RESET') {
          io.stderr.write('reset cancelled\n');
          return PROVISION_EXIT.FAILURE;
        }
      }
      await client.request('reset.confirm', { token });
      io.stdout.write('factory reset done; the box restarts\n');
      return PROVISION_EXIT.OK;
    }
    default:
      io.stderr.write(`callbox provision: unknown command "${command}"\n\n${PROVISION_USAGE}`);
      return PROVISION_EXIT.USAGE;
  }
}

async function factoryCode(v: Values, io: CliIo): Promise<number> {
  if (!v['data-dir']) {
    io.stderr.write('callbox provision pop: --data-dir is required (the box data folder)\n');
    return PROVISION_EXIT.USAGE;
  }
  const pop = new PopStore(join(resolve(v['data-dir']), 'provisioning'), () => Date.now());
  try {
    const code = await pop.provisionCode(v.code ?? io.env.CALLBOX_PROVISION_CODE);
    io.stdout.write(`${code}\n`);
    return PROVISION_EXIT.OK;
  } catch (e) {
    io.stderr.write(`callbox provision pop: ${(e as Error).message}\n`);
    return PROVISION_EXIT.USAGE;
  }
}

async function askCode(v: Values, io: CliIo): Promise<string> {
  const code = v.code ?? io.env.CALLBOX_PROVISION_CODE;
  if (code) return code;
  if (!io.stdin.isTTY) throw new ProvisionError('BAD_REQUEST', 'the code on the box label is needed: --code or CALLBOX_PROVISION_CODE');
  return (await ask(io, 'Code on the box label / 设备标签上的配对码: ')).trim();
}

async function ask(io: CliIo, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

function progressBar(io: CliIo): (label: string) => Progress {
  return (label) => (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const filled = Math.round(pct / 5);
    const line = `  ${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${pct}% ${(done / 1024).toFixed(1)}/${(total / 1024).toFixed(1)} KiB`;
    io.stderr.write(io.stderr.isTTY ? `\r${line}${done === total ? '\n' : ''}` : done === total ? `${line}\n` : '');
  };
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof ProvisionError) {
    const hint: Record<string, string> = {
      TIMEOUT: ' Is the callbox agent running on the other end, and is this the right port?',
      AUTH_FAILED: ' Check the code printed on the box label.',
      DISCONNECTED: ' Plug the cable back in and run the command again: transfers resume.',
    };
    io.stderr.write(`callbox provision: ${e.code}: ${e.message}.${hint[e.code] ?? ''}\n`);
    if (e.code === 'AUTH_FAILED' || e.code === 'RATE_LIMITED') return PROVISION_EXIT.NOPERM;
    if (e.code === 'TIMEOUT' || e.code === 'DISCONNECTED' || e.code === 'PORT') return PROVISION_EXIT.UNAVAILABLE;
    if (e.code === 'BAD_REQUEST') return PROVISION_EXIT.USAGE;
    return PROVISION_EXIT.FAILURE;
  }
  io.stderr.write(`callbox provision: ${(e as Error).message}\n`);
  return PROVISION_EXIT.FAILURE;
}
