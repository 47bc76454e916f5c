import { parseEntityRef } from '@backstage/catalog-model';
import { validateResourceName } from '@provisionhub/plugin-provisionhub-common';

/** The name's problem as a sentence, or undefined when it is valid. */
export function nameError(name: string): string | undefined {
  const problem = validateResourceName(name);
  return problem ? `Name ${problem}` : undefined;
}

/** The owner's problem as a sentence, or undefined when it is a user or group ref. */
export function ownerError(owner: string): string | undefined {
  if (owner.trim() === '') {
    return 'Owner is required';
  }
  try {
    const ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'group' && kind !== 'user') {
      return `Owner must be a group or a user, not a ${ref.kind}; e.g. group:default/payments`;
    }
    return undefined;
  } catch {
    return 'Owner must be an entity ref such as group:default/payments';
  }
}

/** The owner as a full entity ref, e.g. `payments` becomes `group:default/payments`. */
export function normalizeOwner(owner: string): string {
  const ref = parseEntityRef(owner.trim(), {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  return `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace}/${ref.name}`;
}
