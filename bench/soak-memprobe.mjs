// Debug-only memory probe of the soak (bench/soak.mjs): loaded into the box with
// `node --import bench/soak-memprobe.mjs` when SOAK_MEM_FILE is set; every 2 s it writes the box's
// process.memoryUsage() (rss, heapTotal, heapUsed, external, arrayBuffers), the V8 heap spaces'
// used bytes (code_space, large_object_space, ... as `space_<name>`) and v8.getHeapCodeStatistics()
// (machine code vs bytecode) as JSON to that file, so the soak can split RSS growth into V8 heap
// spaces, compiled code and native memory. With SOAK_PROBE_SCRIPTS=1 it also counts the scripts V8
// compiles (inspector `Debugger.scriptParsed`: every module, eval, new Function, vm script) and keeps
// the last few, to tell code that grows per call from code that tiers up. With SOAK_PROBE_GC=1 (the
// soak adds --expose-gc) it runs a full GC every 30 s and keeps what is left (`afterGc`: the live
// heap, external memory, old and code space), which grows only if something is retained. Not part of
// the firmware bundle.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapCodeStatistics, getHeapSpaceStatistics } from 'node:v8';

const file = process.env.SOAK_MEM_FILE;
const scripts = { parsed: 0, evals: 0, last: [] };
if (file && process.env.SOAK_PROBE_SCRIPTS === '1') {
  const session = new Session();
  session.connect();
  session.on('Debugger.scriptParsed', ({ params }) => {
    scripts.parsed++;
    // scripts without a URL are eval / new Function / vm code: the ones that could grow per call
    if (!params.url) scripts.evals++;
    scripts.last = [
      ...scripts.last.slice(-9),
      {
        url: params.url,
        hash: params.hash,
        length: params.length,
        stack: params.stackTrace?.callFrames?.slice(0, 3).map((f) => `${f.functionName}@${f.url}:${f.lineNumber}`),
      },
    ];
  });
  session.post('Debugger.enable');
  session.post('Debugger.setAsyncCallStackDepth', { maxDepth: 1 });
}
let afterGc = null;
if (file && process.env.SOAK_PROBE_GC === '1' && typeof globalThis.gc === 'function') {
  const collect = () => {
    globalThis.gc();
    const m = process.memoryUsage();
    const used = (name) => getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_used_size;
    afterGc = {
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      oldSpace: used('old_space'),
      codeSpace: used('code_space'),
    };
  };
  setInterval(collect, 30_000).unref();
}
if (file) {
  const write = () => {
    const spaces = {};
    for (const s of getHeapSpaceStatistics()) {
      spaces[`space_${s.space_name}`] = s.space_used_size;
      spaces[`spaceSize_${s.space_name}`] = s.space_size; // what the space holds from the system (in heapTotal)
    }
    const code = getHeapCodeStatistics();
    const mem = {
      ...process.memoryUsage(),
      ...spaces,
      codeAndMetadata: code.code_and_metadata_size,
      bytecodeAndMetadata: code.bytecode_and_metadata_size,
      externalScriptSource: code.external_script_source_size,
      ...(process.env.SOAK_PROBE_SCRIPTS === '1' ? { scripts } : {}),
      ...(afterGc ? { afterGc } : {}),
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(mem));
    renameSync(`${file}.tmp`, file);
  };
  write();
  setInterval(write, 2000).unref();
}
