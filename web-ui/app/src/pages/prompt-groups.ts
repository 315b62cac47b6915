/**
 * 语音提示 grouped by use (setup-prompts.tsx): the built-in prompts' names say what plays them
 * (queue-…, order-…, fc-…), so the long list is shown in groups, and a search narrows it by name
 * or by the group's label. Pure functions, tested in test/unit/web-ui/prompt-groups.test.ts.
 */
export type PromptGroup = 'ivr' | 'queue' | 'callback' | 'order' | 'code' | 'survey' | 'phone' | 'speech' | 'own';

/** The groups in the order the page shows them; `own`: names the shop made or no rule knows. */
export const PROMPT_GROUPS: readonly PromptGroup[] = ['ivr', 'queue', 'callback', 'order', 'code', 'survey', 'phone', 'speech', 'own'];

const RULES: readonly [RegExp, PromptGroup][] = [
  [/^(welcome|closed|goodbye|invalid|no-input|language|consent)$/, 'ivr'],
  [/^(queue-|mobile-whisper$)/, 'queue'],
  [/^(callback-|voicemail-)/, 'callback'],
  [/^(order-|carrier-|lookup-|enter-order-number$)/, 'order'],
  [/^(code-|enter-code$|where-to-buy-)/, 'code'],
  [/^survey(-|$)/, 'survey'],
  [/^fc-/, 'phone'],
  [/^(num-|month-|day-suffix$)/, 'speech'],
];

export function promptGroup(name: string): PromptGroup {
  for (const [re, g] of RULES) if (re.test(name)) return g;
  return 'own';
}

/** The group's text key (text/setup-admin.ts). */
export const groupLabel = (g: PromptGroup): `prompts.group.${PromptGroup}` => `prompts.group.${g}`;

/**
 * The prompts matching `query` (case-insensitive, in the name or the group's label as `label`
 * gives it), in groups in PROMPT_GROUPS order, each sorted by name; empty groups are left out.
 */
export function groupPrompts<T extends { name: string }>(
  prompts: readonly T[],
  query: string,
  label: (g: PromptGroup) => string,
): { group: PromptGroup; prompts: T[] }[] {
  const q = query.trim().toLowerCase();
  const out = new Map<PromptGroup, T[]>();
  for (const p of prompts) {
    const g = promptGroup(p.name);
    if (q !== '' && !p.name.toLowerCase().includes(q) && !label(g).toLowerCase().includes(q)) continue;
    out.set(g, [...(out.get(g) ?? []), p]);
  }
  return PROMPT_GROUPS.filter((g) => out.has(g)).map((g) => ({
    group: g,
    prompts: (out.get(g) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}
