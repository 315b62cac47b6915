/**
 * Plugs the USB provisioning agent (provisioning/) into a Box: the host adapter over the box's
 * config store, auth and database, and the module factory box.ts takes as `extraModules`. The
 * port comes from CALLBOX_PROVISION_PORT or the config's `provisioning` section.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import type { Box } from '../../firmware/src/box.js';
import type { ConfigStore } from '../../firmware/src/config/config-store.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import type { Module } from '../../firmware/src/modules.js';
import { type AgentOptions, ProvisionAgent } from '../../provisioning/src/agent/agent.js';
import type { ProvisionHost } from '../../provisioning/src/agent/host.js';
import { WIFI_KEYFILE, connectionsDir } from '../../provisioning/src/agent/network.js';
import { nodeSerial } from '../../hal/src/serial-node.js';

const run = promisify(execFile);

export function provisionHost(
  ctx: { box: Box; db: Database; configStore: ConfigStore },
  opts: { dataDir: string; version: string; now: () => number },
): ProvisionHost {
  const { box, db, configStore } = ctx;
  return {
    version: opts.version,
    dataDir: opts.dataDir,
    now: opts.now,
    channels: () => box.channels().map((c) => ({ id: c.id, kind: c.kind, state: c.state })),
    config: () => structuredClone(configStore.get()) as unknown as Record<string, unknown>,
    replaceConfig: async (next) => {
      await configStore.replace(next);
    },
    setOwnerPassword: async (password) => {
      const owner = box.auth.listUsers().find((u) => u.role === 'owner' && !u.disabled);
      if (owner) await box.auth.updateUser(owner.username, { password });
      else await box.auth.addUser({ username: 'owner', role: 'owner', password });
    },
    checkDatabase: () => {
      try {
        const r = db.prepare('PRAGMA quick_check').get() as { quick_check: string };
        return { ok: r.quick_check === 'ok', detail: `quick_check: ${r.quick_check}` };
      } catch (e) {
        return { ok: false, detail: (e as Error).message };
      }
    },
  };
}

export interface ProvisionWiring {
  /** Absent: CALLBOX_PROVISION_PORT from `env`, else the config's provisioning section, else no agent. */
  port?: string;
  env?: Record<string, string | undefined>;
  baudRate?: number;
  netRoot?: string;
  requestRestart?: (reason: string) => void;
  /** Set the clock with `date` (the box runs as a service with CAP_SYS_TIME); off with --sim and in tests. */
  systemTime?: boolean;
  agentOptions?: Partial<AgentOptions>;
  log?: AgentOptions['log'];
  onAgent?: (agent: ProvisionAgent) => void;
}

/**
 * Applies the NetworkManager keyfiles the agent wrote (network.set with apply, Improv Wi-Fi):
 * `nmcli connection reload`, then brings each callbox-* connection whose keyfile exists up (Wi-Fi
 * first), waiting up to `waitS` for it; throws with nmcli's message when one does not come up
 * (Improv then answers "unable to connect" and puts the previous settings back).
 */
export function nmcliApply(dir: string, waitS = 45, nmcli = 'nmcli'): () => Promise<void> {
  return async () => {
    await run(nmcli, ['connection', 'reload']);
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => /^callbox-[a-z0-9]+\.nmconnection$/.test(f)) : [];
    names.sort((a, b) => (a === WIFI_KEYFILE ? -1 : b === WIFI_KEYFILE ? 1 : a.localeCompare(b)));
    for (const f of names) {
      try {
        await run(nmcli, ['--wait', String(waitS), 'connection', 'up', 'id', f.replace(/\.nmconnection$/, '')]);
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`nmcli connection up ${f}: ${(e.stderr || e.message).trim()}`);
      }
    }
  };
}

/** The port to listen on: env first, then the config section; null = no agent. */
export function provisionPort(
  config: { provisioning?: { enabled: boolean; port: string; baudRate?: number } },
  env: Record<string, string | undefined>,
): { port: string; baudRate?: number } | null {
  const fromEnv = env.CALLBOX_PROVISION_PORT;
  if (fromEnv) return { port: fromEnv, ...(config.provisioning?.baudRate ? { baudRate: config.provisioning.baudRate } : {}) };
  const p = config.provisioning;
  return p?.enabled ? { port: p.port, ...(p.baudRate ? { baudRate: p.baudRate } : {}) } : null;
}

/** `extraModules` for Box.open: the agent as a non-essential module. */
export function provisionModules(w: ProvisionWiring, opts: { dataDir: string; version: string; now: () => number }) {
  return (ctx: { box: Box; db: Database; configStore: ConfigStore | null }): Module[] => {
    if (!ctx.configStore) return [];
    const where = w.port ? { port: w.port, ...(w.baudRate ? { baudRate: w.baudRate } : {}) } : provisionPort(ctx.box.config, w.env ?? {});
    if (!where) return [];
    const host = provisionHost({ ...ctx, configStore: ctx.configStore }, opts);
    if (w.systemTime) host.setSystemTime = async (ms) => void (await run('date', ['-u', '-s', `@${Math.floor(ms / 1000)}`]));
    if (w.requestRestart) host.requestRestart = w.requestRestart;
    // On the box (not --sim, not tests) the keyfiles are applied through NetworkManager.
    const applyNetwork = w.systemTime ? nmcliApply(connectionsDir(w.netRoot ?? '/')) : undefined;
    const configStore = ctx.configStore;
    const agent = new ProvisionAgent({
      host,
      serial: nodeSerial,
      port: where.port,
      ...(where.baudRate ? { baudRate: where.baudRate } : {}),
      ...(w.netRoot ? { netRoot: w.netRoot } : {}),
      ...(w.log ? { log: w.log } : {}),
      ...(applyNetwork ? { applyNetwork } : {}),
      factoryReset: async () => {
        await configStore.replace(defaultConfig());
        // the owner and every session go: the next start prints a fresh one-time setup code
        ctx.db.transaction(() => {
          ctx.db.prepare('DELETE FROM tokens').run();
          ctx.db.prepare('DELETE FROM users').run();
        })();
      },
      ...w.agentOptions,
    });
    w.onAgent?.(agent);
    return [agent];
  };
}
