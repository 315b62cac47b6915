/** `callbox run`: open the box, start it and its HTTP front end, stop cleanly on SIGTERM/SIGINT. */
import { resolve } from 'node:path';
import { SystemClock } from '../../hal/src/clock.js';
import { Box } from '../../firmware/src/box.js';
import { isCallboxError } from '../../firmware/src/errors.js';
import { createLogger } from '../../firmware/src/log.js';
import { startHttpServer } from '../../web-ui/server/app.js';
import { promptsDir, simSpeech, webAppDir } from './assets.js';
import { type HttpsRunOptions, httpsListenOptions } from './https-setup.js';
import { raisePriority } from './priority.js';
import { provisionModules } from './provision-host.js';
import { installFatalHandlers } from './fatal.js';
import { sdNotify } from './sd-notify.js';
import { EXIT, version } from './usage.js';

export interface RunOptions extends HttpsRunOptions {
  sim: boolean;
  port: number;
  host: string;
  dataDir: string;
  demoCallsPerHour: number;
  adminPassword: string | undefined;
  logLevel: string;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;

export async function runBox(o: RunOptions): Promise<number> {
  const log = createLogger({ level: o.logLevel });
  // an exception nothing caught: fatal log, graceful stop, non-zero exit (images/cli/fatal.ts)
  const fatal = installFatalHandlers(log);
  raisePriority(log);
  // A restart request (cloud cmd/reboot) stops like SIGTERM but exits with EXIT.RESTART.
  let restart = (_reason: string): void => undefined;
  const dataDir = resolve(o.dataDir);
  let box: Box;
  try {
    box = await Box.open({
      dataDir,
      clock: new SystemClock(),
      log,
      version: version(),
      promptsDir: promptsDir(),
      forceSim: o.sim,
      ...(o.adminPassword ? { adminPassword: o.adminPassword } : {}),
      demoCallsPerHour: o.demoCallsPerHour,
      monitorLoopLag: true,
      simSpeech: simSpeech(),
      env: {
        CALLBOX_MQTT_URL: process.env.CALLBOX_MQTT_URL,
        CALLBOX_DEVICE_ID: process.env.CALLBOX_DEVICE_ID,
        CALLBOX_MODEM: process.env.CALLBOX_MODEM,
        CALLBOX_MODEM_BAUD: process.env.CALLBOX_MODEM_BAUD,
        CALLBOX_MODEM_PIN: process.env.CALLBOX_MODEM_PIN,
        CALLBOX_MODEM_AUDIO: process.env.CALLBOX_MODEM_AUDIO,
        // SIP (hal/src/drivers/sip/sip-env.ts); OTA jobs from the cloud (firmware/src/cloud/ota-settings.ts),
        // whose installer probes this box's /healthz
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^CALLBOX_(SIP|RTP|OTA)_/.test(k))),
        CALLBOX_OTA_HEALTH_URL: process.env.CALLBOX_OTA_HEALTH_URL ?? `http://127.0.0.1:${o.port || 8080}`,
      },
      requestRestart: (reason) => restart(reason),
      // USB provisioning agent (provisioning/): CALLBOX_PROVISION_PORT or the config's provisioning section
      extraModules: provisionModules(
        { env: process.env, systemTime: !o.sim, requestRestart: (reason) => restart(reason), log: log.child({ ns: 'provisioning' }) },
        { dataDir, version: version(), now: () => Date.now() },
      ),
    });
  } catch (err) {
    if (isCallboxError(err) && err.code === 'CONFIG_INVALID') {
      process.stderr.write(`callbox: refusing to start: ${err.message}\n`);
      return EXIT.CONFIG;
    }
    process.stderr.write(`callbox: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.FAILURE;
  }
  await box.start();
  if (box.setupCode) {
    process.stdout.write(
      `\n  First boot: no owner account yet. One-time setup code / 一次性设置码: ${box.setupCode}\n` +
        `  Open the dashboard in a browser: the setup wizard asks for it / 在浏览器中打开控制台，设置向导会要求输入此设置码\n` +
        `  (API: POST /api/v1/auth/setup {"code":"${box.setupCode}","password":"..."}; or set CALLBOX_ADMIN_PASSWORD)\n\n`,
    );
  }
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer({
      service: box.service,
      durable: () => box.durable(),
      log: log.child({ ns: 'http' }),
      port: o.port,
      host: o.host,
      staticDir: webAppDir(),
      tls: httpsListenOptions(dataDir, o, box.config.http.https, log.child({ ns: 'https' })),
    });
  } catch (err) {
    log.error({ err: String(err) }, 'HTTP server failed to start');
    await box.stop();
    return EXIT.FAILURE;
  }
  log.info(
    {
      url: `http://${o.host}:${http.port}`,
      ...(http.httpsPort !== undefined ? { httpsUrl: `https://${o.host}:${http.httpsPort}` } : {}),
      dataDir,
      sim: !!box.hat,
      channels: box.channels().map((c) => c.id),
      demo: o.demoCallsPerHour,
    },
    'callbox ready',
  );
  // systemd Type=notify + WatchdogSec (images/systemd/callbox.service); nothing without $NOTIFY_SOCKET
  const notify = sdNotify({ env: process.env, statusText: () => `health ${box.service.health().status}`, log });
  notify?.ready(`serving on port ${http.port}`);
  const otaRoot = process.env.CALLBOX_OTA_ROOT;
  if (otaRoot) {
    const notConfirmed = (await import('../../firmware/src/ota/boot.js')).confirmIfHealthy(otaRoot, box.service.health());
    if (notConfirmed) log.warn({ otaRoot, reason: notConfirmed }, 'release not confirmed; the launcher rolls back after repeated boots');
    else log.info({ otaRoot }, 'release confirmed');
  }

  return new Promise<number>((done) => {
    let stopping = false;
    let exitCode: number = EXIT.OK;
    restart = (reason) => {
      exitCode = EXIT.RESTART;
      stop(`restart: ${reason}`);
    };
    fatal.setStop((reason) => {
      exitCode = EXIT.FAILURE;
      stop(reason);
    });
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(EXIT.FAILURE);
      }
      stopping = true;
      log.info({ signal }, 'shutting down');
      notify?.stopping();
      const force = setTimeout(() => {
        log.error('shutdown timed out');
        process.exit(EXIT.FAILURE);
      }, SHUTDOWN_TIMEOUT_MS);
      force.unref();
      (async () => {
        await http.close();
        await box.stop();
      })().then(
        () => {
          log.info({ exitCode }, 'stopped');
          done(exitCode);
        },
        (err: unknown) => {
          log.error({ err: String(err) }, 'shutdown failed');
          done(EXIT.FAILURE);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
