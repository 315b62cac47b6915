/**
 * HTTPS for `callbox run`: the box's self-signed certificate (made on first boot in
 * `<data-dir>/tls/`, web-ui/server/tls/box-cert.ts) and, when HTTPS is on (`--https-port N` /
 * CALLBOX_HTTPS_PORT, else the config's `http.https`), the listen options for startHttpServer.
 * The fingerprint is logged at every start so a technician can compare it with what the browser shows.
 */
import type { Logger } from 'pino';
import type { HttpsListenOptions } from '../../web-ui/server/app.js';
import { ensureBoxCertificate } from '../../web-ui/server/tls/box-cert.js';

export interface HttpsRunOptions {
  /** null: HTTPS off. 0 picks a free port. undefined: not given (the config decides). */
  httpsPort: number | null | undefined;
  /** Redirect plain HTTP from other machines to HTTPS (never loopback). undefined: the config decides. */
  httpsRedirect: boolean | undefined;
}

/** The config's `http.https` section (firmware/src/config/schema-links.ts). */
export interface HttpsConfig {
  enabled: boolean;
  port: number;
  redirect: boolean;
}

/** Flags and environment first, then the config. */
export function effectiveHttps(o: HttpsRunOptions, config: HttpsConfig | undefined): { port: number | null; redirect: boolean } {
  const port = o.httpsPort !== undefined ? o.httpsPort : config?.enabled ? config.port : null;
  return { port, redirect: port !== null && (o.httpsRedirect ?? config?.redirect ?? false) };
}

export function httpsListenOptions(
  dataDir: string,
  o: HttpsRunOptions,
  config: HttpsConfig | undefined,
  log: Logger,
): HttpsListenOptions | undefined {
  const { port, redirect } = effectiveHttps(o, config);
  let cert: ReturnType<typeof ensureBoxCertificate>;
  try {
    cert = ensureBoxCertificate(dataDir);
  } catch (err) {
    // made on every start so its fingerprint is known before HTTPS is turned on; without HTTPS a
    // failure here (read-only or full data folder) must not stop the box
    if (port === null) {
      log.warn({ err: String(err) }, 'could not make the HTTPS certificate (HTTPS is off)');
      return undefined;
    }
    throw new Error(`HTTPS certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  log.info(
    { fingerprint256: cert.fingerprint256, validTo: cert.validTo, subjectAltName: cert.subjectAltName, created: cert.created },
    cert.created ? 'made the HTTPS certificate (self-signed)' : 'HTTPS certificate',
  );
  if (port === null) return undefined;
  return { port, keyPem: cert.keyPem, certPem: cert.certPem, fingerprint256: cert.fingerprint256, redirect };
}

/** `--https-port N|off` / CALLBOX_HTTPS_PORT and CALLBOX_HTTPS_REDIRECT (1/true/yes/on or 0/false/no/off). */
export function parseHttpsOptions(flag: string | undefined, env: NodeJS.ProcessEnv): HttpsRunOptions {
  const text = flag ?? env.CALLBOX_HTTPS_PORT;
  let httpsPort: number | null | undefined;
  if (text === 'off') httpsPort = null;
  else if (text !== undefined && text !== '') {
    httpsPort = Number(text);
    if (!Number.isInteger(httpsPort) || httpsPort < 0 || httpsPort > 65535)
      throw new Error(`https port must be 0-65535 or off, got "${text}"`);
  }
  const r = (env.CALLBOX_HTTPS_REDIRECT ?? '').toLowerCase();
  let httpsRedirect: boolean | undefined;
  if (['1', 'true', 'yes', 'on'].includes(r)) httpsRedirect = true;
  else if (['0', 'false', 'no', 'off'].includes(r)) httpsRedirect = false;
  else if (r !== '') throw new Error(`CALLBOX_HTTPS_REDIRECT must be 1 or 0, got "${env.CALLBOX_HTTPS_REDIRECT}"`);
  return { httpsPort, httpsRedirect };
}
