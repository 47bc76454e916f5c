import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** @public */
export type OwnerRefResult =
  | { ok: true; ref: string }
  | { ok: false; message: string };

/**
 * Checks the owner of a system or component and gives its full entity ref: a bare name means a
 * group (`payments` becomes `group:default/payments`); only groups and users can own.
 * The message completes a sentence that starts with the field name.
 * @public
 */
export function parseOwnerRef(owner: unknown): OwnerRefResult {
  if (typeof owner !== 'string' || owner.trim() === '') {
    return {
      ok: false,
      message:
        'is required: the entity ref of the owning group or user, e.g. group:default/payments',
    };
  }
  let ref;
  try {
    ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (e) {
    return {
      ok: false,
      message: `must be an entity ref such as group:default/payments: ${
        (e as Error).message
      }`,
    };
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') {
    return {
      ok: false,
      message: `must be a group or a user, not an entity of kind ${
        ref.kind
      } (${JSON.stringify(owner)})`,
    };
  }
  return { ok: true, ref: stringifyEntityRef({ ...ref, kind }) };
}
