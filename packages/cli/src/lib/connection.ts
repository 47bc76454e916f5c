import { CliAuth } from '@backstage/cli-node';
import {
  ProvisionHubApi,
  ProvisionHubClient,
} from '@provisionhub/plugin-provisionhub-common';
import { CliError, EXIT } from './errors';

/** How long one request may take before the portal counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Where the CLI talks to and how it proves who it is. */
export interface Connection {
  /** The portal backend's base URL, e.g. `https://backstage.example.com`. */
  baseUrl: string;
  /** The URL for messages: without credentials. */
  target: string;
  /** Where the token came from, for messages; never the token. */
  tokenSource: 'PROVISIONHUB_TOKEN' | 'provisionhub login' | 'none';
  api: ProvisionHubApi;
}

/** Anything that gives the token: a fixed one, or Backstage's CLI sign-in (which refreshes it). */
type TokenSource = () => Promise<string | undefined>;

/**
 * Normalises the portal URL given with `--url` or `PROVISIONHUB_URL`.
 * @throws CliError (usage) when it is not an http(s) URL
 */
export function parsePortalUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(
      `'${raw}' is not a URL; give the portal backend's base URL, e.g. --url https://backstage.example.com`,
      EXIT.usage,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(
      `'${url.protocol}' URLs are not supported; give the portal backend's http(s) base URL`,
      EXIT.usage,
    );
  }
  // People paste the API's URL as often as the portal's.
  url.pathname = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/api\/provisionhub$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

/** A URL as it may be shown: without user name and password. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.toString());
  shown.username = '';
  shown.password = '';
  return shown.toString().replace(/\/$/, '');
}

/** The Backstage CLI instance name `provisionhub login` signs in as for a portal URL. */
export function instanceNameFor(url: URL): string {
  return url.host;
}

/**
 * Resolves the portal and the credentials: `--url` or `PROVISIONHUB_URL`, then the token from
 * `PROVISIONHUB_TOKEN`, or else the session of `provisionhub login` (Backstage's CLI sign-in) for
 * that portal, or for the signed-in portal when no URL is given.
 */
export async function connect(options: {
  url?: string;
  env: NodeJS.ProcessEnv;
}): Promise<Connection> {
  const rawUrl = options.url ?? options.env.PROVISIONHUB_URL;
  const envToken = options.env.PROVISIONHUB_TOKEN?.trim();
  let url = rawUrl ? parsePortalUrl(rawUrl) : undefined;
  let token: TokenSource | undefined;
  let tokenSource: Connection['tokenSource'] = 'none';

  if (envToken) {
    token = async () => envToken;
    tokenSource = 'PROVISIONHUB_TOKEN';
  } else {
    const session = await findSession(url);
    if (session) {
      url ??= parsePortalUrl(session.getBaseUrl());
      token = () => session.getAccessToken();
      tokenSource = 'provisionhub login';
    }
  }
  if (!url) {
    throw new CliError(
      'which portal? Give --url https://backstage.example.com or set PROVISIONHUB_URL (or sign in once with `provisionhub login --url …`)',
      EXIT.usage,
    );
  }

  const baseUrl = url.toString().replace(/\/$/, '');
  const target = displayUrl(url);
  return {
    baseUrl,
    target,
    tokenSource,
    api: new ProvisionHubClient({
      discoveryApi: {
        getBaseUrl: async pluginId => `${baseUrl}/api/${pluginId}`,
      },
      fetchApi: {
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers);
          const value = await readToken(token, target);
          if (value) {
            headers.set('Authorization', `Bearer ${value}`);
          }
          return fetch(input, {
            ...init,
            headers,
            signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
        },
      },
    }),
  };
}

async function readToken(
  token: TokenSource | undefined,
  target: string,
): Promise<string | undefined> {
  if (!token) {
    return undefined;
  }
  try {
    return await token();
  } catch (error) {
    throw new CliError(
      `the sign-in for ${target} cannot be used (${
        (error as Error).message
      }); sign in again with \`provisionhub login\``,
      EXIT.usage,
    );
  }
}

/** The Backstage CLI session for `url` (or the selected one), if there is one. */
async function findSession(url: URL | undefined): Promise<CliAuth | undefined> {
  try {
    return await CliAuth.create(
      url ? { instanceName: instanceNameFor(url) } : undefined,
    );
  } catch {
    // Nobody signed in: requests go without a token and the portal says 401.
    return undefined;
  }
}
