// spawnReady (bench/lib.mjs), the benchmarks' and the soak's way to start the box: it resolves on
// the ready line, and afterwards the child's output is drained without being kept, so a box that
// writes a lot (hours of soak logs, a burst on stderr) neither blocks on a full pipe nor grows the
// harness's memory.
import t from 'tap';
import { spawnReady, stopProc } from '../../../bench/lib.mjs';

// Ready, then 2 MB on stdout and 2 MB on stderr (pipes are synchronous for a Node child on Linux:
// a write blocks while the pipe is full), then it exits by itself.
const CHILD = `
console.log(JSON.stringify({ msg: 'child ready', url: 'http://127.0.0.1:1' }));
const line = 'x'.repeat(1023) + '\\n';
for (let i = 0; i < 2048; i++) { process.stdout.write(line); process.stderr.write(line); }
`;

t.test('resolves on the ready line; the output after it is drained: the child exits', async (t) => {
  const { proc, url } = await spawnReady(process.execPath, ['-e', CHILD], {}, '"child ready"');
  t.equal(url, 'http://127.0.0.1:1');
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const timeout = new Promise<string>((res) => setTimeout(() => res('still running after 10 s'), 10_000).unref());
  const first = await Promise.race([exited, timeout]);
  if (first === 'still running after 10 s') proc.kill('SIGKILL');
  t.equal(first, 0, 'the child wrote 4 MB after ready and exited 0');
  await stopProc(proc);
});
