/**
 * What the agent needs from the box, as plain data and callbacks. images/cli builds it from a Box
 * (the firmware never imports provisioning/), tests build it from a virtual box.
 */
export interface ChannelInfo {
  id: string;
  kind: string;
  state: string;
}

export interface ProvisionHost {
  version: string;
  dataDir: string;
  now(): number;
  channels(): ChannelInfo[];
  /** The current config document (a copy). */
  config(): Record<string, unknown>;
  /** Validate the whole document and write it atomically (ConfigStore.replace); throws CONFIG_INVALID with errors. */
  replaceConfig(next: Record<string, unknown>): Promise<void>;
  /** Create the owner account or set its password (through the auth service); VALIDATION_FAILED for a weak one. */
  setOwnerPassword(password: string): Promise<void>;
  /** A trivial query against the records database. */
  checkDatabase(): { ok: boolean; detail: string };
  /** Set the system clock (absent: the agent only reports the skew). */
  setSystemTime?(ms: number): Promise<void>;
  /** Graceful restart (the service manager starts the box again). */
  requestRestart?(reason: string): void;
}
