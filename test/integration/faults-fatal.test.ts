// The last-resort policy of `callbox run` (images/cli/fatal.ts, issue 11): an exception nothing
// caught does not leave the box running in an unknown state. The production bundle runs with a
// preload (node --require) that, on SIGUSR2, throws from a timer or leaves a promise rejected:
// the box logs a fatal line, stops gracefully and exits 1 so systemd restarts it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBox } from '../helpers/process.js';

const PRELOAD = `
process.on('SIGUSR2', () => {
  if (process.env.FAULT_KIND === 'rejection') void Promise.reject(new Error('test: unknown rejection'));
  else setImmediate(() => { throw new Error('test: unknown bug'); });
});
`;

for (const kind of ['exception', 'rejection'] as const) {
  t.test(`an uncaught ${kind}: fatal log line, graceful stop, exit 1`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'callbox-fatal-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const preload = join(dir, 'fault.cjs');
    writeFileSync(preload, PRELOAD);
    const box = await startBox(join(dir, 'data'), [], {
      NODE_OPTIONS: `--require ${preload}`,
      FAULT_KIND: kind,
    });
    t.teardown(() => {
      box.proc.kill('SIGKILL');
    });
    const health = await fetch(`${box.url}/healthz`);
    t.equal(health.status, 200, 'the box serves');
    const code = await box.stop('SIGUSR2');
    t.equal(code, 1, 'exit code 1: the service manager restarts the box');
    const lines = box.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; kind?: string });
    const what = kind === 'exception' ? 'uncaughtException' : 'unhandledRejection';
    const fatal = lines.find((l) => l.level === 60);
    t.match(fatal, { kind: what, msg: new RegExp(`^${what}: test: unknown (bug|rejection); stopping`) }, 'a fatal log line names it');
    const after = lines.slice(lines.indexOf(fatal as (typeof lines)[number]));
    t.ok(
      after.some((l) => l.msg === 'shutting down'),
      'then the graceful stop',
    );
    t.match(after.at(-1), { msg: 'stopped', exitCode: 1 }, 'stopped cleanly with exit code 1');
  });
}
