// scripts/test-children-env.mjs: a test process with tap's processinfo loaded starts its children
// without it (processinfo would put itself into their NODE_OPTIONS), and keeps the rest of their
// NODE_OPTIONS, quoted values too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

const ROOT = resolve(import.meta.dirname, '../../..');
// what tap's runner loads into a test process: @tapjs/processinfo/import (an ESM-only export)
const PROCESSINFO = pathToFileURL(resolve(dirname(createRequire(import.meta.url).resolve('@tapjs/processinfo')), '../esm/import.mjs')).href;
const PRELOAD = pathToFileURL(resolve(ROOT, 'scripts/test-children-env.mjs')).href;

// The "test process": starts a Node child that reports its NODE_OPTIONS and whether processinfo runs in it.
const PARENT = `import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['-p', 'JSON.stringify({ options: process.env.NODE_OPTIONS ?? null, processinfo: globalThis[Symbol.for("@tapjs/processinfo.ProcessInfoNodeData")] !== undefined })'], { encoding: 'utf8' });
process.stdout.write(r.stdout);`;

/** What the child of a process started with `imports` (and NODE_OPTIONS `options`) sees. */
function grandchild(imports: string[], options: string): { options: string | null; processinfo: boolean } {
  const r = spawnSync(process.execPath, [...imports.map((i) => `--import=${i}`), '--input-type=module', '-e', PARENT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: options },
  });
  if (r.status !== 0) throw new Error(`the parent failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { options: string | null; processinfo: boolean };
}

const OWN = '--max-old-space-size=300 "--title=call box"';

t.test('without the preload, processinfo puts itself into a child', (t) => {
  const seen = grandchild([PROCESSINFO], OWN);
  t.match(seen.options, /@tapjs\/processinfo/);
  t.equal(seen.processinfo, true, 'and runs there');
  t.end();
});

t.test('with it, the child starts without processinfo and with its other options', (t) => {
  const seen = grandchild([PROCESSINFO, PRELOAD], OWN);
  t.notMatch(seen.options, /processinfo/);
  t.match(seen.options, /--max-old-space-size=300/);
  t.match(seen.options, /"--title=call box"/, 'a quoted option stays whole');
  t.equal(seen.processinfo, false, 'processinfo does not run in the child');
  t.end();
});

t.test('NODE_OPTIONS of processinfo alone: the child gets none', (t) => {
  const seen = grandchild([PROCESSINFO, PRELOAD], `"--import=${PROCESSINFO}"`);
  t.equal(seen.options, null);
  t.equal(seen.processinfo, false);
  t.end();
});
