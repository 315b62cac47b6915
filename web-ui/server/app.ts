/**
 * The web server: a Koa app over the box's typed service API (BoxService), and a helper that runs it
 * on a plain HTTP server (and, when enabled, on HTTPS beside it: the same app on its own port).
 * Middleware order: request log → security headers → HTTPS redirect → errors → routes.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { BoxService } from '../../firmware/src/service/types.js';
import { errorHandler } from './middleware/error-handler.js';
import { durableAcks } from './middleware/durable-acks.js';
import { DEFAULT_JSON_LIMIT } from './middleware/json-body.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { acdRoutes } from './routes/acd.js';
import { authRoutes } from './routes/auth.js';
import { recordingsRoutes } from './routes/recordings.js';
import { callsRoutes } from './routes/calls.js';
import { callControlRoutes } from './routes/call-control.js';
import { dispositionsRoutes } from './routes/dispositions.js';
import { monitorRoutes } from './routes/monitor.js';
import { healthRoutes } from './routes/health.js';
import { kpiRoutes } from './routes/kpis.js';
import { metricsRoutes } from './routes/metrics.js';
import { simRoutes } from './routes/sim.js';
import { smsRoutes } from './routes/sms.js';
import { voicemailRoutes } from './routes/voicemail.js';
import { customersRoutes } from './routes/customers.js';
import { ticketsRoutes } from './routes/tickets.js';
import { kbRoutes } from './routes/kb.js';
import { productsRoutes } from './routes/products.js';
import { promptsRoutes } from './routes/prompts.js';
import { backupRoutes } from './routes/backup.js';
import { firmwareRoutes } from './routes/firmware.js';
import { setupSipRoutes } from './routes/setup-sip.js';
import { ordersRoutes } from './routes/orders.js';
import { salesRoutes } from './routes/sales.js';
import { financeRoutes } from './routes/finance.js';
import { followupsRoutes } from './routes/followups.js';
import { reportsRoutes } from './routes/reports.js';
import { selfServiceRoutes } from './routes/selfservice.js';
import { qaRoutes } from './routes/qa.js';
import { setupRoutes } from './routes/setup.js';
import { auditRoutes } from './routes/audit.js';
import { configRoutes } from './routes/config.js';
import { eventsRoutes } from './routes/events.js';
import { usersRoutes } from './routes/users.js';
import { staticFiles } from './static.js';
import { type HttpsInfo, httpsRedirect } from './https.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, LoginLimiter } from './auth/login-limiter.js';
import { LiveHub, type LiveHubOptions } from './live/hub.js';
import type { AppState, RouteDeps } from './state.js';

export interface AppOptions {
  service: BoxService;
  log: Logger;
  /** Largest JSON request body, in bytes. Default 64 KiB. */
  jsonLimit?: number;
  /** Folder of the browser app's static files (served at /), if any. */
  staticDir?: string;
  /** Login lockout thresholds (tests shorten them). */
  loginLimits?: Partial<LoginLimits>;
  /** The clock of the login limiter (tests move it). */
  now?: () => number;
  /** The live stream's timings and buffer bound. */
  live?: LiveHubOptions;
  /** HTTPS beside HTTP (health shows the fingerprint; the redirect and HSTS follow it). */
  https?: () => HttpsInfo | null;
  /**
   * Resolves once the box's commits are on the storage (Box.durable): a successful write is
   * answered after it (middleware/durable-acks.ts). Absent: answered at once (tests of the app alone).
   */
  durable?: () => Promise<void>;
}

/** HTTPS on its own port with the box's certificate (web-ui/server/tls/box-cert.ts). */
export interface HttpsListenOptions {
  port: number;
  /** Default: the HTTP host. */
  host?: string;
  keyPem: string;
  certPem: string;
  fingerprint256: string;
  /** Redirect plain-HTTP requests from other machines to HTTPS (loopback never). Default false. */
  redirect?: boolean;
}

export interface HttpServerOptions extends AppOptions {
  /** 0 picks a free port; the real one is returned. */
  port: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** How long close() lets in-flight requests finish before cutting connections. Default 1000 ms. */
  closeGraceMs?: number;
  /** Also serve HTTPS (same app, own port). */
  tls?: HttpsListenOptions;
}

