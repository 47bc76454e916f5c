/**
 * The configuration is missing something or has a wrong value; the message names the key.
 * @public
 */
export class ConfigError extends Error {
  readonly name = 'ConfigError';
}
