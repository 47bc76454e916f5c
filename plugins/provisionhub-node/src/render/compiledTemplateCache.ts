import type { CompiledTemplate } from './templateEngine';

/** How many blueprint digests keep their compiled templates. */
const MAX_BLUEPRINTS = 32;

/**
 * Compiled templates by blueprint digest, least recently used digest evicted first. A digest
 * covers every file's path and bytes, so a cached template can never be stale.
 */
const cache = new Map<string, Map<string, CompiledTemplate>>();

export function templatesFor(
  digest: string | undefined,
): Map<string, CompiledTemplate> {
  if (!digest) {
    return new Map();
  }
  let templates = cache.get(digest);
  if (templates) {
    cache.delete(digest);
  } else {
    templates = new Map();
    if (cache.size >= MAX_BLUEPRINTS) {
      cache.delete(cache.keys().next().value as string);
    }
  }
  cache.set(digest, templates);
  return templates;
}
