import type { Config } from '@backstage/config';

/**
 * A credential a blueprint may name; sent only to URLs under `urlPrefix`.
 * @public
 */
export interface HttpCredential {
  /** Requests must go to this origin, at or below its path. */
  urlPrefix: URL;
  /** Header that carries `token`. */
  header: string;
  /** The header's whole value; secret. */
  token: string;
}

const KEY = 'provisionhub.worker.http.credentials';
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Reads `provisionhub.worker.http.credentials`; throws naming the key that is wrong (the worker
 * then refuses to start).
 * @public
 */
export function readHttpCredentials(
  config: Config,
): Map<string, HttpCredential> {
  const section = config.getOptionalConfig(KEY);
  const credentials = new Map<string, HttpCredential>();
  for (const name of section?.keys() ?? []) {
    const entry = section!.getConfig(name);
    const key = `${KEY}.${name}`;
    const prefix = entry.getString('urlPrefix');
    let urlPrefix: URL;
    try {
      urlPrefix = new URL(prefix);
    } catch {
      throw new Error(`${key}.urlPrefix '${prefix}' is not a URL`);
    }
    if (!['http:', 'https:'].includes(urlPrefix.protocol)) {
      throw new Error(`${key}.urlPrefix must be an http or https URL`);
    }
    const header = entry.getOptionalString('header') ?? 'Authorization';
    if (!HEADER.test(header)) {
      throw new Error(`${key}.header '${header}' is not an HTTP header name`);
    }
    const token = entry.getString('token');
    if (!token.trim()) {
      throw new Error(`${key}.token is empty`);
    }
    credentials.set(name, { urlPrefix, header, token });
  }
  return credentials;
}

/** Same origin, and the path is the prefix's path or below it. */
export function isUnderPrefix(url: URL, prefix: URL): boolean {
  if (url.origin !== prefix.origin) {
    return false;
  }
  const base = prefix.pathname.endsWith('/')
    ? prefix.pathname
    : `${prefix.pathname}/`;
  return url.pathname === prefix.pathname || url.pathname.startsWith(base);
}
