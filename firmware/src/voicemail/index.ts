/** Voicemail: what the call engine and the composition root use. */
export type {
  ListVoicemailQuery,
  StopCause,
  TakeOptions,
  TakeResult,
  VoicemailInfo,
  VoicemailLanguage,
  VoicemailPhase,
  VoicemailReason,
  VoicemailSession,
  VoicemailState,
} from './types.js';
export { boxSettings, DEFAULT_GREETING, VoicemailBox, type VoicemailBoxOptions } from './voicemail-box.js';
export { VoicemailModule } from './voicemail-module.js';
