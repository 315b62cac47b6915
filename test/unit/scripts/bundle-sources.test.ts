// scripts/lib/bundle-sources.mjs: repository TypeScript and npm packages bundled by esbuild,
// imported by a plain script, the file deleted again (also when it fails: a misspelt name too); npm
// packages left external are the same module instances as a plain import, bundled CommonJS gets a
// working `require`.
import { existsSync, readdirSync } from 'node:fs';
import t from 'tap';
import { BUNDLE_CACHE, bundleSources } from '../../../scripts/lib/bundle-sources.mjs';

const mine = () => (existsSync(BUNDLE_CACHE) ? readdirSync(BUNDLE_CACHE).filter((f) => f.includes(`-${process.pid}-`)) : []);

t.test('named exports and export * from repository sources, the file removed after import', async (t) => {
  const m = await bundleSources({ 'hal/src/clock.ts': ['VirtualClock'], 'hal/src/dsp/index.ts': '*' }, { name: 'unit-clock' });
  const Clock = m.VirtualClock as new (start: number) => { now(): number; advance(ms: number): void };
  const clock = new Clock(1000);
  clock.advance(250);
  t.equal(clock.now(), 1250, 'the bundled VirtualClock runs');
  const clamp16 = m.clamp16 as (x: number) => number;
  t.equal(clamp16(70_000), 32_767, 'export * brings the dsp exports');
  t.same(mine(), [], 'no bundle left in the cache');
});

t.test('external packages are the real modules; a bundled CommonJS package can require', async (t) => {
  const real = await import('pino');
  const ext = await bundleSources({ pino: ['pino'] }, { name: 'unit-ext', external: true });
  t.equal(ext.pino, real.pino, 'left external: the same module instance as a plain import');
  const inlined = await bundleSources({ pino: ['pino'] }, { name: 'unit-cjs' });
  t.not(inlined.pino, real.pino, 'bundled: a copy of its own');
  const logger = (inlined.pino as (o: object) => { info(msg: string): void; level: string })({ level: 'silent' });
  logger.info('works'); // pino requires node built-ins (os, events...) at load: needs the banner's require
  t.equal(logger.level, 'silent');
  t.same(mine(), []);
});

t.test('a missing source or a misspelt name rejects and leaves no file', async (t) => {
  await t.rejects(bundleSources({ 'hal/src/no-such-file.ts': ['X'] }, { name: 'unit-bad' }), /Could not resolve/);
  // esbuild alone would drop the name (it might be a type) and the module would lack it silently
  await t.rejects(
    bundleSources({ 'hal/src/clock.ts': ['VirtualClock', 'NoSuchExport'] }, { name: 'unit-bad' }),
    /no export named NoSuchExport/,
  );
  t.same(mine(), []);
});
