// test/helpers/wait.ts: a test's real-time deadline is what an idle machine needs, stretched by the
// load per core when it is judged (the provisioning fault test failed once on an overloaded CI
// machine at a fixed 3 s), never more than MAX_STRETCH times, so a real hang still fails.
import t from 'tap';
import { MAX_STRETCH, scaled, sleep, until, within } from '../../helpers/wait.js';

t.test('scaled: unchanged up to one runnable process per core, then in proportion, bounded', (t) => {
  t.equal(scaled(3000, 0, 2), 3000, 'idle');
  t.equal(scaled(3000, 2, 2), 3000, 'one per core');
  t.equal(scaled(3000, 5, 2), 7500, '2.5 per core: 2.5 times');
  t.equal(scaled(3000, 12, 4), 9000, 'the cores count');
  t.equal(scaled(3000, 80, 2), 3000 * MAX_STRETCH, 'an overloaded machine: at most MAX_STRETCH times');
  t.equal(scaled(3000, 3, 0), 9000, 'no cores reported: taken as one');
  t.ok(scaled(3000) >= 3000 && scaled(3000) <= 3000 * MAX_STRETCH, `this machine now: ${scaled(3000)} ms`);
  t.end();
});

t.test('until: returns once the condition holds', async (t) => {
  let ready = false;
  setTimeout(() => {
    ready = true;
  }, 60);
  const start = Date.now();
  await until('the flag', () => ready, 2000, 5);
  t.ok(ready && Date.now() - start >= 50, 'waited for it');
});

t.test('until: a condition that never holds fails, naming what it waited for, within the bound', async (t) => {
  const start = Date.now();
  await t.rejects(
    until('the moon', () => false, 100),
    /timed out after \d+ ms waiting for the moon/,
  );
  const waited = Date.now() - start;
  t.ok(waited >= 100, `not before the wait: ${waited} ms`);
  t.ok(waited < 100 * MAX_STRETCH + 1000, `not much after the longest stretch: ${waited} ms`);
});

t.test('within: true as soon as the condition holds, false after the wait', async (t) => {
  let ready = false;
  setTimeout(() => {
    ready = true;
  }, 40);
  t.equal(await within(() => ready, 2000), true);
  const start = Date.now();
  t.equal(await within(() => false, 80), false);
  const waited = Date.now() - start;
  t.ok(waited >= 80 && waited < 80 * MAX_STRETCH + 1000, `gave up after ${waited} ms`);
});

t.test('sleep waits', async (t) => {
  const start = Date.now();
  await sleep(30);
  t.ok(Date.now() - start >= 29);
});
