/** What every back-office area is built from (see backoffice/index.ts). */
import type { Logger } from 'pino';
import type { Clock } from '../../../../hal/src/clock.js';
import type { TypedEmitter } from '../../../../hal/src/events.js';
import type { EngineEvents } from '../../calls/engine-types.js';
import type { Config } from '../../config/schema.js';
import type { Database } from '../../store/db.js';
import type { BackOffice } from '../index.js';
import type { AuditLog } from './audit.js';
import type { Outbox } from './outbox.js';

export interface BackOfficeDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** A new ULID at the clock's time. */
  newId: () => string;
  audit: AuditLog;
  outbox: Outbox;
  /** The live config (read it at use, it may change). */
  config: () => Config;
  /** The call engine's events: calls ending, voicemails, agent logins (tickets from missed calls, attendance). */
  engineEvents: TypedEmitter<EngineEvents>;
  /** The file of a recording by its id (the recorder's), for QA's silence measure; absent: none. */
  recordingFile?: (recordingId: string) => string | null;
  /** The other areas, for cross-area reads (screen pop, reports). Call it at use, not at construction. */
  areas: () => BackOffice;
}
