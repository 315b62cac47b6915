// Loaded into every test process by scripts/run-tests.mjs (node --import). tap's runner loads
// @tapjs/processinfo into each test process, and that puts itself into the NODE_OPTIONS of every
// process the test starts (through process-on-spawn), so the box bundle, its CLI and helper
// scripts loaded it too: it records each loaded file and its source map for coverage (off here,
// .taprc) through a module-loader thread, and made the box take 2.2 s instead of 0.8 s to be
// ready. A listener after processinfo's takes it out again: the test's own children start as in
// the field. The test process itself keeps it (tap puts it on its command line); other
// NODE_OPTIONS stay.
import { createRequire } from 'node:module';

/** `options` (a NODE_OPTIONS value) without processinfo's --import/--loader. */
export function withoutProcessInfo(options) {
  return options
    .split(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/) // at spaces outside double quotes
    .filter((o) => o !== '' && !/@tapjs[/\\]processinfo[/\\]/.test(o))
    .join(' ');
}

const require = createRequire(import.meta.url);
// processinfo's own copy of process-on-spawn (its listeners are shared through a global)
const onSpawn = createRequire(require.resolve('@tapjs/processinfo'))('process-on-spawn');
onSpawn.addListener((spawned) => {
  const options = spawned.env.NODE_OPTIONS;
  if (options === undefined) return;
  const kept = withoutProcessInfo(options);
  if (kept === '') delete spawned.env.NODE_OPTIONS;
  else spawned.env.NODE_OPTIONS = kept;
});
