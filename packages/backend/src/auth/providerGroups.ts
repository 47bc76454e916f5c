import {
  parseEntityRef,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';

const validator = makeValidator();

/**
 * Turns an identity provider's groups claim into group entity refs. Accepted values: group names
 * (`platform-team`), group paths (`/engineering/platform-team`, as Keycloak sends with full
 * paths: the last segment counts) and group entity refs (`group:default/platform-team`).
 * Values that name no valid group are returned in `ignored`.
 */
export function providerGroupRefs(
  claim: unknown,
  namespace: string,
): { refs: string[]; ignored: unknown[] } {
  let values: unknown[] = [];
  if (Array.isArray(claim)) {
    values = claim;
  } else if (claim !== undefined && claim !== null) {
    values = [claim];
  }
  const refs = new Set<string>();
  const ignored: unknown[] = [];
  for (const value of values) {
    const ref = typeof value === 'string' ? toGroupRef(value, namespace) : '';
    if (ref) {
      refs.add(ref);
    } else {
      ignored.push(value);
    }
  }
  return { refs: [...refs], ignored };
}

function toGroupRef(value: string, namespace: string): string {
  try {
    const ref = value.includes(':')
      ? parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        })
      : {
          kind: 'group',
          namespace,
          name: value.split('/').filter(Boolean).pop() ?? '',
        };
    if (
      ref.kind.toLocaleLowerCase('en-US') !== 'group' ||
      !validator.isValidNamespace(ref.namespace) ||
      !validator.isValidEntityName(ref.name)
    ) {
      return '';
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    return '';
  }
}
