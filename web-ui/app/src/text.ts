/**
 * The app's strings in zh-CN and en (pure data: no DOM, so tests read it too) and the duration
 * format. The app itself (i18n.ts) takes zh-CN from text-zh.ts in its first load and English from
 * text-en.ts only when it is chosen.
 */
import { en } from './text-en.js';
import { type Lang, LANGS, fmtDuration } from './text-common.js';
import { type Key, zh } from './text-zh.js';

export { en, fmtDuration, type Key, type Lang, LANGS, zh };

export const DICTIONARIES: Record<Lang, Record<Key, string>> = { 'zh-CN': zh, en };
