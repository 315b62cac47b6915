/**
 * `config/desired` (retained, cloud → device) `{version, config, restart?}` → validated with the
 * config schema and applied live through box.applyConfig (the same path as PUT /api/v1/config),
 * answered on `config/reported` (retained) `{version, status, errors, restartRequired, ts}`:
 * - `rejected`: the document is not a valid config (errors name each field) or its version is older
 *   than the one in use; nothing is written, the box keeps running on its last good config;
 * - `applied`: written and in effect for the next calls (calls in progress keep their flow);
 * - `restart-required`: written and applied live, but `restartRequired` lists the parts read only at
 *   start (hardware, SIP, …) that wait for a restart (`restart: true` in the desired document, or
 *   `cmd/reboot`, restarts the box gracefully).
 * The box's own `cloud` section is kept from the local file: a desired config cannot cut the box
 * off from the cloud.
 */
import type { Logger } from 'pino';
import type { ConfigStore } from '../config/config-store.js';
import type { ConfigIssue } from '../config/validate.js';
import type { ConfigApplyResult } from '../service/config-types.js';
import { CallboxError, isCallboxError } from '../errors.js';
import { decodeObject } from './envelope.js';
import type { CloudStateFile } from './state-file.js';

export type ReportedStatus = 'applied' | 'restart-required' | 'rejected';

export interface ConfigReport {
  version: number | null;
  status: ReportedStatus;
  errors: ConfigIssue[];
  /** JSON pointers of the parts that take effect after a restart. */
  restartRequired: string[];
  ts: string;
}

export interface ConfigSyncOptions {
  configStore: ConfigStore | null;
  state: CloudStateFile;
  log: Logger;
  now: () => number;
  report: (r: ConfigReport) => void;
  requestRestart: ((reason: string) => void) | null;
  /** Apply a config live (box.applyConfig); absent: only written, everything waits for a restart. */
  apply?: ((next: unknown) => Promise<ConfigApplyResult>) | null;
}

export class ConfigSync {
  lastReport: ConfigReport | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: ConfigSyncOptions) {}

  /** Handle one desired document (serialized: a second one waits for the first). */
  onDesired(payload: Buffer): Promise<void> {
    const run = this.chain.then(() => this.handle(payload));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private send(version: number | null, status: ReportedStatus, errors: ConfigIssue[], restartRequired: string[] = []): void {
    const r: ConfigReport = { version, status, errors, restartRequired, ts: new Date(this.o.now()).toISOString() };
    this.lastReport = r;
    this.o.report(r);
  }

  private async handle(payload: Buffer): Promise<void> {
    if (payload.length === 0) return; // a cleared retained message
    let doc: Record<string, unknown>;
    try {
      doc = decodeObject(payload, 'config/desired');
    } catch (e) {
      this.send(null, 'rejected', [{ path: '/', message: (e as Error).message }]);
      return;
    }
    const version = doc.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      this.send(null, 'rejected', [{ path: '/version', message: 'must be an integer ≥ 1' }]);
      return;
    }
    if (typeof doc.config !== 'object' || doc.config === null || Array.isArray(doc.config)) {
      this.send(version, 'rejected', [{ path: '/config', message: 'must be a config object' }]);
      return;
    }
    const st = this.o.state.get();
    if (version === st.appliedVersion) return this.send(version, 'applied', []);
    if (version === st.pendingVersion) {
      const paths = this.lastReport?.version === version ? this.lastReport.restartRequired : ['/'];
      return this.send(version, 'restart-required', [], paths);
    }
    const newest = Math.max(st.appliedVersion ?? 0, st.pendingVersion ?? 0);
    if (version < newest) {
      this.send(version, 'rejected', [{ path: '/version', message: `older than version ${newest} already in use` }]);
      return;
    }
    const store = this.o.configStore;
    if (!store) {
      this.send(version, 'rejected', [{ path: '/', message: 'this box has no writable config store' }]);
      return;
    }
    const next = { ...(doc.config as Record<string, unknown>) };
    const local = store.get().cloud;
    if (local) next.cloud = local;
    else delete next.cloud;
    let restartRequired: string[];
    try {
      if (this.o.apply) restartRequired = (await this.o.apply(next)).restartRequired;
      else {
        await store.replace(next);
        restartRequired = ['/'];
      }
    } catch (e) {
      const errors = issuesOf(e);
      this.o.log.warn({ version, errors }, 'cloud: desired config refused; the box keeps its config');
      this.send(version, 'rejected', errors);
      return;
    }
    if (restartRequired.length === 0) {
      this.o.state.setApplied(version);
      this.o.log.info({ version }, 'cloud: desired config applied');
      this.send(version, 'applied', []);
      return;
    }
    this.o.state.setPending(version);
    this.o.log.info({ version, restartRequired }, 'cloud: desired config applied; some parts wait for a restart');
    this.send(version, 'restart-required', [], restartRequired);
    if (doc.restart === true && this.o.requestRestart) this.o.requestRestart(`desired config version ${version}`);
  }
}

function issuesOf(e: unknown): ConfigIssue[] {
  if (isCallboxError(e)) {
    const d = e.details as { errors?: ConfigIssue[] } | undefined;
    if (Array.isArray(d?.errors) && d.errors.length) return d.errors;
    return [{ path: '/', message: e.message }];
  }
  return [{ path: '/', message: new CallboxError('INTERNAL', String(e)).message }];
}
