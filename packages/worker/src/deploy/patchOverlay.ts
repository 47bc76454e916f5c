import { isMap, isSeq, parseDocument } from 'yaml';
import { PermanentError } from '../errors';

/**
 * An environment overlay's `kustomization.yaml` with the environment's namespace and the
 * version to deploy: `namespace` is set, and the `images` entry of `image` gets `newTag`
 * (added when the overlay has none). Everything else, comments included, stays as rendered.
 */
export function patchOverlayKustomization(
  text: string,
  file: string,
  change: { namespace?: string; image?: string; version?: string },
): string {
  const document = parseDocument(text);
  const [error] = document.errors;
  if (error) {
    throw new PermanentError(
      `${file} is not valid YAML: ${error.message.split('\n')[0]}`,
    );
  }
  if (!isMap(document.contents)) {
    throw new PermanentError(`${file} must be a Kustomization mapping`);
  }
  if (change.namespace) {
    document.set('namespace', change.namespace);
  }
  if (change.image && change.version) {
    const images = document.get('images');
    if (images !== undefined && !isSeq(images)) {
      throw new PermanentError(`${file}: images must be a list`);
    }
    const entry = isSeq(images)
      ? images.items.find(
          item => isMap(item) && item.get('name') === change.image,
        )
      : undefined;
    if (isMap(entry)) {
      entry.set('newTag', change.version);
    } else {
      const item = document.createNode({
        name: change.image,
        newTag: change.version,
      });
      if (isSeq(images)) {
        images.add(item);
      } else {
        document.set('images', document.createNode([item]));
      }
    }
  }
  return document.toString();
}
