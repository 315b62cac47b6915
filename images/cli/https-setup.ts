/**
 * HTTPS for `callbox run`: the box's self-signed certificate (made on first boot in
 * `<data-dir>/tls/`, web-ui/server/tls/box-cert.ts) and, when HTTPS is on (`--https-port N` /
 * CALLBOX_HTTPS_PORT), the listen options for startHttpServer. The fingerprint is logged at every
 * start so a technician can compare it with what the browser shows.
 */
import type { Logger } from 'pino';
import type { HttpsListenOptions } from '../../web-ui/server/app.js';
import { ensureBoxCertificate } from '../../web-ui/server/tls/box-cert.js';

export interface HttpsRunOptions {
  /** null: HTTPS off. 0 picks a free port. */
  httpsPort: number | null;
  /** Redirect plain HTTP from other machines to HTTPS (never loopback). */
  httpsRedirect: boolean;
}

export function httpsListenOptions(dataDir: string, o: HttpsRunOptions, log: Logger): HttpsListenOptions | undefined {
  const cert = ensureBoxCertificate(dataDir);
  log.info(
    { fingerprint256: cert.fingerprint256, validTo: cert.validTo, subjectAltName: cert.subjectAltName, created: cert.created },
    cert.created ? 'made the HTTPS certificate (self-signed)' : 'HTTPS certificate',
  );
  if (o.httpsPort === null) return undefined;
  return { port: o.httpsPort, keyPem: cert.keyPem, certPem: cert.certPem, fingerprint256: cert.fingerprint256, redirect: o.httpsRedirect };
}

/** `--https-port` / CALLBOX_HTTPS_PORT and CALLBOX_HTTPS_REDIRECT (1/true/yes). */
export function parseHttpsOptions(flag: string | undefined, env: NodeJS.ProcessEnv): HttpsRunOptions {
  const text = flag ?? env.CALLBOX_HTTPS_PORT;
  let httpsPort: number | null = null;
  if (text !== undefined && text !== '' && text !== 'off') {
    httpsPort = Number(text);
    if (!Number.isInteger(httpsPort) || httpsPort < 0 || httpsPort > 65535) throw new Error(`https port must be 0-65535, got "${text}"`);
  }
  const r = (env.CALLBOX_HTTPS_REDIRECT ?? '').toLowerCase();
  const httpsRedirect = r === '1' || r === 'true' || r === 'yes' || r === 'on';
  if (httpsRedirect && httpsPort === null) throw new Error('CALLBOX_HTTPS_REDIRECT needs HTTPS on (--https-port or CALLBOX_HTTPS_PORT)');
  return { httpsPort, httpsRedirect };
}
