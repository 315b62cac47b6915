/** The building blocks every part of the config schema shares (schema.ts, schema-links.ts). */
import { Type } from '@sinclair/typebox';

/** Ids of lines' menus, agents, queues, menus and channels. */
export const ID_PATTERN = '^[a-z][a-z0-9_-]{0,31}$';
/** Keys a caller can press in a menu. */
export const MENU_KEY_PATTERN = '^[0-9*#]$';
/** Prompt names become file names: no dots, no slashes. */
export const PROMPT_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';

export const Id = Type.String({ pattern: ID_PATTERN });
export const Name = Type.String({ minLength: 1, maxLength: 80 });
export const Strict = { additionalProperties: false } as const;
