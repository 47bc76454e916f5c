/**
 * Replaces every occurrence of a secret (and the password part of URLs) with `***`.
 * Used on everything the worker and control plane log or store that may carry credentials.
 * @public
 */
export function redactSecrets(
  text: string,
  secrets: Iterable<string | undefined>,
): string {
  let out = text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi,
    '$1***@',
  );
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('***');
    }
  }
  return out;
}

/**
 * The URL without its password, safe to log.
 * @public
 */
export function redactUrl(url: string): string {
  return redactSecrets(url, []);
}
