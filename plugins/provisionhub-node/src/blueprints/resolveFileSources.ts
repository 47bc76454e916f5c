import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BlueprintEntityV1alpha1,
  ResolvedFileSource,
  normalizeFileSources,
} from '@provisionhub/plugin-provisionhub-common';

/**
 * Resolves a blueprint's `spec.files` against the location the entity was read from
 * (its `backstage.io/managed-by-location`: `file:<path>` or `url:<url>`).
 * @public
 */
export function resolveFileSources(
  entityLocation: string,
  files: BlueprintEntityV1alpha1['spec']['files'],
): ResolvedFileSource[] {
  const separator = entityLocation.indexOf(':');
  const type = entityLocation.slice(0, separator);
  const target = entityLocation.slice(separator + 1);
  return normalizeFileSources(files).map(source => {
    let location: string;
    if (type === 'file') {
      const base = target.startsWith('file:') ? fileURLToPath(target) : target;
      location = `file:${path.resolve(path.dirname(base), source.from)}`;
    } else if (type === 'url') {
      location = new URL(source.from.replace(/\/?$/, '/'), target).toString();
    } else {
      throw new Error(
        `blueprint location '${entityLocation}' has type '${type}'; only file: and url: locations can hold blueprint files`,
      );
    }
    return { location, target: source.to };
  });
}

/** @internal */
export function fileLocationToPath(location: string): string {
  const target = location.slice('file:'.length);
  return target.startsWith('//') ? fileURLToPath(`file:${target}`) : target;
}