export interface HttpServerHandle {
  server: http.Server;
  port: number;
  /** The HTTPS server and its port, when `tls` was given. */
  httpsServer?: https.Server;
  httpsPort?: number;
  /** Stops listening, closes idle keep-alive connections now and the rest after the grace period. */
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): Koa<AppState> {
  return createAppWithHub(opts).app;
}

function createAppWithHub(opts: AppOptions): { app: Koa<AppState>; live: LiveHub } {
  const { service, log } = opts;
  const app = new Koa<AppState>();
  const router = new Router<AppState>();
  const limiter = new LoginLimiter({ ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits }, opts.now);
  const live = new LiveHub(service, opts.live);
  const deps: RouteDeps = {
    service,
    jsonLimit: opts.jsonLimit ?? DEFAULT_JSON_LIMIT,
    limiter,
    live,
    https: opts.https ?? (() => null),
  };
  healthRoutes(router, deps);
  metricsRoutes(router, deps);
  authRoutes(router, deps);
  setupRoutes(router, deps);
  usersRoutes(router, deps);
  eventsRoutes(router, deps);
  callsRoutes(router, deps);
  callControlRoutes(router, deps);
  dispositionsRoutes(router, deps);
  monitorRoutes(router, deps);
  acdRoutes(router, deps);
  recordingsRoutes(router, deps);
  voicemailRoutes(router, deps);
  kpiRoutes(router, deps);
  simRoutes(router, deps);
  smsRoutes(router, deps);
  customersRoutes(router, deps);
  ticketsRoutes(router, deps);
  kbRoutes(router, deps);
  productsRoutes(router, deps);
  ordersRoutes(router, deps);
  salesRoutes(router, deps);
  financeRoutes(router, deps);
  followupsRoutes(router, deps);
  reportsRoutes(router, deps);
  selfServiceRoutes(router, deps);
  qaRoutes(router, deps);
  auditRoutes(router, deps);
  configRoutes(router, deps);
  promptsRoutes(router, deps);
  backupRoutes(router, deps);
  firmwareRoutes(router, deps);
  setupSipRoutes(router, deps);

  app.use(requestLog(log));
  app.use(securityHeaders());
  app.use(httpsRedirect(deps.https));
  app.use(errorHandler(log));
  app.use(durableAcks(opts.durable));
  if (opts.staticDir) app.use(staticFiles(opts.staticDir));
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Errors past the error handler (e.g. a response stream failing): log instead of Koa's stderr dump.
  app.on('error', (err: unknown) => log.error({ err }, 'http server error'));
  return { app, live };
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls;
  let httpsInfo: HttpsInfo | null = null;
  const { app, live } = createAppWithHub({ ...opts, https: () => httpsInfo });
  const timeouts = { requestTimeout: 60_000, headersTimeout: 20_000 };
  const server = http.createServer(timeouts, app.callback());
  const port = await listen(server, opts.port, host);
  opts.log.info({ host, port }, 'http server listening');
  let httpsServer: https.Server | undefined;
  let httpsPort: number | undefined;
  if (tls) {
    httpsServer = https.createServer({ ...timeouts, key: tls.keyPem, cert: tls.certPem, minVersion: 'TLSv1.2' }, app.callback());
    try {
      httpsPort = await listen(httpsServer, tls.port, tls.host ?? host);
    } catch (err) {
      server.close();
      throw err;
    }
    httpsInfo = { port: httpsPort, fingerprint256: tls.fingerprint256, redirect: tls.redirect === true };
    opts.log.info(
      { host: tls.host ?? host, port: httpsPort, fingerprint256: tls.fingerprint256, redirect: httpsInfo.redirect },
      'https server listening',
    );
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    live.close(); // event streams never go idle: end them first
    closing ??= Promise.all([server, ...(httpsServer ? [httpsServer] : [])].map((s) => closeServer(s, opts.closeGraceMs ?? 1000))).then(
      () => undefined,
    );
    return closing;
  };
  return { server, port, ...(httpsServer ? { httpsServer, httpsPort } : {}), close };
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stop listening, drop idle keep-alive connections now and cut the rest after the grace period. */
function closeServer(server: http.Server | https.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close((err) => {
      clearTimeout(cut);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
