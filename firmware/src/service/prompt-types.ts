/** Voice prompts (语音提示) as the setup page manages them: the service contract. */
import type { Actor } from '../backoffice/common/types.js';

export type PromptLanguage = 'zh-CN' | 'en';
export const PROMPT_LANGUAGES: readonly PromptLanguage[] = ['zh-CN', 'en'];
/** A prompt's name: what the config's `prompt` fields hold (lower case, digits, dashes). */
export const PROMPT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Largest upload the box converts (bytes). */
export const PROMPT_UPLOAD_MAX = 8 * 1024 * 1024;
/** Longest text spoken by TTS (characters). */
export const PROMPT_TTS_MAX = 500;

export interface PromptInfo {
  language: PromptLanguage;
  name: string;
  /** The shop's own recording is in use (else the built-in one). */
  custom: boolean;
  /** A built-in prompt of that name exists (revert goes back to it). */
  builtIn: boolean;
  /** Length of the prompt in use, seconds (8 kHz 16-bit mono WAV). */
  durationS: number | null;
}

export interface PromptsService {
  /** Every prompt, built-in and the shop's own, by language then name. */
  list(): PromptInfo[];
  /** The WAV in use, or null. NOT_FOUND-free: the route says 404. */
  audio(language: string, name: string): Buffer | null;
  /**
   * Replace a prompt by an uploaded WAV/MP3/OGG/… file: converted on the box to 8 kHz 16-bit mono
   * WAV (ffmpeg). VALIDATION_FAILED (field `language` / `name` / `file`: not audio, empty, longer
   * than 5 minutes), PAYLOAD_TOO_LARGE over PROMPT_UPLOAD_MAX. Audited (prompt.upload).
   */
  upload(actor: Actor, language: string, name: string, data: Buffer, source: 'upload' | 'recording'): Promise<PromptInfo>;
  /** Speak `text` with espeak-ng (zh-CN: Mandarin, en) into the prompt (8 kHz mono WAV). Audited (prompt.tts). */
  tts(actor: Actor, language: string, name: string, text: string): Promise<PromptInfo>;
  /** Back to the built-in prompt: NOT_FOUND when the shop has no own recording of it. Audited (prompt.revert). */
  revert(actor: Actor, language: string, name: string): PromptInfo | null;
}
