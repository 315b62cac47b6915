/**
 * Voicemail's life in the box: at start (before calls), finish the messages a crash left open; at
 * stop, end the sessions still going (their messages are saved if long enough) and let the files
 * settle.
 */
import type { Logger } from 'pino';
import type { Module } from '../modules.js';
import type { VoicemailBox } from './voicemail-box.js';

export class VoicemailModule implements Module {
  readonly name = 'voicemail';

  constructor(
    private readonly voicemail: VoicemailBox,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const r = await this.voicemail.repairOnStart();
    if (r.saved || r.discarded || r.missing) this.log.warn(r, 'voicemails left open by an unclean stop were repaired');
  }

  async stop(): Promise<void> {
    await this.voicemail.shutdown();
  }
}
