import {
  parseOwnerRef,
  validateResourceName,
} from '@provisionhub/plugin-provisionhub-common';

/** The name's problem as a sentence, or undefined when it is valid. */
export function nameError(name: string): string | undefined {
  const problem = validateResourceName(name);
  return problem ? `Name ${problem}` : undefined;
}

/** The owner's problem as a sentence, or undefined when it is a user or group ref. */
export function ownerError(owner: string): string | undefined {
  const parsed = parseOwnerRef(owner);
  return parsed.ok ? undefined : `Owner ${parsed.message}`;
}

/** The owner as a full entity ref, e.g. `payments` becomes `group:default/payments`. */
export function normalizeOwner(owner: string): string {
  const parsed = parseOwnerRef(owner);
  if (!parsed.ok) {
    throw new Error(`Owner ${parsed.message}`);
  }
  return parsed.ref;
}
