/**
 * The lifecycle every module shares: the constructor only stores collaborators; start() and stop()
 * do the work. The runner starts modules in order and stops them in reverse; a module that fails
 * to start is reported (health shows it, the box runs "degraded") and its neighbours carry on,
 * unless it is marked essential, in which case start-up fails.
 */
import type { Logger } from 'pino';
import type { ModuleStatus } from './service/types.js';

export interface Module {
  readonly name: string;
  /** An essential module's failure stops start-up (the records store, the config). */
  readonly essential?: boolean;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export class ModuleRunner {
  private readonly status = new Map<string, ModuleStatus>();
  private started: Module[] = [];

  constructor(
    private readonly modules: Module[],
    private readonly log: Logger,
  ) {
    for (const m of modules) this.status.set(m.name, { name: m.name, state: 'stopped' });
  }

  async start(): Promise<void> {
    for (const m of this.modules) {
      this.status.set(m.name, { name: m.name, state: 'starting' });
      try {
        await m.start();
        this.started.push(m);
        this.status.set(m.name, { name: m.name, state: 'running' });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.status.set(m.name, { name: m.name, state: 'failed', error: message });
        this.log.error({ module: m.name, err: message }, 'module failed to start');
        if (m.essential) {
          await this.stop();
          throw err;
        }
      }
    }
  }

  async stop(): Promise<void> {
    for (const m of this.started.reverse()) {
      try {
        await m.stop();
        this.status.set(m.name, { name: m.name, state: 'stopped' });
      } catch (err) {
        this.log.error({ module: m.name, err: String(err) }, 'module failed to stop');
      }
    }
    this.started = [];
  }

  statuses(): ModuleStatus[] {
    return [...this.status.values()];
  }

  /** Mark a running module as failed (e.g. a driver reports its hardware gone). */
  fail(name: string, error: string): void {
    this.status.set(name, { name, state: 'failed', error });
  }
}
