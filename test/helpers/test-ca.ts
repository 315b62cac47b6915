/**
 * A throwaway certificate authority for tests and benches (openssl, EC P-256): the technician's CA
 * that signs a box's cloud certificate in the provisioning tests (unit agent.test.ts, integration
 * provision.test.ts) and the field bench.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface Ca {
  cert: string;
  key: string;
}

/** A self-signed CA in `dir` (ca.crt, ca.key). */
export function makeCa(dir: string, subject = '/CN=callbox test CA', days = 30): Ca {
  const cert = join(dir, 'ca.crt');
  const key = join(dir, 'ca.key');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert];
  execFileSync('openssl', [...args, '-subj', subject, '-days', String(days)], { stdio: 'ignore' });
  return { cert, key };
}
