import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, displayUrl, parsePortalUrl } from './connection';
import { CommandContext } from './context';
import { CliError } from './errors';

/** A stand-in portal that records the Authorization header of each request. */
async function startPortal() {
  const seen: Array<{ path: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url!, authorization: req.headers.authorization });
    if (!req.headers.authorization) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            name: 'AuthenticationError',
            message: 'Missing credentials',
          },
          request: { method: req.method, url: req.url },
          response: { statusCode: 401 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ items: [] }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

/** Writes a session the way `backstage-cli auth login` stores it without an OS keychain. */
async function storeBackstageCliSession(
  dirs: { config: string; data: string },
  instance: { name: string; baseUrl: string },
  accessToken: string,
) {
  await fs.mkdir(path.join(dirs.config, 'backstage-cli'), { recursive: true });
  const now = Date.now();
  await fs.writeFile(
    path.join(dirs.config, 'backstage-cli', 'auth-instances.yaml'),
    [
      'instances:',
      `- name: "${instance.name}"`,
      `  baseUrl: ${instance.baseUrl}`,
      `  clientId: ${instance.baseUrl}/api/auth/.well-known/oauth-client/cli.json`,
      `  issuedAt: ${now}`,
      `  accessTokenExpiresAt: ${now + 3_600_000}`,
      '  selected: true',
      '',
    ].join('\n'),
  );
  const service = encodeURIComponent(
    `backstage-cli:auth-instance:${instance.name}`,
  );
  const folder = path.join(dirs.data, 'backstage-cli', 'auth-secrets', service);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, 'accessToken.secret'), accessToken);
}

describe('connect', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let home: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    portal = await startPortal();
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'provisionhub-connect-'));
    // Backstage's CLI session store lives under these; nothing of this machine's user leaks in.
    process.env.XDG_CONFIG_HOME = path.join(home, 'config');
    process.env.XDG_DATA_HOME = path.join(home, 'data');
  });

  afterAll(async () => {
    process.env = saved;
    await portal.close();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('sends PROVISIONHUB_TOKEN to the portal of --url, whatever API path was pasted', async () => {
    const connection = await connect({
      url: `${portal.url}/api/provisionhub/`,
      env: { PROVISIONHUB_TOKEN: 'ci-token-123456' },
    });
    expect(connection).toMatchObject({
      baseUrl: portal.url,
      tokenSource: 'PROVISIONHUB_TOKEN',
    });
    await connection.api.listRuns();
    expect(portal.seen.pop()).toEqual({
      path: '/api/provisionhub/runs',
      authorization: 'Bearer ci-token-123456',
    });
  });

  it('without PROVISIONHUB_TOKEN, uses the Backstage CLI session of `provisionhub login` for that portal, or the selected one', async () => {
    await storeBackstageCliSession(
      {
        config: process.env.XDG_CONFIG_HOME!,
        data: process.env.XDG_DATA_HOME!,
      },
      { name: portal.host, baseUrl: portal.url },
      'session-access-token',
    );
    for (const url of [portal.url, undefined]) {
      const connection = await connect({ url, env: {} });
      expect(connection).toMatchObject({
        baseUrl: portal.url,
        tokenSource: 'provisionhub login',
      });
      await connection.api.listBlueprints();
      expect(portal.seen.pop()).toEqual({
        path: '/api/provisionhub/blueprints',
        authorization: 'Bearer session-access-token',
      });
    }
  });

  it('says how to get a token when there is none and the portal wants one', async () => {
    // The session above is for 127.0.0.1:<port>, not for localhost:<port>.
    const url = portal.url.replace('127.0.0.1', 'localhost');
    const connection = await connect({ url, env: {} });
    expect(connection.tokenSource).toBe('none');
    const ctx = new CommandContext(
      { stdout: process.stdout, stderr: process.stderr, env: {} },
      { url },
    );
    await expect(ctx.call(api => api.listRuns())).rejects.toMatchObject({
      exitCode: 2,
      message: `${url} needs a token and none was found: sign in with \`provisionhub login --url ${url}\`, or set PROVISIONHUB_TOKEN (CI)`,
    });
    expect(portal.seen.pop()?.authorization).toBeUndefined();
  });

  it('asks for a portal when none is given or signed in to', async () => {
    process.env.XDG_CONFIG_HOME = path.join(home, 'empty');
    await expect(connect({ env: {} })).rejects.toThrow(
      'which portal? Give --url https://backstage.example.com or set PROVISIONHUB_URL',
    );
  });
});

describe('parsePortalUrl and displayUrl', () => {
  it('accepts http(s) base URLs and shows them without credentials', () => {
    expect(
      displayUrl(parsePortalUrl('https://ci:secret@backstage.example.com/')),
    ).toBe('https://backstage.example.com');
    expect(() => parsePortalUrl('backstage.example.com')).toThrow(CliError);
    expect(() => parsePortalUrl('ftp://backstage.example.com')).toThrow(
      "'ftp:' URLs are not supported; give the portal backend's http(s) base URL",
    );
  });
});
