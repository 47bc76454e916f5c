import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWithinLocation } from './confinement';
import {
  BlueprintEntityV1alpha1,
  ResolvedFileSource,
  normalizeFileSources,
} from '@provisionhub/plugin-provisionhub-common';

/**
 * How `resolveFileSources` confines a blueprint's sources.
 * @public
 */
export interface ResolveFileSourcesOptions {
  /**
   * When given, every source must stay inside the blueprint's own folder (the folder of the
   * entity file) or inside one of these shared folders (resolved locations: `file:/abs/path` or
   * a URL), or resolving throws an error naming the `spec.files` entry.
   */
  sharedFolders?: readonly string[];
}

/**
 * The folder of a blueprint entity file, as a resolved location (`file:/abs/path` or a URL
 * ending in `/`).
 * @public
 */
export function blueprintFolderOf(entityLocation: string): string {
  return resolveFileSources(entityLocation, './')[0].location;
}

/**
 * Resolves a blueprint's `spec.files` against the location the entity was read from
 * (its `backstage.io/managed-by-location`: `file:<path>` or `url:<url>`).
 * @public
 */
export function resolveFileSources(
  entityLocation: string,
  files: BlueprintEntityV1alpha1['spec']['files'],
  options: ResolveFileSourcesOptions = {},
): ResolvedFileSource[] {
  const separator = entityLocation.indexOf(':');
  const type = entityLocation.slice(0, separator);
  const target = entityLocation.slice(separator + 1);
  const sources = normalizeFileSources(files);
  const resolved = sources.map(source => {
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
  if (options.sharedFolders) {
    const own = blueprintFolderOf(entityLocation);
    resolved.forEach(({ location }, index) => {
      const allowed = [own, ...options.sharedFolders!].some(root =>
        isWithinLocation(location, root),
      );
      if (!allowed) {
        const field =
          typeof files === 'string'
            ? 'spec.files'
            : `spec.files[${index}].from`;
        throw new Error(
          `${field} '${sources[index].from}' leaves the blueprint's folder: files must come from inside it, or from a shared folder named in provisionhub.blueprints.sharedFolders`,
        );
      }
    });
  }
  return resolved;
}

/** @internal */
export function fileLocationToPath(location: string): string {
  const target = location.slice('file:'.length);
  return target.startsWith('//') ? fileURLToPath(`file:${target}`) : target;
}
