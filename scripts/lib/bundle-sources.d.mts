// Types of scripts/lib/bundle-sources.mjs for the TypeScript tests.
export const BUNDLE_CACHE: string;
export function bundleSources(
  entries: Record<string, string[] | '*'>,
  options?: { name?: string; external?: string[] | true },
): Promise<Record<string, unknown>>;
