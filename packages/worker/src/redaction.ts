import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';

/** A copy of `value` with every string passed through `redactSecrets`. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') {
    return redactSecrets(value, secrets) as T;
  }
  if (Array.isArray(value)) {
    return value.map(v => redactDeep(v, secrets)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]),
    ) as T;
  }
  return value;
}
