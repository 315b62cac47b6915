/**
 * A whole provisioning run from a profile (one JSON file for many boxes; docs/provisioning.md,
 * "Profile file"): hello → authenticate → device id → time → network → owner password → shop
 * profile (uploaded as a bundle) → cloud (CSR signed by the technician's CA) → self-test → logs.
 * Every step lands in the report, with its time and error; the run stops at the first failure.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProvisionError } from '../protocol/messages.js';
import type { ProvisionClient } from './client.js';
import { type Progress, download, upload } from './transfer.js';

const run = promisify(execFile);

export interface ProfileFile {
  deviceId?: string;
  /** true: send this computer's clock; a zone name sets shop.timezone too. */
  time?: boolean;
  timezone?: string;
  network?: Record<string, unknown>;
  ownerPassword?: string;
  /** Config sections (shop, lines, agents, queues, ivr, …) or a path to a JSON file of them. */
  profile?: Record<string, unknown> | string;
  cloud?: { url: string; ca?: string; signer?: { cert: string; key: string; days?: number } };
  selftest?: boolean;
  /** Folder to download the box's logs into. */
  logs?: string;
}

export interface StepReport {
  step: string;
  ok: boolean;
  ms: number;
  result?: unknown;
  error?: { code: string; message: string; details?: unknown };
}

export interface RunReport {
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  box: Record<string, unknown> | null;
  steps: StepReport[];
}

export interface RunOptions {
  code: string;
  /** For relative paths in the profile. */
  baseDir?: string;
  progress?: (step: string) => Progress;
  say?: (line: string) => void;
}

export async function runProfile(c: ProvisionClient, p: ProfileFile, o: RunOptions): Promise<RunReport> {
  const report: RunReport = { ok: false, startedAt: new Date().toISOString(), finishedAt: '', box: null, steps: [] };
  const path = (f: string): string => (o.baseDir && !f.startsWith('/') ? join(o.baseDir, f) : f);
  const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
    const t0 = Date.now();
    o.say?.(`… ${name}`);
    try {
      const result = await fn();
      report.steps.push({ step: name, ok: true, ms: Date.now() - t0, ...(result === undefined ? {} : { result }) });
    } catch (e) {
      const err =
        e instanceof ProvisionError
          ? { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) }
          : { code: 'INTERNAL', message: (e as Error).message };
      report.steps.push({ step: name, ok: false, ms: Date.now() - t0, error: err });
      throw e;
    }
  };
  try {
    await step('hello', async () => {
      report.box = await c.hello();
      report.box = await c.request('info');
      o.say?.(
        `  box ${String(report.box.serial)} (firmware ${String((report.box.versions as { firmware?: string } | undefined)?.firmware)}, device id ${String(report.box.deviceId ?? 'not set')})`,
      );
      return { version: c.version };
    });
    await step('authenticate', () => c.authenticate(o.code));
    if (p.deviceId) await step('device', () => c.request('device.set', { deviceId: p.deviceId }));
    if (p.time || p.timezone)
      await step('time', () => c.request('time.set', { epochMs: Date.now(), ...(p.timezone ? { timezone: p.timezone } : {}) }));
    if (p.network) await step('network', () => c.request('network.set', p.network ?? {}));
    if (p.ownerPassword) await step('owner', () => c.request('owner.password', { password: p.ownerPassword }));
    if (p.profile) {
      await step('profile', async () => {
        const bytes = typeof p.profile === 'string' ? readFileSync(path(p.profile)) : Buffer.from(JSON.stringify(p.profile));
        const sha256 = await upload(c, 'profile.json', bytes, o.progress ? { progress: o.progress('profile') } : {});
        return c.request('profile.apply', { upload: sha256 }, { timeoutMs: 15_000 });
      });
    }
    const cloud = p.cloud;
    if (cloud) {
      await step('cloud', async () => {
        const ca = cloud.ca ? readFileSync(path(cloud.ca), 'utf8') : undefined;
        let cert: string | undefined;
        if (cloud.signer) {
          const { csr } = (await c.request('cloud.csr', {}, { timeoutMs: 15_000 })) as { csr: string };
          cert = await signCsr(csr, { cert: path(cloud.signer.cert), key: path(cloud.signer.key), days: cloud.signer.days ?? 3650 });
        }
        return c.request('cloud.set', { url: cloud.url, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}) });
      });
    }
    if (p.selftest !== false) {
      await step('selftest', async () => {
        const r = await c.request('selftest', {}, { timeoutMs: 30_000 });
        if (r.ok !== true) throw new ProvisionError('INTEGRITY', 'self-test failed', r);
        return r;
      });
    }
    if (p.logs) {
      const dir = path(p.logs);
      await step('logs', async () => {
        const { files } = (await c.request('logs.list')) as { files: { name: string }[] };
        for (const f of files) await download(c, f.name, join(dir, f.name), o.progress ? { progress: o.progress(`logs ${f.name}`) } : {});
        return { files: files.length };
      });
    }
    report.ok = true;
  } catch {
    report.ok = false;
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

/** Sign a CSR with the technician's CA (openssl x509 -req); returns the PEM certificate. */
export async function signCsr(csr: string, ca: { cert: string; key: string; days: number }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-csr-'));
  try {
    writeFileSync(join(dir, 'req.csr'), csr);
    const { stdout } = await run('openssl', [
      'x509',
      '-req',
      '-in',
      join(dir, 'req.csr'),
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-days',
      String(ca.days),
      '-set_serial',
      `0x${Date.now().toString(16)}`,
      '-sha256',
    ]);
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
