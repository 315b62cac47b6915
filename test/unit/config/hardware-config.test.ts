// The hardware section of the config: the HAT wiring (hardware.pihat) and the modem
// (hardware.modem) validate with field paths; the checks beyond the schema (section required with
// the pihat driver, GPIO lines used twice, audio channels shared, flash window, dial pulses
// shorter than a flash, lines and agents on ports the HAT has) name the field.
import t from 'tap';
import { exampleHat } from '../../../hal/src/drivers/pihat/example-hat.js';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { hatFromConfig, modemEnv } from '../../../firmware/src/hardware.js';

const errorsOf = (c: unknown) => {
  const r = validateConfig(c);
  return r.ok ? [] : r.errors;
};

type Hat = NonNullable<Config['hardware']['pihat']>;
/** The HAT section and one of its ports, loosely typed for breaking them. */
const hat = (c: Config) => c.hardware.pihat as Hat;
const port = (c: Config, i: number) => hat(c).ports[i] as unknown as Record<string, unknown>;

function pihat(fn: (c: Config) => void = () => {}): Config {
  const c = defaultConfig();
  c.hardware.driver = 'pihat';
  c.hardware.pihat = exampleHat();
  c.agents = c.agents.slice(0, 2);
  c.queues[0] = { ...(c.queues[0] as Config['queues'][number]), members: ['a1', 'a2'] };
  fn(c);
  return c;
}

t.test('the example HAT and a modem are a valid config', async (t) => {
  t.same(errorsOf(pihat()), []);
  t.same(errorsOf(pihat((c) => (c.hardware.modem = { path: '/dev/callbox-modem', baudRate: 115200, pin: '1234' }))), []);
});

t.test('schema errors name the field', async (t) => {
  t.match(errorsOf(pihat((c) => (port(c, 0).ringDetect = { line: 300 }))), [{ path: '/hardware/pihat/ports/0' }]);
  t.match(errorsOf(pihat((c) => (c.hardware.modem = { path: 'COM3' }))), [{ path: '/hardware/modem/path' }]);
  t.match(errorsOf(pihat((c) => (c.hardware.modem = { path: '/dev/ttyUSB2', pin: '12' }))), [{ path: '/hardware/modem/pin' }]);
  t.match(errorsOf(pihat((c) => (c.hardware.modem = { path: '/dev/ttyUSB2', baudRate: 12345 as 9600 }))), [
    { path: '/hardware/modem/baudRate' },
  ]);
  t.match(errorsOf(pihat((c) => (hat(c).profile = { surprise: 1 } as Hat['profile']))), [{ path: '/hardware/pihat/profile/surprise' }]);
});

t.test('checks beyond the schema', async (t) => {
  t.same(errorsOf(pihat((c) => delete c.hardware.pihat)), [
    { path: '/hardware/pihat', message: 'is required when hardware.driver is "pihat" (the HAT wiring: docs/hardware.md)' },
  ]);
  const twice = errorsOf(
    pihat((c) => {
      const p = c.hardware.pihat?.ports[2];
      if (p?.kind === 'fxs') p.ringControl = { line: 27 };
    }),
  );
  t.same(twice, [{ path: '/hardware/pihat/ports/2/ringControl', message: 'GPIO 27 is already used by /hardware/pihat/ports/0/hookRelay' }]);
  t.match(errorsOf(pihat((c) => (port(c, 3).audio = { device: 'plughw:CARD=callboxhat,DEV=0', channel: 0 }))), [
    { path: '/hardware/pihat/ports/3/audio', message: /channel 0 already carries fxo1/ },
  ]);
  t.match(errorsOf(pihat((c) => (hat(c).profile = { flashMinMs: 800, flashMaxMs: 600 }))), [
    { path: '/hardware/pihat/profile/flashMaxMs', message: /must be above flashMinMs/ },
  ]);
  t.same(errorsOf(pihat((c) => (hat(c).profile = { flashMinMs: 150, pulseBreakMaxMs: 150, dialMode: 'pulse' }))), [
    {
      path: '/hardware/pihat/profile/pulseBreakMaxMs',
      message: 'must be below flashMinMs (150): a dial pulse is shorter than a hook flash',
    },
  ]);
  t.same(
    errorsOf(pihat((c) => (hat(c).profile = { flashMinMs: 80 }))).map((e) => e.path),
    ['/hardware/pihat/profile/pulseBreakMaxMs'],
  );
  t.same(errorsOf(pihat((c) => (hat(c).bypassHeartbeat = { line: 26 }))), [
    { path: '/hardware/pihat/bypassHeartbeat', message: 'GPIO 26 is already used by /hardware/pihat/bypassRelay' },
  ]);
  t.same(errorsOf(pihat((c) => (port(c, 0).dialMode = 'pulse'))), [], 'a pulse-dialling line');
  t.match(errorsOf(pihat((c) => (port(c, 0).dialMode = 'rotary'))), [{ path: '/hardware/pihat/ports/0' }]);
  t.match(errorsOf(pihat((c) => (port(c, 1).id = 'fxo1'))), [
    { path: '/hardware/pihat/ports/1/id', message: /duplicate port id "fxo1"/ },
    { path: '/lines/1/channel', message: /no such line channel "fxo2" \(the HAT has fxo1, fxo1\)/ },
  ]);
  t.match(errorsOf(pihat((c) => (c.agents = defaultConfig().agents))), [
    { path: '/agents/2/extension', message: /no such extension "fxs3" \(the HAT has fxs1, fxs2\)/ },
    { path: '/agents/3/extension' },
  ]);
});

t.test('from config to drivers: the modem env (CALLBOX_MODEM wins) and the HAT description', async (t) => {
  const c = pihat((c) => {
    c.hardware.modem = { path: '/dev/callbox-modem', baudRate: 57600, pin: '1234', audioPath: '/dev/callbox-modem-audio' };
    hat(c).profile = { ringCadenceMs: [400, 200, 400, 2000], flashMaxMs: 900 };
    c.shop.country = 'EU';
  });
  t.same(modemEnv(c, { OTHER: 'x' }), {
    OTHER: 'x',
    CALLBOX_MODEM: '/dev/callbox-modem',
    CALLBOX_MODEM_BAUD: '57600',
    CALLBOX_MODEM_PIN: '1234',
    CALLBOX_MODEM_AUDIO: '/dev/callbox-modem-audio',
  });
  t.same(modemEnv(c, { CALLBOX_MODEM: '/dev/ttyACM3' }), { CALLBOX_MODEM: '/dev/ttyACM3' }, 'the environment wins whole');
  t.same(modemEnv(defaultConfig(), {}), {}, 'no modem anywhere');
  const desc = hatFromConfig(c);
  t.same(desc?.profile, { flashMaxMs: 900, country: 'etsi', ringCadence: { pattern: [400, 200, 400, 2000] } });
  t.equal(desc?.ports.length, 4);
  t.equal(hatFromConfig(defaultConfig()), null);
});
